// Issue 15, items 4 and 5: a callback task or an outbound call of another
// company is as unknown as a missing one (404); bad input is a 400 that says
// what is wrong. Demo companies: 1 (line 1) and 2 (line 2); operator2 serves
// company 1 only. The test server has no Asterisk (the PBX shows as down).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, socketFor, storeCall, type Server } from '../support/security-probes.js';
import type { CallCard } from '../../src/realtime/contract.js';
import { CallRepository } from '../../src/features/calls/repository.js';

let s: Server;
let operator2 = '';
let foreignTask = 0;
let ownTask = 0;

const taskOn = (lineId: number, caller: string): number => {
  const id = storeCall(s, lineId);
  s.db.prepare('UPDATE calls SET caller_number = ? WHERE id = ?').run(caller, id);
  new CallRepository(s.db).end(id, { endedAt: new Date().toISOString(), outcome: 'abandoned', endReason: 'caller hung up while waiting' });
  return s.db.prepare('SELECT id FROM callback_tasks WHERE call_id = ?').pluck().get(id) as number;
};

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  operator2 = await login(s.url, 'operator2', 'demo');
  foreignTask = taskOn(2, '79160000002');
  ownTask = taskOn(1, '79160000001');
});
afterAll(async () => {
  await s?.stop();
});

describe('callbacks and outbound calls stay within the company', () => {
  it('another company\'s task: 404 to call it, to dial it by id, to read it; nothing is dialled or logged', async () => {
    const before = s.db.prepare("SELECT count(*) FROM calls WHERE direction = 'outbound'").pluck().get();
    for (const [method, path, body] of [
      ['POST', '/api/calls/outbound', { number: '79160000002', callbackId: foreignTask }],
      ['POST', `/api/callbacks/${foreignTask}/call`, {}],
      ['GET', `/api/callbacks/${foreignTask}`, undefined],
    ] as const) {
      const r = await api<{ error: { code: string; message: string } }>(s.url, method, path, body, operator2);
      expect(r.status, path).toBe(404);
      // The route exists and said "no such task" (not "no such route").
      expect(r.body.error.message, path).toMatch(/^callback .*not found$/);
    }
    expect(s.db.prepare("SELECT count(*) FROM calls WHERE direction = 'outbound'").pluck().get()).toBe(before);
    expect(s.db.prepare('SELECT attempts, status FROM callback_tasks WHERE id = ?').get(foreignTask)).toEqual({ attempts: 0, status: 'pending' });
  });

  it('their own company\'s task gets past the check (the PBX is down here: 503), and reads with its countdown', async () => {
    expect((await api(s.url, 'POST', '/api/calls/outbound', { number: '79160000001', callbackId: ownTask }, operator2)).status).toBe(503);
    const r = await api<{ id: number; dueAt: string; overdue: boolean; callable: boolean; attempts: number }>(s.url, 'GET', `/api/callbacks/${ownTask}`, undefined, operator2);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: ownTask, overdue: false, callable: true, attempts: 0 });
    expect(Date.parse(r.body.dueAt)).toBeGreaterThan(Date.now());
  });

  it('bad input is a 400 naming the field', async () => {
    for (const body of [{ number: 'PJSIP/1001' }, { number: '7916;Dial(x)' }, { number: '79161234567', callbackId: 'x' }, { number: '79161234567', extra: 1 }, {}]) {
      const r = await api<{ error: { message: string } }>(s.url, 'POST', '/api/calls/outbound', body, operator2);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(s.url, 'POST', '/api/callbacks/abc/call', {}, operator2)).status).toBe(400);
  });

  it('the wallboard shows the countdown and alarms of its own companies\' tasks only', async () => {
    s.db.prepare('UPDATE callback_tasks SET due_at = ? WHERE id = ?').run(new Date(Date.now() - 60_000).toISOString(), foreignTask);
    type Board = { callbacks: { id: number; dueAt: string; alarm: string | null; callable: boolean }[]; commitments: { callbacksOverdue: number; callbacksNearDue: number; answeredWithin5Min: { of: number } } };
    const both = await api<Board>(s.url, 'GET', '/api/wallboard', undefined, await login(s.url, 'supervisor', 'demo'));
    expect(both.body.commitments.callbacksOverdue).toBe(1);
    expect(both.body.callbacks.find((c) => c.id === foreignTask)).toMatchObject({ alarm: 'overdue', callable: true });
    expect(both.body.callbacks.find((c) => c.id === ownTask)!.alarm).toBeNull();
    const north = await api<Board>(s.url, 'GET', '/api/wallboard', undefined, (await extraUser(s, 'sup-north-cb', 'supervisor', [1])).token);
    expect(north.body.commitments.callbacksOverdue).toBe(0);
    expect(north.body.callbacks.map((c) => c.id)).toEqual([ownTask]);
  });

  it('the operator\'s phone rings for a callback with the number\'s card: outbound, why, earlier attempts', async () => {
    const me = (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, operator2)).body.user.id;
    const at = new Date().toISOString();
    const outbound = (id: string, state: string) => s.db.prepare(`INSERT INTO calls (id, direction, line_id, did, caller_number, caller_channel_id, state, arrived_at, callback_task_id, outcome)
      VALUES (?, 'outbound', 1, '74950000001', '79160000001', ?, ?, ?, ?, ?)`).run(id, `${id}-p1`, state, at, ownTask, state === 'ended' ? 'unanswered' : null);
    outbound('00000000-0000-4000-8000-00000000cb01', 'ended');
    outbound('00000000-0000-4000-8000-00000000cb02', 'waiting');
    s.db.prepare(`INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, 'operator', ?, 'PJSIP/1002', ?)`).run('00000000-0000-4000-8000-00000000cb02', 'cb02-o1', me, at);
    const sock = await socketFor(s, operator2);
    const card = new Promise<CallCard>((resolve) => sock.once('call.offered', resolve));
    s.events.emit('call.offered', { callId: '00000000-0000-4000-8000-00000000cb02', kind: 'operator', userId: me, target: '1002', at });
    const c = await card;
    sock.close();
    expect(c).toMatchObject({ caller: '79160000001', direction: 'outbound', callback: { id: ownTask, reason: 'abandoned' } });
    expect(c.callback!.attempts).toEqual([{ at, outcome: 'unanswered', endReason: null }]);
  });
});
