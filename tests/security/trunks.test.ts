// Issue 13, item 2: SIP trunks through the API. Admin only; validated with
// what is wrong; the password is never returned nor audited; a line can only
// use a trunk that exists, and a trunk in use cannot be deleted; /api/health
// lists each trunk with its registration state. (No PBX here: nothing is
// provisioned and registration states are unknown; the real Asterisk proof
// is tests/integration/trunks.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, type Server } from '../support/security-probes.js';

let s: Server;
let admin = '';
let supervisor = '';
let operator = '';
let supervisor2 = '';

const SECRET = 'Very-Secret-77';
interface Problem { field: string; problem: string }
type Err = { error: { code: string; details?: Problem[] } };
interface Trunk { id: number; name: string; mode: string; username: string | null; passwordSet: boolean; state: string; codecs: string[] }

const registering = { name: 'Ростелеком', mode: 'register', host: 'sip.carrier.example', port: 5060, transport: 'udp', codecs: ['alaw', 'ulaw'], username: 'pult74950000001', password: SECRET, callerId: '74950000001' };

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  supervisor = await login(s.url, 'supervisor', 'demo');
  operator = await login(s.url, 'operator', 'demo');
  supervisor2 = (await extraUser(s, 'sup-south', 'supervisor', [2])).token;
});
afterAll(async () => {
  await s?.stop();
});

