import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { hashPassword } from '../../src/features/auth/passwords.js';

let s: Awaited<ReturnType<typeof testServer>>;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.stop();
});

describe('authentication', () => {
  it('health is public and says whether the PBX is connected', async () => {
    const r = await api<{ status: string; pbx: { connected: boolean } }>(s.url, 'GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', pbx: { connected: false } });
  });

  it('every other API route needs a token', async () => {
    for (const p of ['/api/calls', '/api/callbacks', '/api/operators', '/api/me', '/api/nope']) {
      const r = await api<{ error: { code: string } }>(s.url, 'GET', p);
      expect(r.status, p).toBe(401);
      expect(r.body.error.code).toBe('unauthenticated');
    }
    const bad = await api(s.url, 'GET', '/api/calls', undefined, 'not-a-token');
    expect(bad.status).toBe(401);
  });

  it('logs in with the demo logins and refuses wrong passwords with one message', async () => {
    const ok = await api<{ token: string; user: { role: string } }>(s.url, 'POST', '/api/auth/login', { login: 'admin', password: 'demo' });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(ok.body.user.role).toBe('admin');
    const wrong = await api<{ error: { message: string } }>(s.url, 'POST', '/api/auth/login', { login: 'admin', password: 'nope' });
    const unknown = await api<{ error: { message: string } }>(s.url, 'POST', '/api/auth/login', { login: 'ghost', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('bad input gets a 400 that says what is wrong', async () => {
    const r = await api<{ error: { code: string; details: { field: string }[] } }>(s.url, 'POST', '/api/auth/login', { login: '' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d) => d.field).sort()).toEqual(['login', 'password']);
    const notJson = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('logout ends the session', async () => {
    const t = await login(s.url, 'operator', 'demo');
    expect((await api(s.url, 'GET', '/api/me', undefined, t)).status).toBe(200);
    expect((await api(s.url, 'POST', '/api/auth/logout', undefined, t)).status).toBe(204);
    expect((await api(s.url, 'GET', '/api/me', undefined, t)).status).toBe(401);
  });
});

describe('roles and scope', () => {
  it('only an admin provisions operators; input is validated', async () => {
    const op = await login(s.url, 'operator', 'demo');
    const denied = await api(s.url, 'POST', '/api/operators', { login: 'x1', password: 'secret1', fullName: 'X', extension: '1500' }, op);
    expect(denied.status).toBe(403);
    const admin = await login(s.url, 'admin', 'demo');
    const bad = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', '/api/operators', { login: 'x 1', password: '1', fullName: '', extension: 'abc' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field).sort()).toEqual(['extension', 'fullName', 'login', 'password']);
    const created = await api<{ provisioned: boolean }>(s.url, 'POST', '/api/operators', { login: 'x1', password: 'secret1', fullName: 'X', extension: '1500' }, admin);
    expect(created.status).toBe(201);
    expect(created.body.provisioned).toBe(false); // PBX down: pushed on the next resync
    const dup = await api(s.url, 'POST', '/api/operators', { login: 'x2', password: 'secret1', fullName: 'X', extension: '1500' }, admin);
    expect(dup.status).toBe(409);
  });

  it('an operator changes only their own state; a pause needs a reason', async () => {
    const op = await login(s.url, 'operator', 'demo');
    const noReason = await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused' }, op);
    expect(noReason.status).toBe(400);
    const paused = await api<{ operator: { state: string; pauseReason: string } }>(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'обед' }, op);
    expect(paused.body.operator).toMatchObject({ state: 'paused', pauseReason: 'обед' });
    const other = await api(s.url, 'POST', '/api/operators/1/state', { state: 'offline' }, op);
    expect(other.status).toBe(403);
  });

  it('a supervisor lists only the operators of their own companies', async () => {
    const id = Number(s.db.prepare("INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES ('sup2', ?, 'supervisor', 'Sup 2', '2026-01-01')").run(hashPassword('secret1')).lastInsertRowid);
    s.db.prepare('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, 2)').run(id); // ТСЖ «Рассвет» only
    const sup2 = await login(s.url, 'sup2', 'secret1');
    const theirs = await api<{ items: { login: string }[] }>(s.url, 'GET', '/api/operators', undefined, sup2);
    expect(theirs.body.items.map((o) => o.login)).toEqual(['operator']); // operator2 serves company 1 only
    const sup = await login(s.url, 'supervisor', 'demo');
    const all = await api<{ items: { login: string }[] }>(s.url, 'GET', '/api/operators', undefined, sup);
    expect(all.body.items.map((o) => o.login)).toEqual(expect.arrayContaining(['operator', 'operator2']));
    const denied = await api(s.url, 'POST', `/api/operators/${s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number}/state`, { state: 'offline' }, sup2);
    expect(denied.status).toBe(403);
  });

  it('the call log validates its time filter', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const bad = await api(s.url, 'GET', '/api/calls?from=yesterday', undefined, admin);
    expect(bad.status).toBe(400);
    const ok = await api<{ items: unknown[] }>(s.url, 'GET', '/api/calls?from=2026-01-01T00:00:00Z&limit=5', undefined, admin);
    expect(ok.status).toBe(200);
    expect(ok.body.items).toEqual([]);
  });
});
