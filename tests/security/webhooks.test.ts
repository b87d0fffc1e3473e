// Issue 9, cloud-PBX webhooks probed from outside: a company's account cannot
// reach another company's line or callbacks, the webhook log cannot be filled
// by strangers and keeps no secrets, webhooks are rate-limited, and signed
// deliveries outside the freshness window are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import type { CallCard, ServerToClientEvents } from '../../src/realtime/contract.js';

interface Delivery { endpoint?: string; headers?: Record<string, string>; form: Record<string, string> }
const fixture = (vendor: string, name: string) =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/vpbx', vendor, `${name}.json`), 'utf8')) as { deliveries: Delivery[] };

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let admin = '';
let operator2Id = 0;
const DID_COMPANY_2 = '74950000002'; // the demo line of «Рассвет» (company 2)
const TOKEN = 'test-itoolabs-crm-token-0001';
let vendor: http.Server;
const vendorHits: string[] = [];
let vendorBase = '';

async function post(srv: Server, url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<number> {
  const r = await fetch(srv.url + url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  await r.text();
  return r.status;
}
const one = <T>(sql: string, ...args: unknown[]) => s.db.prepare(sql).get(...args) as T;
const count = (sql: string, ...args: unknown[]) => s.db.prepare(sql).pluck().get(...args) as number;

async function account(srv: Server, token: string, body: Record<string, unknown>): Promise<{ status: number; id: number }> {
  const r = await api<{ account?: { id: number } }>(srv.url, 'POST', '/api/vpbx-accounts', { name: 'x', ...body }, token);
  return { status: r.status, id: r.body.account?.id ?? 0 };
}

beforeAll(async () => {
  vendor = http.createServer((req, res) => {
    vendorHits.push(req.url ?? '');
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"ok"}');
  });
  await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
  vendorBase = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_RECORDING_HOSTS: '127.0.0.1', PULT_FETCH_ALLOW_PRIVATE: 'true', PULT_WEBHOOK_FAILED_PER_IP: '60' });
  admin = await login(s.url, 'admin', 'demo');
  operator2Id = count("SELECT id FROM users WHERE login = 'operator2'"); // works for company 1 only
});
afterAll(async () => {
  await s.stop();
  await new Promise((r) => vendor.close(r));
});

