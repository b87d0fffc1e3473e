// Placing a call from the console (the dial pad, «Перезвонить» in the card
// and in the history): the server checks the number and the line and says
// how the company calls out — its cloud PBX (already placed: the vendor rings
// the operator's phone first) or the softphone (an INVITE the PBX hands to Pult).
import { api, HttpError } from './api.ts';
import type { Softphone } from './softphone.ts';
import { t } from '../i18n/index.ts';

export type DialOutcome = { ok: true; via: 'softphone' | 'cloud-pbx'; number: string } | { ok: false; message: string };

/** The same checks as the server's (domain/dialling.ts), said in Russian before anything is sent. */
export function dialProblem(raw: string): string | null {
  const text = raw.trim();
  if (!text) return t.dial.empty;
  if (!/^\+?[\d\s().-]+$/.test(text)) return t.dial.badChars;
  const digits = text.replace(/\D/g, '');
  if (digits.length < 5) return t.dial.tooShort;
  if (digits.length > 15) return t.dial.tooLong;
  return null;
}

function explain(err: unknown): string {
  if (!(err instanceof HttpError)) return `${t.dial.failed}: ${(err as Error).message}`;
  if (err.status === 400) {
    const problem = err.details[0]?.problem ?? err.message;
    const why = problem.includes('premium') ? t.dial.premium : problem.includes('short') ? t.dial.tooShort : problem.includes('long') ? t.dial.tooLong : t.dial.badChars;
    return `${t.dial.refused}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
  }
  if (err.status === 404) return t.dial.noLine;
  if (err.status === 409) return err.message.includes('line') ? t.dial.noLine : t.dial.busy;
  if (err.status === 502) return t.dial.cloudFailed;
  if (err.status === 503) return t.dial.pbxDown;
  return `${t.dial.failed}: ${err.message}`;
}

export async function placeCall(phone: Softphone, raw: string, lineId: number | null): Promise<DialOutcome> {
  const problem = dialProblem(raw);
  if (problem) return { ok: false, message: problem };
  try {
    const r = await api.dial(raw.trim(), lineId);
    if (r.via === 'cloud-pbx') return { ok: true, via: 'cloud-pbx', number: r.number };
    if (phone.regState !== 'registered') return { ok: false, message: t.dial.noPhone };
    await phone.dial(r.number, r.line.id);
    return { ok: true, via: 'softphone', number: r.number };
  } catch (err) {
    return { ok: false, message: explain(err) };
  }
}
