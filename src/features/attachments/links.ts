// Short-lived signed links to an attachment or its thumbnail, for <img> and
// new-tab opens that cannot send an Authorization header. The HMAC covers
// (attachment id, variant, expiry) and a purpose tag, so a recording link's
// signature never validates here and a thumbnail link never opens the file.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';

export type Variant = 'file' | 'thumb';
export type LinkCheck = 'ok' | 'expired' | 'invalid';

export class AttachmentLinks {
  constructor(private readonly secret: Buffer, private readonly ttlSec: number, private readonly clock: Clock) {}

  sign(id: number, variant: Variant): string {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + this.ttlSec;
    const q = new URLSearchParams({ exp: String(exp), sig: this.mac(id, variant, exp) });
    return `/api/attachments/${id}${variant === 'thumb' ? '/thumb' : ''}?${q.toString()}`;
  }

  check(id: number, variant: Variant, exp: unknown, sig: unknown): LinkCheck {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'invalid';
    const expected = Buffer.from(this.mac(id, variant, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(exp) * 1000 > this.clock.now().getTime() ? 'ok' : 'expired';
  }

  private mac(id: number, variant: Variant, exp: number): string {
    return createHmac('sha256', this.secret).update(`attachment\n${id}\n${variant}\n${exp}`).digest('base64url');
  }
}
