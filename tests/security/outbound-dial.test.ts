// Outbound calls people place (issue 15, item 5), probed from outside: the
// number is checked (4xx in words), only the operator's own companies' lines
// are a caller ID, and a company served by a cloud PBX gets its vendor's
// click-to-call — a fake vendor server checks the signature each vendor
// wants (Mango sign, Zadarma Authorization, itoolabs X-API-KEY) with its own
// code, not Pult's; another company's operator reaches no vendor at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface Hit { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: string }

let s: Server;
let admin = '';
let vendor: http.Server;
let vendorBase = '';
const hits: Hit[] = [];
const count = (sql: string, ...args: unknown[]) => s.db.prepare(sql).pluck().get(...args) as number;

const MANGO_KEY = 'mangokey-test-0000000000000000001';
const MANGO_SALT = 'mango-salt-test-0001';
const Z_KEY = 'zadarma-key-test-0001';
const Z_SECRET = 'zadarma-secret-test-0001';
const ITOOLABS_KEY = 'itoolabs-api-key-0001';

beforeAll(async () => {
  vendor = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      hits.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":1000,"status":"success"}');
    });
  });
  await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
  vendorBase = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_RECORDING_HOSTS: '127.0.0.1', PULT_FETCH_ALLOW_PRIVATE: 'true' });
  admin = await login(s.url, 'admin', 'demo');
});
afterAll(async () => {
  await s.stop();
  await new Promise((r) => vendor.close(r));
});

const dial = (token: string, body: unknown) => api<{ via?: string; vendor?: string; number?: string; line?: { id: number; callerId: string }; error?: { message: string; details?: { field: string; problem: string }[] } }>(s.url, 'POST', '/api/calls/dial', body, token);
const lineOf = (tenantId: number) => count('SELECT id FROM lines WHERE tenant_id = ? ORDER BY id LIMIT 1', tenantId);
const userId = (loginName: string) => count('SELECT id FROM users WHERE login = ?', loginName);

describe('POST /api/calls/dial: what may be dialled, from which line', () => {
  it('bad numbers are 400 naming the field; nothing is dialled', async () => {
    const op2 = await login(s.url, 'operator2', 'demo');
    for (const [number, words] of [['', 'enter a phone number'], ['12a45', 'only digits'], ['123', 'too short'], ['7916123456789012345', 'too long'], ['8 809 123-45-67', 'premium-rate']] as const) {
      const r = await dial(op2, { number });
      expect(r.status, number).toBe(400);
      expect(r.body.error?.details?.[0]).toMatchObject({ field: 'number', problem: expect.stringContaining(words) });
    }
    expect((await dial(op2, { number: '79161234567', extra: 1 })).status).toBe(400);
    expect((await dial(op2, { number: 79161234567 })).status).toBe(400);
    expect((await dial(op2, { number: '79161234567', lineId: 'one' })).status).toBe(400);
  });

  it('another company’s line is 404 like a missing one; unauthenticated is 401; a user without an operator phone is 409', async () => {
    const op2 = await login(s.url, 'operator2', 'demo'); // company 1 only
    expect((await dial(op2, { number: '79161234567', lineId: lineOf(2) })).status).toBe(404);
    expect((await dial(op2, { number: '79161234567', lineId: 999_999 })).status).toBe(404);
    expect((await api(s.url, 'POST', '/api/calls/dial', { number: '79161234567' })).status).toBe(401);
    expect((await dial(admin, { number: '79161234567' })).status).toBe(409);
    // The own line is fine as far as the checks go; no Asterisk behind this server: 503, not a call.
    const own = await dial(op2, { number: '+7 (916) 123-45-67', lineId: lineOf(1) });
    expect(own.status).toBe(503);
  });
});

