// Which numbers a person may dial out from the console: a phone number as
// people write it (+7 (916) 123-45-67, 8 916 …), normalised; not an internal
// extension, not a premium-rate or emergency short number, not absurdly long.
import { normalizePhone } from './phone.js';

export type DialCheck = { ok: true; number: string } | { ok: false; problem: string };

/** Russian premium-rate (8-809…) numbers: never dialled on the company's account. */
const premiumPrefixes = ['7809'];

export function checkDialNumber(raw: string): DialCheck {
  const text = raw.trim();
  if (!text) return { ok: false, problem: 'enter a phone number' };
  if (!/^\+?[\d\s().-]+$/.test(text)) return { ok: false, problem: 'only digits, spaces, +, (), - are allowed' };
  const number = normalizePhone(text) ?? '';
  if (number.length < 5) return { ok: false, problem: 'too short for an outside number (at least 5 digits)' };
  if (number.length > 15) return { ok: false, problem: 'too long for a phone number (at most 15 digits)' };
  if (premiumPrefixes.some((p) => number.startsWith(p))) return { ok: false, problem: 'premium-rate numbers cannot be dialled' };
  return { ok: true, number };
}
