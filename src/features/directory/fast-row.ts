// The fast path of row validation: the same rules as importRowSchema
// (import-schema.ts) written as plain checks, without zod's per-row objects.
// It returns the row exactly as the schema would, or null as soon as
// anything is off; the caller then runs the schema on that row for the
// report's exact messages. So the schema stays the one source of the
// messages, and the common valid row costs a few string operations.
import { normalizePhone } from '../../domain/phone.js';
import type { ImportField } from './import-schema.js';
import { splitEmails, statusWords } from './import-schema.js';
import type { AccountInput } from './repository.js';

const accountNumberRe = /^[\p{L}\p{N}\-/.]*$/u;
const guidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const degreesRe = /^[-+]?\d{1,3}([.,]\d+)?$/;
const phoneSplitRe = /[,;]/;

/** A trimmed cell of at most `max` characters (at least one when required), or null. */
function text(v: string, max: number, required: boolean): string | null {
  const t = v.trim();
  if (t.length > max || (required && t.length === 0)) return null;
  return t;
}

/** undefined = invalid; null = empty (unknown). */
function degrees(v: string, limit: number): number | null | undefined {
  const t = v.trim();
  if (t === '') return null;
  if (!degreesRe.test(t)) return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : undefined;
}

function phones(v: string): string[] | null {
  if (v === '') return [];
  const out: string[] = [];
  for (const part of v.split(phoneSplitRe)) {
    if (!part.trim()) continue;
    const n = normalizePhone(part);
    if (!n || n.length !== 11 || n.charCodeAt(0) !== 55 /* 7 */) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out.length > 1 ? out.sort() : out;
}

function status(v: string): 'active' | 'closed' | null {
  const k = v.trim().toLowerCase();
  // Only the plain spellings; anything else (punctuation, ё) goes to the schema.
  return Object.hasOwn(statusWords, k) ? statusWords[k]! : null;
}

/** The validated row, identical to importRowSchema's output, or null (let the schema explain). */
export function fastRow(raw: Record<ImportField, string>): AccountInput | null {
  const accountNumber = text(raw.accountNumber, 32, true);
  if (accountNumber === null || !accountNumberRe.test(accountNumber)) return null;
  const holderName = text(raw.holderName, 300, true);
  const tenant = text(raw.tenant, 200, true);
  const city = text(raw.city, 100, false);
  const street = text(raw.street, 200, true);
  const house = text(raw.house, 20, true);
  const block = text(raw.block, 20, false);
  const flat = text(raw.flat, 20, false);
  const fias = text(raw.fiasId, 36, false);
  if (holderName === null || tenant === null || city === null || street === null || house === null || block === null || flat === null || fias === null) return null;
  if (fias !== '' && !guidRe.test(fias)) return null;
  const ph = phones(raw.phones);
  const st = status(raw.status);
  const lat = degrees(raw.lat, 90);
  const lon = degrees(raw.lon, 180);
  if (ph === null || st === null || lat === undefined || lon === undefined || (lat === null) !== (lon === null)) return null;
  // E-mail addresses are optional; most rows have none.
  let emails: string[] = [];
  if (raw.emails !== '') {
    const e = splitEmails(raw.emails);
    if (e.bad.length) return null;
    emails = e.emails;
  }
  return {
    accountNumber, holderName, tenant, city, street, house,
    block: block || null,
    flat: flat || null,
    fiasId: fias ? fias.toLowerCase() : null,
    phones: ph, status: st, lat, lon, emails,
  };
}
