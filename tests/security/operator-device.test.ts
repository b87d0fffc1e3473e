// Issue 13, item 1: an operator's extension and device, changed by an admin.
// The change is audited, a taken extension is a 409, bad input a 400 naming
// the field, everyone but an admin is refused (403), an unknown operator is
// 404; the operator's own console gets the new extension; the PBX gets the
// endpoint through ARI dynamic configuration at once (a fake ARI REST server
// here records the requests: the old extension's endpoint deleted, the new
// one put), and a desk phone's new SIP account is shown to the admin once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
let ari: http.Server;
const ariRequests: { method: string; path: string; body: string }[] = [];
let admin = '';
let supervisor = '';
let operator2 = '';
let op2Id = 0;

interface Operator { userId: number; extension: string; deviceKind: string; staticContact: string | null }
type Err = { error: { code: string; details?: { field: string }[] } };

beforeAll(async () => {
  // ARI's REST side only: the dynamic configuration requests are recorded and accepted.
  ari = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      ariRequests.push({ method: req.method!, path: req.url!, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
  });
  await new Promise<void>((r) => ari.listen(0, '127.0.0.1', r));
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_ARI_URL: `http://127.0.0.1:${(ari.address() as AddressInfo).port}` });
  admin = await login(s.url, 'admin', 'demo');
  supervisor = await login(s.url, 'supervisor', 'demo');
  operator2 = await login(s.url, 'operator2', 'demo');
  op2Id = s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
});
afterAll(async () => {
  await s?.stop();
  await new Promise((r) => ari?.close(r));
});

/** As if the PBX link were up (the fake ARI has no event socket). */
function pbxUp(up: boolean) {
  Object.defineProperty(s.pbx.client, 'connected', { configurable: true, get: () => up });
}
const configRequests = () => ariRequests.filter((r) => r.path.startsWith('/ari/asterisk/config/dynamic/res_pjsip/')).map((r) => `${r.method} ${r.path.replace('/ari/asterisk/config/dynamic/res_pjsip/', '')}`);

