// Issue 13, item 1: the admin API. Each route validates (400 naming the
// field), stays within the user's companies (a supervisor of company 1 does
// not find company 2's line: 404; operators: 403), writes an audit entry
// with the record before and after and no secret, and takes effect at once:
// a number moved to another line is answered by that line on the next call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, type Server } from '../support/security-probes.js';

let s: Server;
let admin = '';
let supervisor1 = '';
let operator = '';

interface Problem { field: string; problem: string }
type Err = { error: { code: string; details?: Problem[] } };
interface Entry { action: string; entity: string; entityId: number; tenantId: number | null; userLogin: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }
interface LineBody { id: number; name: string; tenantId: number; dids: string[]; ringTimeoutSec: number; overflowGroupId: number | null }

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  operator = await login(s.url, 'operator', 'demo');
  supervisor1 = (await extraUser(s, 'sup-north', 'supervisor', [1])).token;
});
afterAll(async () => {
  await s?.stop();
});

const lastAudit = async (entity: string, token = admin) => (await api<{ items: Entry[] }>(s.url, 'GET', `/api/audit?entity=${entity}&limit=1`, undefined, token)).body.items[0]!;
const auditRows = () => s.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

describe('companies', () => {
  it('an admin creates and renames a company; both audited with before and after', async () => {
    const c = await api<{ tenant: { id: number; name: string } }>(s.url, 'POST', '/api/tenants', { name: 'УК «Заря»' }, admin);
    expect(c.status).toBe(201);
    expect(await lastAudit('tenant')).toMatchObject({ action: 'create', entityId: c.body.tenant.id, userLogin: 'admin', before: null, after: { name: 'УК «Заря»' } });
    const p = await api(s.url, 'PATCH', `/api/tenants/${c.body.tenant.id}`, { name: 'УК «Заря-2»' }, admin);
    expect(p.status).toBe(200);
    expect(await lastAudit('tenant')).toMatchObject({ action: 'update', before: { name: 'УК «Заря»' }, after: { name: 'УК «Заря-2»' } });
    const list = await api<{ items: { name: string }[] }>(s.url, 'GET', '/api/tenants', undefined, admin);
    expect(list.body.items.map((t) => t.name)).toContain('УК «Заря-2»');
  });

  it('bad input is a 400 naming the field, a taken name a 409; supervisors and operators get 403; nothing is audited', async () => {
    const n = auditRows();
    const bad = await api<Err>(s.url, 'POST', '/api/tenants', { name: '  ' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'name', problem: 'enter the company name' }]);
    const existing = (await api<{ items: { id: number; name: string }[] }>(s.url, 'GET', '/api/tenants', undefined, admin)).body.items.find((t) => t.id === 2)!.name;
    expect((await api(s.url, 'POST', '/api/tenants', { name: existing }, admin)).status).toBe(409);
    for (const t of [supervisor1, operator]) {
      expect((await api(s.url, 'POST', '/api/tenants', { name: 'Чужая' }, t)).status).toBe(403);
      expect((await api(s.url, 'PATCH', '/api/tenants/2', { name: 'Чужая' }, t)).status).toBe(403);
    }
    expect((await api(s.url, 'PATCH', '/api/tenants/999', { name: 'Нет' }, admin)).status).toBe(404);
    expect(auditRows()).toBe(n);
  });
});

