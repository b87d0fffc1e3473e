// Mango signs every request with sign = sha256_hex(vpbx_api_key + json +
// vpbx_api_salt), over the json text exactly as received: verify before
// parsing, never over re-serialised JSON.
import { safeEqual, sha256Hex } from '../shared.js';
import type { MangoWebhook } from './schema.js';

export const mangoSign = (apiKey: string, json: string, apiSalt: string): string => sha256Hex(apiKey + json + apiSalt);

/** True when the form's key is ours and its sign matches (constant time; never throws). */
export function verifyMangoSign(
  form: { vpbx_api_key?: unknown; sign?: unknown; json?: unknown } | null | undefined,
  creds: { apiKey: string; apiSalt: string },
): boolean {
  if (!form || typeof form.json !== 'string' || typeof form.sign !== 'string') return false;
  const keyOk = safeEqual(form.vpbx_api_key, creds.apiKey);
  const signOk = safeEqual(form.sign.toLowerCase(), mangoSign(creds.apiKey, form.json, creds.apiSalt));
  return keyOk && signOk;
}

/**
 * The signed time a Mango delivery carries (unix seconds), for the freshness
 * window: the event's timestamp; a summary's end_time. null = none sent.
 */
export function mangoDeliveryTime(msg: MangoWebhook): number | null {
  switch (msg.endpoint) {
    case 'call':
      return msg.data.timestamp;
    case 'summary':
      return msg.data.end_time;
    case 'recording':
    case 'record/added':
      return msg.data.timestamp ?? null;
  }
}
