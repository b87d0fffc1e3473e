// The wallboard over HTTP and socket.io on an in-process server (no PBX):
// scoping by management company, callbacks, force pause within scope, and
// figures that survive a restart (they are read from stored records).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { openSocket, until, type Client, type Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { hashPassword } from '../../src/features/auth/passwords.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import type { WallboardSnapshot } from '../../src/features/wallboard/contract.js';
import { applyWallboardPatch } from '../../src/features/wallboard/patch.js';


const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-wallboard-'));
const dbFile = path.join(dir, 'pult.sqlite');
let s: Server;
const sockets: Client[] = [];
let seq = 0;
let supA = ''; // demo supervisor: both companies
let supB = ''; // supervisor of ТСЖ «Рассвет» (tenant 2) only
let admin = '';
let operatorToken = '';
let operatorId = 0; // serves tenants 1 and 2
let operator2Id = 0; // serves tenant 1 only

const repo = () => new CallRepository(s.db);
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString();

/** A stored call on a line, `waitSec` ago, then what happened to it (as the router would record it). */
function storeCall(lineId: number, caller: string, what: { answerAfter?: number; abandonAfter?: number; by?: number; via?: 'console' | 'mobile'; overflow?: boolean; end?: boolean }, arrivedSecAgo = 120): string {
  const id = `00000000-0000-4000-9000-${String(++seq).padStart(12, '0')}`;
  const arrivedAt = ago(arrivedSecAgo);
  const c = repo();
  c.create({ id, lineId, did: '7495000000' + lineId, callerNumber: caller, callerName: null, callerChannelId: `ch-${id}`, arrivedAt });
  const at = (sec: number) => new Date(new Date(arrivedAt).getTime() + sec * 1000).toISOString();
  if (what.overflow) c.markOverflow(id, at(4), 'timeout');
  if (what.answerAfter !== undefined) {
    c.connect(id, { bridgeId: `${id}-b`, answeredAt: at(what.answerAfter), answeredBy: what.by ?? null, answeredVia: what.via ?? 'console', answeredChannelId: `${id}-o1`, answeredNumber: '1001' });
    if (what.end !== false) c.end(id, { endedAt: at(what.answerAfter + 30), outcome: what.via === 'mobile' ? 'overflowed-answered' : 'answered', endReason: 'caller hung up' });
  } else if (what.abandonAfter !== undefined) {
    c.end(id, { endedAt: at(what.abandonAfter), outcome: 'abandoned', endReason: 'caller hung up while waiting' });
  }
  s.events.emit('call.arrived', { callId: id, lineId, did: '', caller, at: arrivedAt });
  return id;
}

async function socketFor(token: string): Promise<{ c: Client; snaps: WallboardSnapshot[] }> {
  const snaps: WallboardSnapshot[] = [];
  const c = await openSocket(s.url, token, sockets, (c) => {
    // Each snapshot, and each state after a patch (applied as the wallboard page does).
    c.on('wallboard.snapshot', (x) => snaps.push(x));
    c.on('wallboard.patch', (p) => {
      const next = snaps.length ? applyWallboardPatch(snaps[snaps.length - 1]!, p) : null;
      if (next) snaps.push(next);
      else c.emit('wallboard.resync');
    });
  });
  return { c, snaps };
}

const wallboard = async (token: string) => (await api<WallboardSnapshot>(s.url, 'GET', '/api/wallboard', undefined, token)).body;

async function boot(): Promise<void> {
  s = await testServer({ PULT_DB: dbFile, PULT_DEMO_ACCOUNTS: '0', PULT_SHORT_ABANDON_SEC: '5' });
}

beforeAll(async () => {
  await boot();
  const u = Number(s.db.prepare(`INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES ('supB', ?, 'supervisor', 'Старший Рассвета', ?)`).run(hashPassword('secret-b'), new Date().toISOString()).lastInsertRowid);
  s.db.prepare('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, 2)').run(u);
  supA = await login(s.url, 'supervisor', 'demo');
  supB = await login(s.url, 'supB', 'secret-b');
  admin = await login(s.url, 'admin', 'demo');
  operatorToken = await login(s.url, 'operator', 'demo');
  operatorId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
  operator2Id = s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
});
afterAll(async () => {
  for (const c of sockets) c.close();
  await s.stop();
});

