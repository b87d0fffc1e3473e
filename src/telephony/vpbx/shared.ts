// Small pure helpers shared by the cloud-PBX adapters: constant-time
// comparison, hashes, phone and time normalisation, wire-value schemas.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isWithheld, normalizePhone } from '../../domain/phone.js';
import type { AgentRef } from './external-events.js';

/**
 * Compares two secrets in constant time. Different lengths (or a missing
 * value) give false without throwing; timingSafeEqual only ever sees two
 * buffers of equal length.
 */
export function safeEqual(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || expected.length === 0) return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const hmacSha1Hex = (text: string, secret: string): string =>
  createHmac('sha1', secret).update(text, 'utf8').digest('hex');

/** A request a caller can send as is: no network here. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The caller's number as Pult stores it; withheld or empty → null. */
export function callerNumber(raw: string | undefined | null): string | null {
  if (isWithheld(raw)) return null;
  return normalizePhone(raw);
}

/** An agent reference without empty parts; a SIP URI is not a phone number and is left out. */
export function agent(parts: { pbxLogin?: string | undefined; extension?: string | undefined; number?: string | undefined }): AgentRef {
  const out: AgentRef = {};
  if (parts.pbxLogin) out.pbxLogin = parts.pbxLogin;
  if (parts.extension) out.extension = parts.extension;
  if (parts.number && !/^sips?:/i.test(parts.number) && !isWithheld(parts.number)) {
    const n = normalizePhone(parts.number);
    if (n) out.number = n;
  }
  return out;
}

export const hasAgent = (a: AgentRef): boolean => Boolean(a.pbxLogin || a.extension || a.number);

/** Unix seconds → ISO UTC. */
export const unixToIso = (seconds: number): string => new Date(seconds * 1000).toISOString();

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asIfUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day),
    Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asIfUtc - Math.floor(utcMs / 1000) * 1000;
}

/** 'YYYY-MM-DD HH:MM:SS' wall-clock time in `timeZone` → ISO UTC. */
export function zonedLocalToIso(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset on either side of a DST change.
  let utc = asUtc - zoneOffsetMs(asUtc, timeZone);
  utc = asUtc - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}

/** A whole number sent as a JSON number or as digits in a string (form fields, Mango's examples). */
export const intLike = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/, 'expected a whole number')])
  .transform((v) => Number(v));

/** An id or number sent as a string or a JSON number. */
export const textLike = z.union([z.string(), z.number()]).transform((v) => String(v));

/**
 * True when a delivery's own time `atMs` is within `maxAgeSec` of `nowMs`
 * (either side: clocks drift), or up to `maxAgeSec + latePastSec` in the past
 * for events sent long after the time they carry (a call's end carries its
 * start). maxAgeSec 0 = no check.
 */
export function isFresh(atMs: number, nowMs: number, maxAgeSec: number, latePastSec = 0): boolean {
  if (maxAgeSec === 0) return true;
  if (!Number.isFinite(atMs)) return false;
  return atMs - nowMs <= maxAgeSec * 1000 && nowMs - atMs <= (maxAgeSec + latePastSec) * 1000;
}