describe('one company’s cloud PBX account stays in its company (item 1)', () => {
  it('an INCOMING with diversion = company 2’s DID puts no call on company 2’s line, pops no company-2 card, leaves no callback there', async () => {
    const acc = await account(s, admin, { vendor: 'itoolabs', tenantId: 1, account: 'vats-one.megapbx.ru', secrets: { crmToken: TOKEN }, agents: { petrov: operator2Id } });
    expect(acc.status).toBe(201);
    const token = await login(s.url, 'operator2', 'demo');
    const sock: Socket<ServerToClientEvents> = connect(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise((r) => sock.once('connect', () => r(null)));
    const cards: CallCard[] = [];
    sock.on('call.offered', (c) => cards.push(c));
    const base = { phone: '79161112233', diversion: DID_COMPANY_2, callid: 'cross-1', crm_token: TOKEN };
    expect(await post(s, `/hooks/itoolabs/${acc.id}`, { ...base, cmd: 'event', type: 'INCOMING', user: 'petrov', ext: '102', direction: 'in' })).toBe(200);
    expect(await post(s, `/hooks/itoolabs/${acc.id}`, { ...base, cmd: 'history', type: 'in', status: 'Missed', user: 'petrov', start: '20260310T061500Z', duration: '20', link: '' })).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    const call = one<{ lineId: number | null; id: string }>("SELECT line_id AS lineId, id FROM calls WHERE caller_channel_id LIKE 'ext:itoolabs:vats-one.megapbx.ru:cross-1'");
    const company2Lines = s.db.prepare('SELECT id FROM lines WHERE tenant_id = 2').pluck().all() as number[];
    expect(company2Lines.length).toBeGreaterThan(0);
    expect(company2Lines).not.toContain(call.lineId);
    expect(cards.length).toBe(1);
    expect(cards[0]!.tenant?.id ?? null).not.toBe(2);
    expect(company2Lines).not.toContain(cards[0]!.line?.id);
    const task = one<{ lineId: number | null } | undefined>('SELECT line_id AS lineId FROM callback_tasks WHERE call_id = ?', call.id);
    expect(task).toBeDefined(); // the missed call still gets its callback, in company 1's reach, not company 2's
    expect(company2Lines).not.toContain(task!.lineId);
  });

  it('an account is refused (400) when its line or a mapped user belongs to another company', async () => {
    const r = await api<{ operator: { userId: number } }>(s.url, 'POST', '/api/operators', { login: 'rassvet1', password: 'rassvet-pass', fullName: 'Диспетчер Рассвета', extension: '2901', tenantIds: [2] }, admin);
    expect(r.status).toBe(201);
    const company2User = r.body.operator.userId;
    const line2 = count('SELECT id FROM lines WHERE tenant_id = 2');
    const before = count('SELECT count(*) FROM vpbx_accounts');
    const badLine = await account(s, admin, { vendor: 'itoolabs', tenantId: 1, lineId: line2, account: 'vats-bad1.megapbx.ru', secrets: { crmToken: TOKEN } });
    expect(badLine.status).toBe(400);
    const badAgent = await account(s, admin, { vendor: 'itoolabs', tenantId: 1, account: 'vats-bad2.megapbx.ru', secrets: { crmToken: TOKEN }, agents: { stranger: company2User } });
    expect(badAgent.status).toBe(400);
    const noTenant = await account(s, admin, { vendor: 'itoolabs', tenantId: 99, account: 'vats-bad3.megapbx.ru', secrets: { crmToken: TOKEN } });
    expect(noTenant.status).toBe(400);
    expect(count('SELECT count(*) FROM vpbx_accounts')).toBe(before);
    // The same user on their own company's account is fine.
    expect((await account(s, admin, { vendor: 'itoolabs', tenantId: 2, lineId: line2, account: 'vats-ok2.megapbx.ru', secrets: { crmToken: TOKEN }, agents: { stranger: company2User } })).status).toBe(201);
  });
});

describe('click-to-call (item 6)', () => {
  it('a callback of another company is 404, like a missing one; the task stays untouched and the PBX is not called', async () => {
    const line2 = count('SELECT id FROM lines WHERE tenant_id = 2');
    const acc2 = await account(s, admin, { vendor: 'itoolabs', tenantId: 2, lineId: line2, account: 'vats-two.megapbx.ru', secrets: { crmToken: TOKEN } });
    expect(acc2.status).toBe(201);
    expect(await post(s, `/hooks/itoolabs/${acc2.id}`, { cmd: 'history', type: 'in', status: 'Missed', phone: '79165550000', diversion: DID_COMPANY_2, start: '20260310T061500Z', duration: '10', link: '', callid: 'c2-missed', crm_token: TOKEN })).toBe(200);
    const task = one<{ id: number; status: string }>("SELECT cb.id, cb.status FROM callback_tasks cb JOIN calls c ON c.id = cb.call_id WHERE c.caller_channel_id LIKE '%:c2-missed'");
    expect(task.status).toBe('pending');
    // operator2 (company 1 only) can click-to-call through company 1's account…
    const acc1 = await account(s, admin, { vendor: 'itoolabs', tenantId: 1, account: 'vats-c2c.megapbx.ru', secrets: { crmToken: TOKEN, apiKey: 'test-api-key-1', apiBaseUrl: vendorBase }, agents: { petrov2: operator2Id } });
    expect(acc1.status).toBe(201);
    const op2 = await login(s.url, 'operator2', 'demo');
    const hits = vendorHits.length;
    // …but not on company 2's callback.
    const r = await api(s.url, 'POST', '/api/click-to-call', { number: '79165550000', callbackId: task.id }, op2);
    expect(r.status).toBe(404);
    expect(one<{ status: string; assignedTo: number | null }>('SELECT status, assigned_to AS assignedTo FROM callback_tasks WHERE id = ?', task.id)).toEqual({ status: 'pending', assignedTo: null });
    expect(vendorHits.length).toBe(hits);
    expect((await api(s.url, 'POST', '/api/click-to-call', { number: '79165550000', callbackId: 999_999 }, op2)).status).toBe(404);
    // The supervisor of both companies takes it (through company 1's account, mapped for this check).
    const sup = await login(s.url, 'supervisor', 'demo');
    const supId = count("SELECT id FROM users WHERE login = 'supervisor'");
    expect((await account(s, admin, { vendor: 'itoolabs', tenantId: 1, account: 'vats-sup.megapbx.ru', secrets: { crmToken: TOKEN, apiKey: 'test-api-key-2', apiBaseUrl: vendorBase }, agents: { smirnova: supId } })).status).toBe(201);
    expect((await api(s.url, 'POST', '/api/click-to-call', { number: '79165550000', callbackId: task.id }, sup)).status).toBe(202);
    expect(one<{ status: string }>('SELECT status FROM callback_tasks WHERE id = ?', task.id).status).toBe('assigned');
  });
});

describe('signatures and freshness (item 13)', () => {
  const mangoKey = 'testmangovpbxapikey0000000000001';
  const mangoSalt = 'test-mango-salt-0001';
  const zSecret = 'test-zadarma-secret-0001';
  const zSign = (text: string) => Buffer.from(createHmac('sha1', zSecret).update(text).digest('hex')).toString('base64');
  /** 'YYYY-MM-DD HH:MM:SS' in Moscow (UTC+3, no DST) for a time `offsetSec` from now. */
  const moscow = (offsetSec = 0) => new Date(Date.now() + offsetSec * 1000 + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  let mangoId = 0;
  let zadarmaId = 0;

  beforeAll(async () => {
    mangoId = (await account(s, admin, { vendor: 'mango', tenantId: 1, lineId: 1, account: mangoKey, secrets: { apiSalt: mangoSalt } })).id;
    zadarmaId = (await account(s, admin, { vendor: 'zadarma', tenantId: 1, lineId: 1, account: 'test-zadarma-key-0001', secrets: { secret: zSecret } })).id;
  });

  it('Mango: a correctly signed delivery with an old timestamp is refused and stores nothing; a fresh one is applied', async () => {
    const calls = count('SELECT count(*) FROM calls');
    const events = count('SELECT count(*) FROM external_events');
    const replayed = fixture('mango', 'full-call').deliveries[0]!; // signed, from March 2026
    expect(await post(s, `/hooks/mango/${mangoId}/events/call`, replayed.form)).toBe(401);
    expect(count('SELECT count(*) FROM calls')).toBe(calls);
    expect(count('SELECT count(*) FROM external_events')).toBe(events);
    expect(one<{ body: string | null; error: string }>('SELECT body, error FROM webhook_log ORDER BY id DESC LIMIT 1')).toMatchObject({ body: null, error: expect.stringContaining('stale') });
    const json = JSON.stringify({ entry_id: 'fresh-entry', call_id: 'fresh-call', timestamp: Math.floor(Date.now() / 1000), seq: 1, call_state: 'Appeared', location: 'ivr', from: { number: '79161234567' }, to: { number: '74950000001', line_number: '74950000001' } });
    const sign = createHash('sha256').update(mangoKey + json + mangoSalt).digest('hex');
    expect(await post(s, `/hooks/mango/${mangoId}/events/call`, { vpbx_api_key: mangoKey, sign, json })).toBe(200);
    expect(count('SELECT count(*) FROM calls')).toBe(calls + 1);
  });

  it('Zadarma: its signed call_start outside the window → refused; a signed field tampered → 401; a fresh, intact one → 200', async () => {
    const old = fixture('zadarma', 'full-call').deliveries[0]!;
    const calls = count('SELECT count(*) FROM calls');
    // A captured notification replayed later with a new (unsigned) pbx_call_id would make a new call: refused.
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, { ...old.form, pbx_call_id: 'in_replayed' }, old.headers)).toBe(401);
    const start = moscow(-30);
    const form = { event: 'NOTIFY_START', call_start: start, pbx_call_id: 'in_fresh_1', caller_id: '79161234567', called_did: '74950000001' };
    const signature = zSign(form.caller_id + form.called_did + form.call_start);
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, { ...form, called_did: '74950000002' }, { Signature: signature })).toBe(401);
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, { ...form, caller_id: '79990000000' }, { Signature: signature })).toBe(401);
    expect(count('SELECT count(*) FROM calls')).toBe(calls);
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, form, { Signature: signature })).toBe(200);
    expect(count('SELECT count(*) FROM calls')).toBe(calls + 1);
    // The end of a long call carries its start: accepted hours later, but not a day and more.
    const endForm = (callStart: string) => ({ event: 'NOTIFY_END', call_start: callStart, pbx_call_id: `in_end_${callStart}`, caller_id: '79161234567', called_did: '74950000001', disposition: 'answered', duration: '3600', status_code: '16', is_recorded: '0' });
    const hoursAgo = endForm(moscow(-3 * 3600));
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, hoursAgo, { Signature: zSign(hoursAgo.caller_id + hoursAgo.called_did + hoursAgo.call_start) })).toBe(200);
    const daysAgo = endForm(moscow(-2 * 86_400));
    expect(await post(s, `/hooks/zadarma/${zadarmaId}`, daysAgo, { Signature: zSign(daysAgo.caller_id + daysAgo.called_did + daysAgo.call_start) })).toBe(401);
  });
});