describe('an operator\'s extension and device', () => {
  it('an admin moves an operator to a new extension: audited, pushed to the PBX, seen by the operator\'s console', async () => {
    pbxUp(true);
    ariRequests.length = 0;
    const r = await api<{ operator: Operator; provisioned: boolean; sipAccount: unknown }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1012' }, admin);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ operator: { userId: op2Id, extension: '1012', deviceKind: 'webrtc', staticContact: null }, provisioned: true, sipAccount: null });
    expect(configRequests()).toEqual(['DELETE endpoint/1002', 'DELETE aor/1002', 'DELETE auth/1002', 'PUT auth/1012', 'PUT aor/1012', 'PUT endpoint/1012']);
    expect(ariRequests.find((x) => x.path.endsWith('endpoint/1012'))!.body).toContain('"webrtc"');

    const me = await api<{ operator: Operator; sip: { extension: string } }>(s.url, 'GET', '/api/operators/me', undefined, operator2);
    expect(me.body.operator.extension).toBe('1012');
    expect(me.body.sip.extension).toBe('1012');

    const audit = await api<{ items: { action: string; entity: string; entityId: number; before: unknown; after: unknown }[] }>(s.url, 'GET', `/api/audit?entity=user&entityId=${op2Id}`, undefined, admin);
    expect(audit.body.items[0]).toMatchObject({ action: 'update', before: { extension: '1002', deviceKind: 'webrtc' }, after: { extension: '1012', deviceKind: 'webrtc' } });
  });

  it('a desk phone that registers gets its SIP account shown to the admin once; never in the audit log', async () => {
    ariRequests.length = 0;
    const r = await api<{ operator: Operator; sipAccount: { username: string; password: string; domain: string } | null }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { deviceKind: 'sip' }, admin);
    expect(r.status).toBe(200);
    expect(r.body.operator.deviceKind).toBe('sip');
    expect(r.body.sipAccount).toMatchObject({ username: '1012', domain: expect.any(String) as string });
    expect(r.body.sipAccount!.password.length).toBeGreaterThanOrEqual(12);
    expect(configRequests()).toEqual(['PUT auth/1012', 'PUT aor/1012', 'PUT endpoint/1012']);
    expect(ariRequests.find((x) => x.path.endsWith('endpoint/1012'))!.body).toContain('transport-udp');

    const reset = await api<{ sipAccount: { password: string } }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { resetSipPassword: true }, admin);
    expect(reset.body.sipAccount.password).not.toBe(r.body.sipAccount!.password);
    expect(ariRequests.filter((x) => x.path.endsWith('auth/1012')).at(-1)!.body).toContain(reset.body.sipAccount.password);
    const audit = JSON.stringify((await api(s.url, 'GET', `/api/audit?entity=user&entityId=${op2Id}`, undefined, admin)).body);
    expect(audit).not.toContain(reset.body.sipAccount.password);
    expect(audit).toContain('sipAccountRenewed');

    // A desk phone at a fixed address: no account to show; back to the browser softphone: the contact goes.
    const fixed = await api<{ operator: Operator; sipAccount: unknown }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { staticContact: 'sip:1012@192.0.2.10:5060' }, admin);
    expect(fixed.body).toMatchObject({ operator: { deviceKind: 'sip', staticContact: 'sip:1012@192.0.2.10:5060' }, sipAccount: null });
    const back = await api<{ operator: Operator }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { deviceKind: 'webrtc' }, admin);
    expect(back.body.operator).toMatchObject({ deviceKind: 'webrtc', staticContact: null });
  });

  it('with the PBX down the change is kept and left to the next resync', async () => {
    pbxUp(false);
    ariRequests.length = 0;
    const r = await api<{ operator: Operator; provisioned: boolean }>(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1002' }, admin);
    expect(r.body).toMatchObject({ operator: { extension: '1002' }, provisioned: false });
    expect(configRequests()).toEqual([]);
  });

  it('a taken extension is a 409; bad input a 400 naming the field; nothing changes', async () => {
    const before = (await api<{ items: Operator[] }>(s.url, 'GET', '/api/operators', undefined, admin)).body.items;
    const taken = await api<Err>(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1001' }, admin);
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual([{ field: 'extension', problem: 'taken' }]);
    const fields = async (body: unknown) => {
      const r = await api<Err>(s.url, 'PATCH', `/api/operators/${op2Id}`, body, admin);
      expect(r.status).toBe(400);
      return [...new Set(r.body.error.details!.map((d) => d.field))];
    };
    expect(await fields({ extension: '12' })).toEqual(['extension']);
    expect(await fields({ deviceKind: 'mobile' })).toEqual(['deviceKind']);
    expect(await fields({ staticContact: 'http://x' })).toEqual(['staticContact']);
    expect(await fields({ deviceKind: 'webrtc', staticContact: 'sip:1@192.0.2.1' })).toEqual(['staticContact']);
    expect(await fields({ login: 'x' })).toEqual(['body']);
    expect((await api<{ items: Operator[] }>(s.url, 'GET', '/api/operators', undefined, admin)).body.items).toEqual(before);
  });

  it('only an admin: a supervisor and the operator are refused; an unknown operator is 404; an operator on a call keeps the device', async () => {
    expect((await api(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1013' }, supervisor)).status).toBe(403);
    expect((await api(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1013' }, operator2)).status).toBe(403);
    expect((await api(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1013' })).status).toBe(401);
    expect((await api(s.url, 'PATCH', '/api/operators/9999', { extension: '1013' }, admin)).status).toBe(404);
    const adminId = s.db.prepare("SELECT id FROM users WHERE login = 'admin'").pluck().get() as number;
    expect((await api(s.url, 'PATCH', `/api/operators/${adminId}`, { extension: '1013' }, admin)).status).toBe(404);
    s.operators.setActivity(op2Id, 'oncall', null);
    const busy = await api<Err>(s.url, 'PATCH', `/api/operators/${op2Id}`, { extension: '1013' }, admin);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('operator_busy');
    s.operators.setActivity(op2Id, 'idle', null);
    expect(s.operators.get(op2Id)!.extension).toBe('1002');
  });
});
