// Reminder calls (issue 11, item 6): when to ring the executor of an
// emergency request they have not accepted, and what they hear. Pure.
//
// The first call goes `afterMin` minutes after the request was assigned to
// them; a call that did not end in «1» is followed by another `retryMin`
// minutes after it started, up to `maxAttempts` calls per assignment. A call
// in progress holds everything back. A new assignee starts from scratch.

export interface ReminderPolicy { afterMin: number; retryMin: number; maxAttempts: number }

export interface PastCall { startedAt: string; outcome: string | null }

export type ReminderDecision =
  | { action: 'call'; attempt: number }
  | { action: 'wait'; until: Date }
  | { action: 'in-progress' }
  | { action: 'exhausted' };

/** What to do now for a request assigned at `assignedAt`, given the calls made to this assignee since then. */
export function reminderDecision(assignedAt: string, calls: PastCall[], p: ReminderPolicy, now: Date): ReminderDecision {
  const since = calls.filter((c) => c.startedAt >= assignedAt);
  if (since.some((c) => c.outcome === null)) return { action: 'in-progress' };
  if (since.some((c) => c.outcome === 'accepted')) return { action: 'exhausted' };
  if (since.length >= p.maxAttempts) return { action: 'exhausted' };
  const last = since.reduce<string | null>((m, c) => (m === null || c.startedAt > m ? c.startedAt : m), null);
  const due = last === null
    ? new Date(Date.parse(assignedAt) + p.afterMin * 60_000)
    : new Date(Date.parse(last) + p.retryMin * 60_000);
  return now >= due ? { action: 'call', attempt: since.length + 1 } : { action: 'wait', until: due };
}

/** What the executor hears, as named parts (the ARI adapter's media list is built from them). */
export type PromptPart =
  | { sound: string }
  | { number: number }
  | { digits: string }
  | { file: string };

export interface PromptAddress {
  /** The request's number, e.g. 2026-000123. */
  requestNumber: string;
  house: string | null;
  flat: string | null;
  /** A spoken street prompt (absolute path without extension) when one could be made. */
  streetFile: string | null;
}

/** The leading number of a house or flat («12к1» → 12, «5А» → 5), if any. */
export function leadingNumber(s: string | null): number | null {
  const m = s?.trim().match(/^(\d{1,6})/);
  return m ? Number(m[1]) : null;
}

/**
 * «Аварийная заявка» [street | «номер» N] «дом» N «квартира» N «нажмите 1,
 * чтобы принять». Without a spoken street the request's own number stands in
 * for it (the part after the year: 2026-000123 → 123).
 */
export function reminderPrompt(a: PromptAddress): PromptPart[] {
  const parts: PromptPart[] = [{ sound: 'pult/emergency-request' }];
  if (a.streetFile) {
    parts.push({ sound: 'pult/address' }, { file: a.streetFile });
  } else {
    const seq = leadingNumber(a.requestNumber.split('-').at(-1) ?? null);
    parts.push({ sound: 'pult/request-number' }, seq !== null ? { number: seq } : { digits: a.requestNumber.replace(/\D/g, '') });
  }
  const house = leadingNumber(a.house);
  if (house !== null) parts.push({ sound: 'pult/house' }, { number: house });
  const flat = leadingNumber(a.flat);
  if (flat !== null) parts.push({ sound: 'pult/flat' }, { number: flat });
  parts.push({ sound: 'pult/press-1-to-accept' });
  return parts;
}
