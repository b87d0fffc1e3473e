// Issue 9, item 4: a socket lives no longer than its login session. Logout
// and expiry disconnect it (disabling a user: accounts.test.ts); a socket
// of a session that has ended receives nothing more.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { disconnected, openSocket, sleep, until, type Client } from '../support/security-probes.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const sockets: Client[] = [];
afterEach(() => {
  for (const c of sockets.splice(0)) c.disconnect();
});

describe('logout', () => {
  let s: Server;
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on' });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('disconnects the socket of that session, which then receives no wallboard snapshot; another session stays', async () => {
    const operator = await login(s.url, 'operator', 'demo');
    const tokenA = await login(s.url, 'supervisor', 'demo');
    const tokenB = await login(s.url, 'supervisor', 'demo');
    let gotA = 0;
    let gotB = 0;
    const a = await openSocket(s.url, tokenA, sockets, (c) => c.on('wallboard.snapshot', () => gotA++).on('wallboard.patch', () => gotA++));
    const b = await openSocket(s.url, tokenB, sockets, (c) => c.on('wallboard.snapshot', () => gotB++).on('wallboard.patch', () => gotB++));
    await until('the first snapshots', () => gotA > 0 && gotB > 0);
    // An operator's change is pushed to both supervisors' wallboards…
    const before = { a: gotA, b: gotB };
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'available' }, operator)).status).toBe(200);
    await until('the change pushed to both', () => gotA > before.a && gotB > before.b);

    const cut = disconnected(a);
    expect((await api(s.url, 'POST', '/api/auth/logout', undefined, tokenA)).status).toBe(204);
    expect(await cut).toBe('io server disconnect');
    // …and after logout only to the session still logged in.
    const after = { a: gotA, b: gotB };
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'обед' }, operator)).status).toBe(200);
    await until('the change pushed to the other session', () => gotB > after.b);
    await sleep(400);
    expect(gotA).toBe(after.a);
    expect(b.connected).toBe(true);
    // The ended session cannot come back.
    await expect(openSocket(s.url, tokenA, sockets)).rejects.toThrow(/unauthorized/);
  });
});

describe('expiry', () => {
  let s: Server;
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_SESSION_TTL_HOURS: '0.0004' }); // about 1.4 s
  });
  afterAll(async () => {
    await s.stop();
  });

  it('disconnects the socket when its session expires, and the token cannot reconnect', async () => {
    const token = await login(s.url, 'supervisor', 'demo');
    const started = Date.now();
    const c = await openSocket(s.url, token, sockets);
    expect(await disconnected(c, 5000)).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await api(s.url, 'GET', '/api/me', undefined, token)).status).toBe(401);
    await expect(openSocket(s.url, token, sockets)).rejects.toThrow(/unauthorized/);
  });
});
