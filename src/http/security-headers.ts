// Security headers on every response (helmet): a Content-Security-Policy the
// built pages pass (checked in Chromium by tests/security/csp.test.ts),
// no framing by anyone, no MIME sniffing, no referrer, and HSTS only on a
// request that arrived over TLS (directly or through a trusted local proxy),
// so a plain-http LAN install is never pinned to https.
import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';
import type { IncomingMessage } from 'node:http';
import type { SipWsUrlFor } from './softphone-url.js';

/** The origin a browser connects to for `url` (ws://host:port), or null when it is not a URL. */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function securityHeaders(o: { sipWsUrl?: string | SipWsUrlFor; tileUrl?: string } = {}): RequestHandler[] {
  const sipUrl = o.sipWsUrl;
  // The softphone's origin may follow the host the page was opened at (wss on TLS): asked per request.
  const sip = typeof sipUrl === 'function' ? [(req: IncomingMessage) => originOf(sipUrl(req)) ?? "'self'"] : sipUrl ? [originOf(sipUrl)].filter((x): x is string => x !== null) : [];
  const tiles = o.tileUrl ? originOf(o.tileUrl) : null;
  const hsts = strictTransportSecurity({ maxAge: 180 * 24 * 3600, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // The zones page's map tiles, when PULT_MAP_TILE_URL is set.
          imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
          fontSrc: ["'self'", 'data:'],
          // 'self' covers socket.io (same-origin ws/wss); the softphone registers at the SIP WebSocket.
          connectSrc: ["'self'", ...sip],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          scriptSrcAttr: ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    }),
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
  ];
}