describe('lines', () => {
  it('a number moved to a new line is answered by that line right after the PATCH; settings too (the line cache is refreshed)', async () => {
    const lines = (await api<{ items: LineBody[] }>(s.url, 'GET', '/api/lines', undefined, admin)).body.items;
    const north = lines.find((l) => l.id === 1)!;
    const did = north.dids[0]!;
    expect(s.lines.findByDid(did)!.id).toBe(1);
    expect(s.lines.get(1)!.ringTimeoutSec).toBe(north.ringTimeoutSec); // cached now
    const created = await api<{ line: LineBody }>(s.url, 'POST', '/api/lines', { name: 'Новая (Северный)', tenantId: 1 }, supervisor1);
    expect(created.status).toBe(201);
    // The number still belongs to line 1: a 409 naming it.
    const taken = await api<Err>(s.url, 'PATCH', `/api/lines/${created.body.line.id}`, { dids: [did] }, supervisor1);
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual([{ field: 'dids', problem: `${did} is taken by another line` }]);
    // Moved: off line 1, onto the new line.
    expect((await api(s.url, 'PATCH', '/api/lines/1', { dids: north.dids.slice(1), ringTimeoutSec: 33 }, supervisor1)).status).toBe(200);
    expect(s.lines.get(1)!.ringTimeoutSec).toBe(33);
    const moved = await api<{ line: LineBody }>(s.url, 'PATCH', `/api/lines/${created.body.line.id}`, { dids: [did], priority: 5 }, supervisor1);
    expect(moved.status).toBe(200);
    expect(moved.body.line.dids).toEqual([did]);
    expect(s.lines.findByDid(did)).toMatchObject({ id: created.body.line.id, priority: 5 });
    expect(await lastAudit('line', supervisor1)).toMatchObject({ action: 'update', entityId: created.body.line.id, tenantId: 1, userLogin: 'sup-north', before: { dids: [], priority: 0 }, after: { dids: [did], priority: 5 } });
  });

  it('validation: 400 with details, nothing changed', async () => {
    const n = auditRows();
    const r = await api<Err>(s.url, 'PATCH', '/api/lines/1', { ringTimeoutSec: 1, dids: ['12ab'], workingHours: { mon: ['25:00', '08:00'] } }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.details!.map((d) => d.field).sort()).toEqual(['dids.0', 'ringTimeoutSec', 'workingHours.mon.0']);
    expect((await api<Err>(s.url, 'PATCH', '/api/lines/1', {}, admin)).body.error.details).toEqual([{ field: 'body', problem: 'nothing to change' }]);
    const g = await api<Err>(s.url, 'PATCH', '/api/lines/1', { overflowGroupId: 9999 }, admin);
    expect(g.body.error.details).toEqual([{ field: 'overflowGroupId', problem: 'no such overflow group' }]);
    expect(auditRows()).toBe(n);
  });

  it('a supervisor of company 1 does not find company 2\'s line (404) nor moves a line to company 2 (400); operators: 403', async () => {
    expect((await api(s.url, 'PATCH', '/api/lines/2', { name: 'Моя' }, supervisor1)).status).toBe(404);
    const r = await api<Err>(s.url, 'PATCH', '/api/lines/1', { tenantId: 2 }, supervisor1);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'tenantId', problem: 'no such company' }]);
    expect((await api(s.url, 'PATCH', '/api/lines/1', { name: 'X' }, operator)).status).toBe(403);
    expect(s.lines.get(2)!.name).not.toBe('Моя');
    expect(s.lines.get(1)!.tenantId).toBe(1);
  });
});

describe('overflow groups', () => {
  it('an admin creates a group of mobiles, changes it, a line overflows to it; audited; a group in use is not deleted', async () => {
    const c = await api<{ group: { id: number; members: unknown[] } }>(s.url, 'POST', '/api/overflow-groups', { name: 'Ночные', mode: 'simultaneous', timeoutSec: 25, members: [{ number: '+79001112233' }] }, admin);
    expect(c.status).toBe(201);
    expect(c.body.group.members).toEqual([{ position: 1, number: '+79001112233', userId: null }]);
    const id = c.body.group.id;
    const u = await api(s.url, 'PUT', `/api/overflow-groups/${id}`, { name: 'Ночные', mode: 'sequential', timeoutSec: 20, members: [{ number: '+79001112233' }, { number: '+79004445566' }] }, admin);
    expect(u.status).toBe(200);
    expect(await lastAudit('overflow-group')).toMatchObject({ action: 'update', entityId: id, before: { mode: 'simultaneous' }, after: { mode: 'sequential', members: [{ number: '+79001112233' }, { number: '+79004445566' }] } });
    expect((await api(s.url, 'PATCH', '/api/lines/1', { overflowGroupId: id }, admin)).status).toBe(200);
    expect(s.lines.overflowGroup(s.lines.get(1)!.overflowGroupId!)!.members.map((m) => m.number)).toEqual(['+79001112233', '+79004445566']);
    expect((await api(s.url, 'DELETE', `/api/overflow-groups/${id}`, undefined, admin)).status).toBe(409);
  });

  it('validation and roles', async () => {
    const r = await api<Err>(s.url, 'POST', '/api/overflow-groups', { name: 'Пустая', mode: 'both', timeoutSec: 25, members: [{ number: 'abc', userId: 99999 }] }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.details!.map((d) => d.field).sort()).toEqual(['members.0.number', 'mode']);
    const who = await api<Err>(s.url, 'POST', '/api/overflow-groups', { name: 'Чья', mode: 'sequential', timeoutSec: 25, members: [{ number: '+79001112233', userId: 99999 }] }, admin);
    expect(who.body.error.details).toEqual([{ field: 'members.0.userId', problem: 'no such user' }]);
    for (const t of [supervisor1, operator]) expect((await api(s.url, 'GET', '/api/overflow-groups', undefined, t)).status).toBe(403);
  });
});

