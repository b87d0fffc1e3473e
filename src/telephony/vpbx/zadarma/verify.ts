// Zadarma signs notifications in the `Signature` header:
// base64(hmac_sha1_hex(string, api_secret)) — the HEX text is what is
// base64-encoded. The signed string depends on the event (Zadarma's PHP
// library, getSignatureString()):
//   NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_END: caller_id + called_did + call_start
//   NOTIFY_ANSWER:                             caller_id + destination + call_start
//   NOTIFY_OUT_START, NOTIFY_OUT_END:          internal + destination + call_start
//   NOTIFY_RECORD:                             pbx_call_id + call_id_with_rec
// Other events (NOTIFY_IVR, SMS, …) are not handled here and never verify.
import { hmacSha1Hex, safeEqual, zonedLocalToIso } from '../shared.js';
import type { ZadarmaWebhook } from './schema.js';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The text Zadarma signs for this form, or null for an event we do not handle. */
export function zadarmaSignedString(form: Record<string, unknown>): string | null {
  switch (form.event) {
    case 'NOTIFY_START':
    case 'NOTIFY_INTERNAL':
    case 'NOTIFY_END':
      return s(form.caller_id) + s(form.called_did) + s(form.call_start);
    case 'NOTIFY_ANSWER':
      return s(form.caller_id) + s(form.destination) + s(form.call_start);
    case 'NOTIFY_OUT_START':
    case 'NOTIFY_OUT_END':
      return s(form.internal) + s(form.destination) + s(form.call_start);
    case 'NOTIFY_RECORD':
      return s(form.pbx_call_id) + s(form.call_id_with_rec);
    default:
      return null;
  }
}

export const zadarmaSignature = (signed: string, secret: string): string =>
  Buffer.from(hmacSha1Hex(signed, secret), 'utf8').toString('base64');

/** True when the Signature header matches the form (constant time; never throws). */
export function verifyZadarmaSignature(form: Record<string, unknown> | null | undefined, signatureHeader: unknown, secret: string): boolean {
  if (!form || !secret) return false;
  const signed = zadarmaSignedString(form);
  if (signed === null) return false;
  return safeEqual(signatureHeader, zadarmaSignature(signed, secret));
}

/**
 * Zadarma checks a notification URL with GET ?zd_echo=<value> and expects the
 * value back as the response body. Returns the text to send (as text/plain),
 * or null when the request is not an echo check or the value is not the short
 * token Zadarma sends (so the URL cannot be used to reflect arbitrary text).
 */
export function zadarmaEcho(query: Record<string, unknown> | null | undefined): string | null {
  const v = query?.zd_echo;
  return typeof v === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(v) ? v : null;
}

/** Longest a call may last: a later event (answer, end) carries its call's start, up to this long ago. */
export const ZADARMA_MAX_CALL_SEC = 24 * 3600;

/**
 * The signed time a Zadarma notification carries, for the freshness window:
 * `call_start` (signed for every call event, in the account's time zone);
 * all but the start notifications may come up to ZADARMA_MAX_CALL_SEC after it. NOTIFY_RECORD
 * carries no time (null).
 */
export function zadarmaDeliveryTime(msg: ZadarmaWebhook, timeZone: string): { atMs: number; latePastSec: number } | null {
  if (msg.event === 'NOTIFY_RECORD') return null;
  const atMs = Date.parse(zonedLocalToIso(msg.call_start, timeZone));
  // Only the start notifications are sent at call_start; the others (answer after
  // a long wait in the queue, internal leg, end) come later in the call.
  const late = msg.event !== 'NOTIFY_START' && msg.event !== 'NOTIFY_OUT_START';
  return { atMs, latePastSec: late ? ZADARMA_MAX_CALL_SEC : 0 };
}
