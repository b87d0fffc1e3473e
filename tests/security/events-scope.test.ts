// The socket events this round added, tried from another company: a
// supervisor of company 2 only never hears of company 1's requests or
// wallboard, while a supervisor of company 1 does (so the silence is not an
// accident of a dead socket).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { systemClock } from '../../src/clock.js';
import { AuthService } from '../../src/features/auth/service.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/contract.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: Awaited<ReturnType<typeof testServer>>;
const opened: Client[] = [];
const heard = { one: [] as string[], two: [] as string[] };
const events = ['request.changed', 'requests.monitor', 'wallboard.patch'] as const;

async function supervisorOf(loginName: string, tenantIds: number[]): Promise<string> {
  new AuthService(s.db, systemClock, 12).createUser({ login: loginName, password: 'secret-pass', role: 'supervisor', fullName: loginName, tenantIds });
  return login(s.url, loginName, 'secret-pass');
}

async function listen(token: string, into: string[]): Promise<void> {
  const c: Client = connect(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  opened.push(c);
  c.on('request.changed', (e) => into.push(`request.changed:${e.tenantId}`));
  c.on('requests.monitor', (e) => into.push(`requests.monitor:${e.tenantId}`));
  c.on('wallboard.patch', (patch) => into.push(`wallboard.patch:${JSON.stringify(patch)}`));
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', reject);
  });
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '50' });
  await listen(await supervisorOf('sup-one', [1]), heard.one);
  await listen(await supervisorOf('sup-two', [2]), heard.two);
});
afterAll(async () => {
  for (const c of opened) c.close();
  await s?.stop();
});

describe('socket events stay within the company', () => {
  it("a company-1 request and operator change reach company 1's supervisor only", async () => {
    const operator = await login(s.url, 'operator', 'demo');
    const cats = await api<{ items: { id: number; code: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, operator);
    const leak = cats.body.items.find((c) => c.code === 'water-leak')!.id;
    const r = await api(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: leak, description: 'Течёт стояк', channel: 'walk-in', accountNumber: '1000001' }, operator);
    expect(r.status).toBe(201);
    // operator2 serves company 1 only: their pause changes company 1's wallboard.
    const op2 = await login(s.url, 'operator2', 'demo');
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'Обед' }, op2)).status).toBe(200);

    const deadline = Date.now() + 5000;
    while (!(events.every((e) => heard.one.some((h) => h.startsWith(e))) && heard.one.some((h) => h.includes('Обед'))) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(heard.one).toEqual(expect.arrayContaining(['request.changed:1', 'requests.monitor:1']));
    expect(heard.one.some((h) => h.startsWith('wallboard.patch:') && h.includes('Обед'))).toBe(true);
    await new Promise((res) => setTimeout(res, 1200)); // past the monitor's 1 s and the wallboard's coalescing
    expect(heard.two.filter((h) => h.startsWith('request'))).toEqual([]);
    // Company 2's board carries nothing of company 1's operator.
    expect(heard.two.filter((h) => h.includes('Обед'))).toEqual([]);
  });
});
