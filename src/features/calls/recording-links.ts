// Short-lived signed links to a call's recording, for <audio> elements that
// cannot send an Authorization header. The link carries its expiry and an
// HMAC-SHA256 over (call id, expiry); nothing else is authorised by it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';

export type LinkCheck = 'ok' | 'expired' | 'invalid';

export class RecordingLinks {
  constructor(private readonly secret: Buffer, private readonly ttlSec: number, private readonly clock: Clock) {}

  sign(callId: string): { url: string; expiresAt: string } {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + this.ttlSec;
    const q = new URLSearchParams({ exp: String(exp), sig: this.mac(callId, exp) });
    return { url: `/api/calls/${encodeURIComponent(callId)}/recording?${q.toString()}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  check(callId: string, exp: unknown, sig: unknown): LinkCheck {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'invalid';
    const expected = Buffer.from(this.mac(callId, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(exp) * 1000 > this.clock.now().getTime() ? 'ok' : 'expired';
  }

  private mac(callId: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`recording\n${callId}\n${exp}`).digest('base64url');
  }
}
