// Short-lived signed links to an attachment or its thumbnail, for <img> and
// new-tab opens that cannot send an Authorization header. The HMAC covers
// (attachment id, variant, expiry) under the purpose tag "attachment", so a
// recording link's signature never validates here and a thumbnail link never
// opens the file.
import type { Clock } from '../../clock.js';
import { SignedLinks, type LinkCheck } from '../../http/signed-links.js';

export type Variant = 'file' | 'thumb';

export class AttachmentLinks {
  private readonly links: SignedLinks;

  constructor(secret: Buffer, ttlSec: number, clock: Clock) {
    this.links = new SignedLinks(secret, ttlSec, clock);
  }

  sign(id: number, variant: Variant): string {
    const { query } = this.links.sign(subject(id, variant));
    return `/api/attachments/${id}${variant === 'thumb' ? '/thumb' : ''}?${query}`;
  }

  check(id: number, variant: Variant, exp: unknown, sig: unknown): LinkCheck {
    return this.links.check(subject(id, variant), exp, sig);
  }
}

const subject = (id: number, variant: Variant) => `attachment\n${id}\n${variant}`;