describe('the webhook log (item 7)', () => {
  it('40 posts to an unknown account add rows without bodies; then the address gets 429 and nothing more is stored', async () => {
    const rows = count('SELECT count(*) FROM webhook_log');
    const big = { cmd: 'event', crm_token: 'x', filler: 'A'.repeat(60_000) };
    for (let i = 0; i < 40; i++) expect(await post(s, '/hooks/itoolabs/987654', big)).toBe(404);
    const added = s.db.prepare('SELECT body, status, account_given AS given, size FROM webhook_log WHERE id > (SELECT coalesce(max(id), 0) - 40 FROM webhook_log)').all() as { body: string | null; status: number; given: string; size: number }[];
    expect(count('SELECT count(*) FROM webhook_log')).toBe(rows + 40);
    expect(added.every((r) => r.body === null && r.status === 404 && r.given === '987654' && r.size > 60_000)).toBe(true);
    expect(count('SELECT coalesce(sum(length(body)), 0) FROM webhook_log WHERE status = 404')).toBe(0);
    // The failed-attempt limit (60 a minute here, some used by earlier tests) is reached: 429, and no row for those.
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push(await post(s, '/hooks/itoolabs/987654', big));
    expect(statuses.at(-1)).toBe(429);
    expect(count('SELECT count(*) FROM webhook_log')).toBeLessThan(rows + 60);
  });

  it('the itoolabs crm_token and the Mango sign are never stored', async () => {
    const fresh = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3' });
    try {
      const a = await login(fresh.url, 'admin', 'demo');
      const it1 = await account(fresh, a, { vendor: 'itoolabs', tenantId: 1, lineId: 1, account: 'vats000000.megapbx.ru', secrets: { crmToken: TOKEN } });
      for (const d of fixture('itoolabs', 'missed-call').deliveries) expect(await post(fresh, `/hooks/itoolabs/${it1.id}`, d.form)).toBe(200);
      expect(await post(fresh, `/hooks/itoolabs/${it1.id}`, { ...fixture('itoolabs', 'missed-call').deliveries[0]!.form, type: 'BOGUS' })).toBe(400);
      const mango = await account(fresh, a, { vendor: 'mango', tenantId: 1, lineId: 1, account: 'testmangovpbxapikey0000000000001', secrets: { apiSalt: 'test-mango-salt-0001' } });
      const m = fixture('mango', 'full-call').deliveries[0]!; // a correctly signed call event, posted where a summary is expected
      expect(await post(fresh, `/hooks/mango/${mango.id}/events/summary`, m.form)).toBe(400);
      const bodies = fresh.db.prepare('SELECT body FROM webhook_log').pluck().all() as (string | null)[];
      expect(bodies.filter((b) => b !== null).length).toBe(5);
      for (const b of bodies) {
        expect(b ?? '').not.toContain(TOKEN);
        expect(b ?? '').not.toContain(m.form.sign!);
      }
      expect(bodies.some((b) => (b ?? '').includes('79161234567'))).toBe(true); // the rest is kept for audit
    } finally {
      await fresh.stop();
    }
  });

  it('more webhooks per second to one account than allowed → 429', async () => {
    const lim = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_WEBHOOK_RATE_PER_ACCOUNT: '5' });
    try {
      const a = await login(lim.url, 'admin', 'demo');
      const acc = await account(lim, a, { vendor: 'itoolabs', tenantId: 1, lineId: 1, account: 'vats000000.megapbx.ru', secrets: { crmToken: TOKEN } });
      const form = { cmd: 'contact', phone: '79161234567', callid: 'rl-1', crm_token: TOKEN };
      const statuses = await Promise.all(Array.from({ length: 12 }, () => post(lim, `/hooks/itoolabs/${acc.id}`, form)));
      expect(statuses.filter((x) => x === 200).length).toBe(5);
      expect(statuses.filter((x) => x === 429).length).toBe(7);
      expect(lim.db.prepare('SELECT count(*) FROM webhook_log').pluck().get()).toBe(5);
    } finally {
      await lim.stop();
    }
  });
});