describe('wallboard API', () => {
  it('is for supervisors and admins only', async () => {
    expect((await api(s.url, 'GET', '/api/wallboard', undefined, operatorToken)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/wallboard')).status).toBe(401);
  });

  it('figures per line and company, a supervisor of one company never sees another\'s', async () => {
    // Line 1 (УК «Северный квартал», tenant 1): answered by operator2 in 8 s, abandoned after 12 s, short abandon (2 s), overflowed + mobile.
    storeCall(1, '79160000001', { answerAfter: 8, by: operator2Id });
    storeCall(1, '79160000002', { abandonAfter: 12 });
    storeCall(1, '79160000003', { abandonAfter: 2 });
    storeCall(1, '79160000004', { overflow: true, answerAfter: 30, via: 'mobile' });
    storeCall(1, '79160000005', {}, 42); // waiting now, 42 s
    // Line 2 (ТСЖ «Рассвет», tenant 2, threshold 60 s): answered by operator in 50 s, one waiting.
    storeCall(2, '79260000001', { answerAfter: 50, by: operatorId });
    storeCall(2, '79260000002', {}, 7);

    const a = await wallboard(supA);
    const line1 = a.lines.find((l) => l.lineId === 1)!;
    expect(line1).toMatchObject({ name: 'Аварийная линия', slThresholdSec: 20, offered: 5, answered: 1, abandoned: 1, shortAbandoned: 1, overflowed: 1, answeredOnMobile: 1, unanswered: 0, callbacksPending: 2, waiting: 1 });
    expect(line1.serviceLevel).toBe(33.3); // 1 within 20 s of (1 + 1 mobile + 1 abandoned)
    expect(line1.longestWaitSec).toBeGreaterThanOrEqual(42);
    expect(line1.asaSec).toBe(19); // (8 + 30) / 2
    expect(a.lines.find((l) => l.lineId === 2)).toMatchObject({ slThresholdSec: 60, offered: 2, answered: 1, serviceLevel: 100, waiting: 1 });
    expect(a.tenants.map((t) => t.tenantId).sort()).toEqual([1, 2]);
    expect(a.total).toMatchObject({ offered: 7, answered: 2, waiting: 2 });
    expect(a.definitions.serviceLevel).toMatch(/Уровень обслуживания/);
    expect(a.waitingCalls.map((w) => w.caller)).toEqual(['79160000005', '79260000002']);
    expect(a.chart.length).toBeGreaterThan(0);

    const b = await wallboard(supB);
    expect(b.lines.map((l) => l.lineId)).toEqual([2]);
    expect(b.tenants.map((t) => t.tenantId)).toEqual([2]);
    expect(b.total).toMatchObject({ offered: 2, answered: 1, waiting: 1, callbacksPending: 0 });
    expect(b.waitingCalls.map((w) => w.caller)).toEqual(['79260000002']);
    expect(b.callbacks).toEqual([]);
    expect(b.operators.map((o) => o.userId)).toEqual([operatorId]); // operator2 serves tenant 1 only
    expect(JSON.stringify(b)).not.toContain('7916000000');
    expect(JSON.stringify(b)).not.toContain('Северный');

    const op2 = a.operators.find((o) => o.userId === operator2Id)!;
    expect(op2.handledToday).toBe(1);
  });

  it('pushes snapshots on call events, each supervisor only their own companies', async () => {
    const A = await socketFor(supA);
    const B = await socketFor(supB);
    const opSock = await socketFor(operatorToken);
    await until('snapshots on connect', () => A.snaps.length > 0 && B.snaps.length > 0);
    const t0 = Date.now();
    storeCall(1, '79169999999', {}, 1);
    const got = await until('A sees the new waiting call', () => A.snaps.find((x) => x.waitingCalls.some((w) => w.caller === '79169999999')));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(got.lines.find((l) => l.lineId === 1)!.waiting).toBe(2);
    await new Promise((r) => setTimeout(r, 1300)); // the 1 s tick while calls wait
    expect(A.snaps.length).toBeGreaterThanOrEqual(3);
    expect(B.snaps.length).toBeGreaterThanOrEqual(2);
    for (const x of B.snaps) {
      expect(x.lines.map((l) => l.lineId)).toEqual([2]);
      expect(x.waitingCalls.some((w) => w.caller === '79169999999')).toBe(false);
    }
    let opGot = 0;
    opSock.c.on('wallboard.snapshot', () => opGot++);
    await new Promise((r) => setTimeout(r, 300));
    expect(opGot).toBe(0); // operators get no wallboard
  });

  it('force pause / log out only within the supervisor\'s companies', async () => {
    expect((await api(s.url, 'POST', `/api/operators/${operator2Id}/state`, { state: 'paused', reason: 'Обед' }, supB)).status).toBe(403);
    const ok = await api<{ operator: { state: string; pauseReason: string } }>(s.url, 'POST', `/api/operators/${operatorId}/state`, { state: 'paused', reason: 'Обучение' }, supB);
    expect(ok.status).toBe(200);
    expect(ok.body.operator).toMatchObject({ state: 'paused', pauseReason: 'Обучение' });
    expect((await api(s.url, 'POST', `/api/operators/${operator2Id}/state`, { state: 'offline' }, supA)).status).toBe(200);
    const b = await wallboard(supB);
    expect(b.operators.find((o) => o.userId === operatorId)).toMatchObject({ state: 'paused', pauseReason: 'Обучение' });
  });

  it('callbacks: assign to an operator of the company, then done; never across companies', async () => {
    const a = await wallboard(supA);
    const task = a.callbacks.find((c) => c.caller === '79160000002')!;
    expect(task).toMatchObject({ reason: 'abandoned', status: 'pending', line: 'Аварийная линия' });
    expect((await api(s.url, 'POST', `/api/callbacks/${task.id}/assign`, { userId: operatorId }, supB)).status).toBe(404); // not B's company
    const r = await api(s.url, 'POST', `/api/callbacks/${task.id}/assign`, { userId: operator2Id }, supA);
    expect(r.status).toBe(200);
    const after = await wallboard(supA);
    expect(after.callbacks.find((c) => c.id === task.id)).toMatchObject({ status: 'assigned', assignedTo: { userId: operator2Id } });
    expect(after.lines.find((l) => l.lineId === 1)!.callbacksPending).toBe(2); // assigned is not called back yet
    expect((await api(s.url, 'POST', `/api/callbacks/${task.id}/done`, {}, supA)).status).toBe(200);
    expect((await api(s.url, 'POST', `/api/callbacks/${task.id}/done`, {}, supA)).status).toBe(409);
    const done = await wallboard(supA);
    expect(done.callbacks.some((c) => c.id === task.id)).toBe(false);
    expect(done.lines.find((l) => l.lineId === 1)!.callbacksPending).toBe(1);
  });

  it('figures are the same after a restart: they come from stored records only', async () => {
    const strip = (x: WallboardSnapshot) => ({ lines: x.lines.map(({ longestWaitSec: _l, ...l }) => l), tenants: x.tenants.map(({ longestWaitSec: _l, ...t }) => t), callbacks: x.callbacks });
    const before = await wallboard(admin);
    for (const c of sockets) c.close();
    sockets.length = 0;
    await s.stop();
    await boot();
    admin = await login(s.url, 'admin', 'demo');
    const after = await wallboard(admin);
    expect(strip(after)).toEqual(strip(before));
    expect(after.total.offered).toBe(8);
  });

  it('supervision needs an answered call and a provisioned phone', async () => {
    const waiting = storeCall(1, '79161111111', {}, 3);
    const r = await api<{ error: { code: string } }>(s.url, 'POST', '/api/supervise', { callId: waiting, mode: 'listen', supervisorEndpoint: 'PJSIP/1001' }, admin);
    expect(r.status).toBe(409);
    const bad = await api(s.url, 'POST', '/api/supervise', { callId: waiting, mode: 'listen', supervisorEndpoint: 'PJSIP/79990000001' }, admin);
    expect(bad.status).toBe(400);
    const sup = await login(s.url, 'supB', 'secret-b');
    expect((await api(s.url, 'POST', '/api/supervise', { callId: waiting, mode: 'listen', supervisorEndpoint: '1001' }, sup)).status).toBe(404); // not B's line
  });
});
