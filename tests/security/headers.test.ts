// Issue 9, item 11: security headers on every response — CSP with
// frame-ancestors, no framing, no sniffing, and HSTS only behind TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';

let s: Server;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_SIP_WS_URL: 'wss://pbx.example.net:8089/ws' });
});

afterAll(async () => {
  await s?.stop();
});

const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map((p) => [p[0]!, p.slice(1)]));

describe('security headers', () => {
  it.each(['/api/health', '/', '/api/nothing-here'])('%s carries the CSP and the anti-framing headers', async (p) => {
    const r = await fetch(s.url + p);
    const csp = directives(r.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:']);
    // socket.io (same origin) and the softphone's SIP WebSocket from the config.
    expect(csp.get('connect-src')).toEqual(["'self'", 'wss://pbx.example.net:8089']);
    // A plain-http LAN install must not be upgraded to https.
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('a refused oversized body carries them too', async () => {
    const r = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'x'.repeat(2_000_000) }) });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('HSTS only when the request came over TLS (here: through a local TLS proxy)', async () => {
    expect((await fetch(`${s.url}/api/health`)).headers.get('strict-transport-security')).toBeNull();
    const tls = await fetch(`${s.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });
});
