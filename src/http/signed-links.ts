// Short-lived signed links, for browser elements (<audio>, <img>, new tabs)
// that cannot send an Authorization header. A link carries its expiry and an
// HMAC-SHA256 over (subject, expiry). Each user of it puts a purpose tag first
// in the subject, so a link signed for one purpose never validates for another.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

export type LinkCheck = 'ok' | 'expired' | 'invalid';

export class SignedLinks {
  constructor(private readonly secret: Buffer, private readonly ttlSec: number, private readonly clock: Clock) {}

  /** The query (`exp`, `sig`) authorising `subject` for the next ttlSec seconds, and when it expires. */
  sign(subject: string): { query: string; expiresAt: string } {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + this.ttlSec;
    const q = new URLSearchParams({ exp: String(exp), sig: this.mac(subject, exp) });
    return { query: q.toString(), expiresAt: new Date(exp * 1000).toISOString() };
  }

  check(subject: string, exp: unknown, sig: unknown): LinkCheck {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'invalid';
    const expected = Buffer.from(this.mac(subject, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(exp) * 1000 > this.clock.now().getTime() ? 'ok' : 'expired';
  }

  private mac(subject: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${subject}\n${exp}`).digest('base64url');
  }
}
