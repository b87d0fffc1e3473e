// Where the browser softphone registers (sip.js over WebSocket to Asterisk's
// /ws). A fixed PULT_SIP_WS_URL wins. Otherwise, on plain HTTP it is the
// PBX's loopback HTTP server; on HTTPS it is wss:// on the PBX's TLS HTTP
// server at the host the page was opened at (the same name the certificate
// was accepted for), so a page reached as https://pult.example.ru/ registers
// at wss://pult.example.ru:<PULT_ASTERISK_TLS_PORT>/ws.
import type { IncomingMessage } from 'node:http';

export const plainSipWsUrl = 'ws://127.0.0.1:8088/ws';

/** A host name or address as it may appear in a URL; anything else (a forged Host header) is not used. */
const safeHost = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$/;

export type SipWsUrlFor = (req: IncomingMessage) => string;

export function sipWsUrlFor(o: { fixed?: string; tls: boolean; wssPort: number }): SipWsUrlFor {
  if (o.fixed) {
    const fixed = o.fixed;
    return () => fixed;
  }
  if (!o.tls) return () => plainSipWsUrl;
  return (req) => {
    // express's hostname (X-Forwarded-Host only from a trusted local proxy), else the Host header.
    const fromExpress = (req as IncomingMessage & { hostname?: string }).hostname;
    const host = fromExpress ?? (req.headers.host ?? '').replace(/:\d+$/, '');
    return `wss://${safeHost.test(host) ? host : 'localhost'}:${o.wssPort}/ws`;
  };
}