describe('trunks API (admin only)', () => {
  it('nobody but an admin reads or changes trunks', async () => {
    expect((await api(s.url, 'GET', '/api/trunks')).status).toBe(401);
    for (const token of [supervisor, operator]) {
      expect((await api(s.url, 'GET', '/api/trunks', undefined, token)).status).toBe(403);
      expect((await api(s.url, 'POST', '/api/trunks', registering, token)).status).toBe(403);
      expect((await api(s.url, 'PATCH', '/api/trunks/1', { name: 'x' }, token)).status).toBe(403);
      expect((await api(s.url, 'DELETE', '/api/trunks/1', undefined, token)).status).toBe(403);
    }
    expect(s.db.prepare('SELECT count(*) FROM sip_trunks').pluck().get()).toBe(0);
  });

  it('bad input is a 400 naming each field; a registering trunk needs its login and password', async () => {
    const bad = await api<Err>(s.url, 'POST', '/api/trunks', { ...registering, host: 'evil;host', codecs: ['alaw', 'mp3'], transport: 'sctp', callerId: '+7 495' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details!.map((d) => d.field).sort()).toEqual(['callerId', 'codecs.1', 'host', 'transport']);
    const noPassword = await api<Err>(s.url, 'POST', '/api/trunks', { ...registering, password: undefined }, admin);
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.details).toEqual([{ field: 'password', problem: 'a registering trunk needs the password' }]);
    const injected = await api<Err>(s.url, 'POST', '/api/trunks', { ...registering, username: 'a@b;c' }, admin);
    expect(injected.status).toBe(400);
    expect(injected.body.error.details![0]!.field).toBe('username');
    expect((await api<Err>(s.url, 'POST', '/api/trunks', { ...registering, extra: 1 }, admin)).status).toBe(400);
    expect(s.db.prepare('SELECT count(*) FROM sip_trunks').pluck().get()).toBe(0);
  });

  it('the password is stored for the PBX but never returned nor written to the audit log', async () => {
    const r = await api<{ trunk: Trunk; provisioned: boolean }>(s.url, 'POST', '/api/trunks', registering, admin);
    expect(r.status).toBe(201);
    expect(r.body.provisioned).toBe(false); // no PBX in this test
    expect(r.body.trunk).toMatchObject({ name: 'Ростелеком', mode: 'register', username: 'pult74950000001', passwordSet: true, state: 'unknown' });
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
    const list = await api<{ items: Trunk[] }>(s.url, 'GET', '/api/trunks', undefined, admin);
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    // A change without a password keeps the stored one; a new one replaces it.
    const renamed = await api<{ trunk: Trunk }>(s.url, 'PATCH', `/api/trunks/${r.body.trunk.id}`, { name: 'Ростелеком (основной)' }, admin);
    expect(renamed.status).toBe(200);
    expect(s.db.prepare('SELECT password FROM sip_trunks WHERE id = ?').pluck().get(r.body.trunk.id)).toBe(SECRET);
    expect((await api(s.url, 'PATCH', `/api/trunks/${r.body.trunk.id}`, { password: 'Another-Secret-1' }, admin)).status).toBe(200);
    const audit = await api<{ items: { entity: string; action: string; before: unknown; after: unknown }[] }>(s.url, 'GET', '/api/audit?entity=trunk', undefined, admin);
    expect(audit.body.items.map((e) => e.action).sort()).toEqual(['create', 'update', 'update']);
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
    expect(JSON.stringify(audit.body)).not.toContain('Another-Secret-1');
    expect(audit.body.items.find((e) => e.action === 'create')!.after).toMatchObject({ name: 'Ростелеком', username: 'pult74950000001' });
  });

  it('an ip trunk keeps no login; a taken name is a 409; an unknown trunk a 404', async () => {
    const r = await api<{ trunk: Trunk }>(s.url, 'POST', '/api/trunks', { name: 'МТС', mode: 'ip', host: '10.20.30.40', username: 'ignored', password: 'ignored-1' }, admin);
    expect(r.status).toBe(201);
    expect(r.body.trunk).toMatchObject({ mode: 'ip', username: null, passwordSet: false, codecs: ['alaw', 'ulaw'], state: 'not-applicable' });
    expect((await api<Err>(s.url, 'POST', '/api/trunks', { name: 'МТС', mode: 'ip', host: '10.20.30.41' }, admin)).status).toBe(409);
    expect((await api<Err>(s.url, 'PATCH', `/api/trunks/${r.body.trunk.id}`, { name: 'Ростелеком (основной)' }, admin)).status).toBe(409);
    expect((await api(s.url, 'PATCH', '/api/trunks/999', { name: 'x' }, admin)).status).toBe(404);
    expect((await api(s.url, 'DELETE', '/api/trunks/999', undefined, admin)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/trunks/abc', undefined, admin)).status).toBe(400);
    // Switching it to registration without credentials is refused.
    const sw = await api<Err>(s.url, 'PATCH', `/api/trunks/${r.body.trunk.id}`, { mode: 'register' }, admin);
    expect(sw.status).toBe(400);
    expect(sw.body.error.details!.map((d) => d.field)).toEqual(['username', 'password']);
  });

  it('health lists every trunk with its registration state (unknown without a PBX), never the password', async () => {
    const h = await api<{ trunks: { name: string; mode: string; state: string }[] }>(s.url, 'GET', '/api/health');
    expect(h.status).toBe(200);
    expect(h.body.trunks.map((t) => [t.name, t.mode, t.state])).toEqual([['Ростелеком (основной)', 'register', 'unknown'], ['МТС', 'ip', 'not-applicable']]);
    expect(JSON.stringify(h.body)).not.toContain('Secret');
  });
});

describe('a line\'s trunk and outbound caller id', () => {
  it('a line may use only an existing trunk; a trunk in use cannot be deleted; another company\'s supervisor cannot touch the line', async () => {
    const trunkId = ((await api<{ items: Trunk[] }>(s.url, 'GET', '/api/trunks', undefined, admin)).body.items[0]!).id;
    const missing = await api<Err>(s.url, 'PATCH', '/api/lines/1', { trunkId: 999 }, supervisor);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'trunkId', problem: 'no such trunk' }]);
    expect((await api<Err>(s.url, 'PATCH', '/api/lines/1', { outboundCallerId: 'abc' }, supervisor)).status).toBe(400);
    expect((await api(s.url, 'PATCH', '/api/lines/1', { trunkId }, supervisor2)).status).toBe(404);
    const set = await api<{ line: { trunkId: number; outboundCallerId: string } }>(s.url, 'PATCH', '/api/lines/1', { trunkId, outboundCallerId: '74951112233' }, supervisor);
    expect(set.status).toBe(200);
    expect(set.body.line).toMatchObject({ trunkId, outboundCallerId: '74951112233' });
    const del = await api<Err>(s.url, 'DELETE', `/api/trunks/${trunkId}`, undefined, admin);
    expect(del.status).toBe(409);
    expect(del.body.error.details).toEqual([{ field: 'lineId', problem: 'line 1 uses this trunk' }]);
    expect((await api(s.url, 'PATCH', '/api/lines/1', { trunkId: null }, supervisor)).status).toBe(200);
    expect((await api(s.url, 'DELETE', `/api/trunks/${trunkId}`, undefined, admin)).status).toBe(204);
    const audit = await api<{ items: { action: string; entityId: number }[] }>(s.url, 'GET', `/api/audit?entity=trunk&entityId=${trunkId}`, undefined, admin);
    expect(audit.body.items.map((e) => e.action)).toContain('delete');
  });
});