describe('users', () => {
  it('an admin creates, edits, resets and disables a user; the log keeps before/after and never a password', async () => {
    const c = await api<{ user: { id: number; tenantIds: number[] } }>(s.url, 'POST', '/api/users', { login: 'night-mobile', password: 'secret-pass-1', role: 'overflow', fullName: 'Дежурный Н.', mobileNumber: '+79007778899', tenantIds: [1] }, admin);
    expect(c.status).toBe(201);
    const id = c.body.user.id;
    const own = await login(s.url, 'night-mobile', 'secret-pass-1');
    const e = await api<{ user: { fullName: string; tenantIds: number[] } }>(s.url, 'PATCH', `/api/users/${id}`, { fullName: 'Дежурный Николаев', tenantIds: [1, 2] }, admin);
    expect(e.body.user).toMatchObject({ fullName: 'Дежурный Николаев', tenantIds: [1, 2] });
    // New companies: their session ends (sockets joined rooms by the old ones); they log in again.
    expect((await api(s.url, 'GET', '/api/me', undefined, own)).status).toBe(401);
    expect((await api(s.url, 'POST', `/api/users/${id}/reset-password`, { newPassword: 'another-pass-2' }, admin)).status).toBe(204);
    expect((await api(s.url, 'POST', `/api/users/${id}/disable`, undefined, admin)).status).toBe(204);
    const log = (await api<{ items: Entry[] }>(s.url, 'GET', `/api/audit?entity=user&entityId=${id}`, undefined, admin)).body.items;
    expect(log.map((x) => x.action)).toEqual(['disable', 'reset-password', 'update', 'create']);
    expect(log[2]).toMatchObject({ before: { fullName: 'Дежурный Н.', tenantIds: [1] }, after: { fullName: 'Дежурный Николаев', tenantIds: [1, 2] } });
    expect(log[0]!.after).toMatchObject({ disabledAt: expect.any(String) });
    const raw = JSON.stringify(s.db.prepare('SELECT before, after FROM audit_log').all());
    expect(raw).not.toMatch(/password|secret-pass|another-pass|scrypt|sipPassword/i);
  });

  it('an operator made through /api/operators is audited without their SIP password', async () => {
    const r = await api<{ operator: { userId: number } }>(s.url, 'POST', '/api/operators', { login: 'op-new', password: 'op-pass-123', fullName: 'Новый оператор', extension: '1777', tenantIds: [1] }, admin);
    expect(r.status).toBe(201);
    const entry = await lastAudit('user');
    expect(entry).toMatchObject({ action: 'create', entityId: r.body.operator.userId, after: { extension: '1777', role: 'operator' } });
    expect(JSON.stringify(entry)).not.toMatch(/password/i);
  });

  it('validation: 400 with details; an operator keeps the role; roles other than admin: 403', async () => {
    const bad = await api<Err>(s.url, 'POST', '/api/users', { login: 'x y', password: 'short', role: 'operator', fullName: '' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details!.map((d) => d.field).sort()).toEqual(['fullName', 'login', 'password', 'role']);
    const opId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
    const role = await api<Err>(s.url, 'PATCH', `/api/users/${opId}`, { role: 'supervisor' }, admin);
    expect(role.status).toBe(400);
    expect(role.body.error.details).toEqual([{ field: 'role', problem: 'cannot change' }]);
    expect((await api<Err>(s.url, 'PATCH', `/api/users/${opId}`, { tenantIds: [999] }, admin)).status).toBe(400);
    for (const t of [supervisor1, operator]) {
      expect((await api(s.url, 'POST', '/api/users', { login: 'evil', password: 'evil-pass-1', role: 'admin', fullName: 'E' }, t)).status).toBe(403);
      expect((await api(s.url, 'PATCH', `/api/users/${opId}`, { fullName: 'E' }, t)).status).toBe(403);
    }
  });
});

describe('cloud-PBX accounts', () => {
  it('connecting one is audited without its keys', async () => {
    const r = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'mango', name: 'Манго', tenantId: 1, account: 'north', secrets: { apiSalt: 'salt-very-secret' } }, admin);
    expect(r.status).toBe(201);
    const entry = await lastAudit('vpbx-account');
    expect(entry).toMatchObject({ action: 'create', entityId: r.body.account.id, tenantId: 1, after: { vendor: 'mango', account: 'north' } });
    expect(JSON.stringify(s.db.prepare("SELECT after FROM audit_log WHERE entity = 'vpbx-account'").all())).not.toContain('salt-very-secret');
  });
});

describe('the audit log', () => {
  it('a supervisor sees only their companies\' entries; operators 403; bad filters 400', async () => {
    const mine = (await api<{ items: Entry[]; total: number }>(s.url, 'GET', '/api/audit?limit=500', undefined, supervisor1)).body;
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((x) => x.tenantId === 1)).toBe(true);
    const all = (await api<{ total: number }>(s.url, 'GET', '/api/audit', undefined, admin)).body;
    expect(all.total).toBeGreaterThan(mine.total);
    expect((await api(s.url, 'GET', '/api/audit?tenantId=2', undefined, supervisor1)).body).toMatchObject({ items: [], total: 0 });
    expect((await api(s.url, 'GET', '/api/audit', undefined, operator)).status).toBe(403);
    const bad = await api<Err>(s.url, 'GET', '/api/audit?from=yesterday&entity=call', undefined, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details!.map((d) => d.field).sort()).toEqual(['entity', 'from']);
    const paged = (await api<{ items: Entry[] }>(s.url, 'GET', '/api/audit?limit=2&offset=1', undefined, admin)).body.items;
    expect(paged).toHaveLength(2);
    const future = (await api<{ total: number }>(s.url, 'GET', '/api/audit?from=2999-01-01', undefined, admin)).body;
    expect(future.total).toBe(0);
  });
});