describe('a company served by a cloud PBX: its vendor’s click-to-call, correctly signed', () => {
  it('Mango: commands/callback with sign = sha256(key + json + salt); from the operator’s extension to the normalised number', async () => {
    const acc = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'mango', name: 'Манго', tenantId: 1, account: MANGO_KEY, secrets: { apiSalt: MANGO_SALT, apiBaseUrl: `${vendorBase}/vpbx` }, agents: { '101': userId('operator2') } }, admin);
    expect(acc.status).toBe(201);
    const op2 = await login(s.url, 'operator2', 'demo');
    const before = hits.length;
    const r = await dial(op2, { number: '8 (916) 555-00-11' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ via: 'cloud-pbx', vendor: 'mango', number: '79165550011' });
    expect(hits.length).toBe(before + 1);
    const hit = hits.at(-1)!;
    expect(hit).toMatchObject({ method: 'POST', path: '/vpbx/commands/callback' });
    const form = new URLSearchParams(hit.body);
    const json = form.get('json')!;
    expect(form.get('vpbx_api_key')).toBe(MANGO_KEY);
    expect(form.get('sign')).toBe(createHash('sha256').update(MANGO_KEY + json + MANGO_SALT).digest('hex'));
    expect(JSON.parse(json)).toMatchObject({ from: { extension: '101' }, to_number: '79165550011' });
  });

  it('Zadarma: GET /v1/request/callback/ with Authorization key:base64(hmac_sha1_hex(method + params + md5(params)))', async () => {
    // operator (companies 1 and 2) through company 2's Zadarma account, on company 2's line.
    const acc = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'zadarma', name: 'Zadarma', tenantId: 2, account: Z_KEY, secrets: { secret: Z_SECRET, apiBaseUrl: vendorBase }, agents: { '100': userId('operator') } }, admin);
    expect(acc.status).toBe(201);
    const op = await login(s.url, 'operator', 'demo');
    const before = hits.length;
    const r = await dial(op, { number: '+7 916 555-00-22', lineId: lineOf(2) });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ via: 'cloud-pbx', vendor: 'zadarma' });
    expect(hits.length).toBe(before + 1);
    const hit = hits.at(-1)!;
    expect(hit).toMatchObject({ method: 'GET', path: '/v1/request/callback/' });
    expect(Object.fromEntries(hit.query)).toEqual({ format: 'json', from: '100', to: '79165550022' });
    // The parameters sorted by name, as PHP's http_build_query writes them.
    const params = 'format=json&from=100&to=79165550022';
    const md5 = createHash('md5').update(params).digest('hex');
    const hmacHex = createHmac('sha1', Z_SECRET).update('/v1/request/callback/' + params + md5).digest('hex');
    expect(hit.headers.authorization).toBe(`${Z_KEY}:${Buffer.from(hmacHex).toString('base64')}`);
  });

  it('itoolabs: POST /crmapi/v1/makecall with X-API-KEY, the operator’s PBX login and the number', async () => {
    const created = await api<{ operator: { userId: number } }>(s.url, 'POST', '/api/operators', { login: 'dial3', password: 'secret-dial-3', fullName: 'Диспетчер Третий', extension: '1303', deviceKind: 'webrtc', tenantIds: [1] }, admin);
    expect(created.status).toBe(201);
    const acc = await api(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'itoolabs', name: 'ВАТС', tenantId: 1, account: 'vats-dial.megapbx.ru', secrets: { crmToken: 'crm-token-0001', apiKey: ITOOLABS_KEY, apiBaseUrl: vendorBase }, agents: { 'dial3.pbx': created.body.operator.userId } }, admin);
    expect(acc.status).toBe(201);
    const before = hits.length;
    const r = await dial(await login(s.url, 'dial3', 'secret-dial-3'), { number: '8 916 555 00 33' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ via: 'cloud-pbx', vendor: 'itoolabs', number: '79165550033' });
    expect(hits.length).toBe(before + 1);
    const hit = hits.at(-1)!;
    expect(hit).toMatchObject({ method: 'POST', path: '/crmapi/v1/makecall' });
    expect(hit.headers['x-api-key']).toBe(ITOOLABS_KEY);
    expect(JSON.parse(hit.body)).toEqual({ phone: '79165550033', user: 'dial3.pbx' });
  });

  it('another company’s operator is refused before any vendor is called: company 2’s line for a company-1 operator, an unmapped user', async () => {
    const op2 = await login(s.url, 'operator2', 'demo'); // company 1 only; company 2 has the Zadarma account above
    const before = hits.length;
    expect((await dial(op2, { number: '79165550044', lineId: lineOf(2) })).status).toBe(404);
    // /api/click-to-call takes only accounts of the user's own companies, mapped to them.
    const viaOld = await api(s.url, 'POST', '/api/click-to-call', { number: '79165550044' }, await login(s.url, 'operator2', 'demo'));
    expect(viaOld.status).toBe(202); // through company 1's Mango account, where operator2 is extension 101
    expect(JSON.parse(new URLSearchParams(hits.at(-1)!.body).get('json')!)).toMatchObject({ from: { extension: '101' } });
    expect(hits.length).toBe(before + 1);
    // operator is in company 2's Zadarma account only: on company 1's line (Mango, not mapped for them) it is 409, no request.
    const op = await login(s.url, 'operator', 'demo');
    const r = await dial(op, { number: '79165550055', lineId: lineOf(1) });
    expect(r.status).toBe(409);
    expect(hits.length).toBe(before + 1);
  });

  it('«Перезвонить» on a callback task of a cloud-PBX company goes through its vendor and assigns the task; another company’s operator gets 404 and no request', async () => {
    // A missed call on company 1's line with its task (what the webhooks leave).
    const now = new Date().toISOString();
    s.db.prepare(`INSERT INTO calls (id, controller, line_id, did, caller_number, caller_channel_id, state, arrived_at, ended_at, outcome) VALUES ('cb-cloud-1', 'vpbx', ?, '74950000001', '79165550066', 'ext:test:cb-cloud-1', 'ended', ?, ?, 'abandoned')`).run(lineOf(1), now, now);
    const taskId = Number(s.db.prepare(`INSERT INTO callback_tasks (call_id, caller_number, line_id, reason, created_at, due_at) VALUES ('cb-cloud-1', '79165550066', ?, 'abandoned', ?, ?)`).run(lineOf(1), now, now).lastInsertRowid);
    const before = hits.length;
    // An operator of company 2 only (the demo has none) may not touch company 1's task.
    const stranger = await api<{ operator: { userId: number } }>(s.url, 'POST', '/api/operators', { login: 'dial4', password: 'secret-dial-4', fullName: 'Диспетчер Рассвета', extension: '1304', deviceKind: 'webrtc', tenantIds: [2] }, admin);
    expect(stranger.status).toBe(201);
    expect((await api(s.url, 'POST', `/api/callbacks/${taskId}/call`, {}, await login(s.url, 'dial4', 'secret-dial-4'))).status).toBe(404);
    expect(hits.length).toBe(before);
    const r = await api<{ via: string; vendor: string }>(s.url, 'POST', `/api/callbacks/${taskId}/call`, {}, await login(s.url, 'operator2', 'demo'));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ via: 'cloud-pbx', vendor: 'mango' });
    expect(hits.length).toBe(before + 1);
    expect(JSON.parse(new URLSearchParams(hits.at(-1)!.body).get('json')!)).toMatchObject({ from: { extension: '101' }, to_number: '79165550066' });
    expect(s.db.prepare('SELECT status, assigned_to AS assignedTo FROM callback_tasks WHERE id = ?').get(taskId)).toEqual({ status: 'assigned', assignedTo: userId('operator2') });
  });
});
