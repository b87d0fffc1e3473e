// Issue 9, item 13: what grew forever is pruned (expired sessions, the raw
// webhook log, applied-event keys) by a nightly node-cron job, and what was
// read whole is read by index and page (GET /api/callbacks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTasks } from 'node-cron';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { silentLogger } from '../../src/log.js';
import { RetentionService } from '../../src/features/retention/index.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { extraUser, storeCall, type Server } from '../support/security-probes.js';

let s: Server;
let admin = '';
const DAY = 24 * 3600_000;
const iso = (t: number) => new Date(t).toISOString();
const count = (table: string) => s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function seedOld(now: number): void {
  const userId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
  const session = s.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  session.run(`expired-${now}`, userId, iso(now - 2 * DAY), iso(now - DAY));
  session.run(`live-${now}`, userId, iso(now - 1000), iso(now + DAY));
  const hook = s.db.prepare("INSERT INTO webhook_log (vendor, account_id, received_at, status, body, error) VALUES ('itoolabs', 1, ?, 200, '{}', NULL)");
  hook.run(iso(now - 31 * DAY));
  hook.run(iso(now - 29 * DAY));
  const ev = s.db.prepare("INSERT INTO external_events (event_key, call_id, kind, received_at) VALUES (?, NULL, 'call', ?)");
  ev.run(`old-${now}`, iso(now - 91 * DAY));
  ev.run(`new-${now}`, iso(now - 89 * DAY));
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  s.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(new Date().toISOString());
});

afterAll(async () => {
  await s?.stop();
});

describe('retention', () => {
  it('runOnce deletes expired sessions, webhooks older than 30 days, event keys older than 90; keeps the rest', () => {
    const now = Date.parse('2026-12-01T00:30:00Z');
    s.db.exec('DELETE FROM webhook_log; DELETE FROM external_events');
    const sessionsBefore = count('sessions');
    seedOld(now);
    const service = new RetentionService(s.db, silentLogger, { webhookLogDays: 30, externalEventsDays: 90 });
    const report = service.runOnce(new Date(now));
    expect(report).toEqual({ sessions: 1, webhookLog: 1, externalEvents: 1, recordings: 0 });
    expect(count('sessions')).toBe(sessionsBefore + 1);
    expect(s.db.prepare('SELECT received_at FROM webhook_log').pluck().all()).toEqual([iso(now - 29 * DAY)]);
    expect(s.db.prepare('SELECT event_key FROM external_events').pluck().all()).toEqual([`new-${now}`]);
    // The admin's live session still works.
    return api(s.url, 'GET', '/api/me', undefined, admin).then((r) => expect(r.status).toBe(200));
  });

  it('the server schedules it nightly at 03:30 local time, and the job prunes', async () => {
    const tasks = [...getTasks().values()].filter((t) => t.name === 'retention');
    expect(tasks).toHaveLength(1);
    const next = tasks[0]!.getNextRun()!;
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' }).format(next);
    expect(local).toBe('03:30');
    s.db.exec('DELETE FROM webhook_log; DELETE FROM external_events');
    seedOld(Date.now());
    await tasks[0]!.execute();
    expect(count('webhook_log')).toBe(1);
    expect(count('external_events')).toBe(1);
    expect(s.db.prepare("SELECT count(*) FROM sessions WHERE token_hash LIKE 'expired-%'").pluck().get()).toBe(0);
  });
});

describe('GET /api/callbacks pages', () => {
  it('limit + before walk the tasks newest first, each once; the limit is capped', async () => {
    const calls = new CallRepository(s.db);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = storeCall(s, 1 + (i % 2));
      // Five different callers: repeated abandons from one number are one task (issue 15).
      s.db.prepare('UPDATE calls SET caller_number = ? WHERE id = ?').run(`7916000000${i}`, id);
      calls.end(id, { endedAt: new Date().toISOString(), outcome: 'abandoned', endReason: 'caller hung up while waiting' });
      made.push(id);
    }
    const seen: string[] = [];
    let before: number | null | undefined;
    let pages = 0;
    do {
      const q = `/api/callbacks?limit=2${before ? `&before=${before}` : ''}`;
      const r = await api<{ items: { callId: string; id: number }[]; next: number | null }>(s.url, 'GET', q, undefined, admin);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((x) => x.callId));
      before = r.body.next;
      pages++;
    } while (before && pages < 10);
    expect(seen).toEqual([...made].reverse());
    expect(pages).toBe(3);
    expect((await api(s.url, 'GET', '/api/callbacks?limit=501', undefined, admin)).status).toBe(400);
    expect((await api(s.url, 'GET', '/api/callbacks?before=abc', undefined, admin)).status).toBe(400);
  });

  it('a supervisor of one company pages through their company only', async () => {
    const sup = await extraUser(s, 'sup-retention', 'supervisor', [2]);
    const r = await api<{ items: { lineId: number }[] }>(s.url, 'GET', '/api/callbacks?limit=500', undefined, sup.token);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.every((x) => x.lineId === 2)).toBe(true);
  });
});
