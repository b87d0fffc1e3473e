// Short-lived signed links to a call's recording, for <audio> elements that
// cannot send an Authorization header. The HMAC covers (call id, expiry) under
// the purpose tag "recording"; nothing else is authorised by it.
import type { Clock } from '../../clock.js';
import { SignedLinks, type LinkCheck } from '../../http/signed-links.js';


export class RecordingLinks {
  private readonly links: SignedLinks;

  constructor(secret: Buffer, ttlSec: number, clock: Clock) {
    this.links = new SignedLinks(secret, ttlSec, clock);
  }

  sign(callId: string): { url: string; expiresAt: string } {
    const { query, expiresAt } = this.links.sign(`recording\n${callId}`);
    return { url: `/api/calls/${encodeURIComponent(callId)}/recording?${query}`, expiresAt };
  }

  check(callId: string, exp: unknown, sig: unknown): LinkCheck {
    return this.links.check(`recording\n${callId}`, exp, sig);
  }
}
