// Cloud-PBX webhooks over HTTP, replayed from fixtures: a vendor's full call
// lands in the call log and pops the card on the mapped operator's socket;
// duplicates and out-of-order deliveries have one effect; bad credentials
// and bad fields are refused, logged, and store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import type { CallCard, ServerToClientEvents } from '../../src/realtime/contract.js';

interface Delivery { receivedAt: string; endpoint?: string; headers?: Record<string, string>; form: Record<string, string> }
const fixture = (vendor: string, name: string) =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/vpbx', vendor, `${name}.json`), 'utf8')) as { deliveries: Delivery[] };

let s: Awaited<ReturnType<typeof testServer>>;
let admin = '';
let operatorId = 0;
let recordingServer: http.Server;
const vendorRequests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let recordingUrl = '';
const ids: Record<string, number> = {};

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const r = await fetch(s.url + url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
}

const hookUrl = (vendor: string, d: Delivery) => (vendor === 'mango' ? `/hooks/mango/${ids.mango}/events/${d.endpoint}` : `/hooks/${vendor}/${ids[vendor]}`);

async function replay(vendor: string, deliveries: Delivery[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const d of deliveries) statuses.push((await post(hookUrl(vendor, d), d.form, d.headers)).status);
  return statuses;
}

const count = (sql: string) => s.db.prepare(sql).pluck().get() as number;
type CallItem = { id: string; from: string; outcome: string | null; answeredBy: number | null; recording: { state: string } | null };
/** Waits for the recording of the call whose channel matches `like` to be stored. */
async function recordingOf(like: string): Promise<string | null> {
  for (let i = 0; i < 60; i++) {
    const st = s.db.prepare('SELECT r.state FROM recordings r JOIN calls c ON c.id = r.call_id WHERE c.caller_channel_id LIKE ?').pluck().get(like) as string | undefined;
    if (st === 'stored' || st === 'failed') return st;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}
const callsFrom = async (from: string) => (await api<{ items: CallItem[] }>(s.url, 'GET', '/api/calls?limit=500', undefined, admin)).body.items.filter((c) => c.from === from);

beforeAll(async () => {
  // One loopback server plays both the vendors' APIs (click-to-call) and their recording storage.
  recordingServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/rec/') || req.url === '/queries/recording/post') return void res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.alloc(4096, 7));
    if (req.url?.startsWith('/v1/pbx/record/request/')) {
      const addr = recordingServer.address() as AddressInfo;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', link: `http://127.0.0.1:${addr.port}/rec/zadarma.mp3` }));
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      vendorRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"ok"}');
    });
  });
  await new Promise<void>((r) => recordingServer.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(recordingServer.address() as AddressInfo).port}`;
  recordingUrl = `${base}/rec/call.mp3`;
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_RECORDING_HOSTS: '127.0.0.1', PULT_FETCH_ALLOW_PRIVATE: 'true', PULT_WEBHOOK_MAX_AGE_SEC: '0' });
  admin = await login(s.url, 'admin', 'demo');
  operatorId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
  const accounts = [
    { vendor: 'itoolabs', account: 'vats000000.megapbx.ru', secrets: { crmToken: 'test-itoolabs-crm-token-0001', apiKey: 'test-itoolabs-api-key', apiBaseUrl: base }, agents: { ivanov: operatorId } },
    { vendor: 'mango', account: 'testmangovpbxapikey0000000000001', secrets: { apiSalt: 'test-mango-salt-0001', apiBaseUrl: base }, agents: { '101': operatorId } },
    { vendor: 'zadarma', account: 'test-zadarma-key-0001', secrets: { secret: 'test-zadarma-secret-0001', apiBaseUrl: base }, agents: { '101': operatorId } },
  ];
  for (const a of accounts) {
    const r = await api<{ account: { id: number }; webhookUrl: string }>(s.url, 'POST', '/api/vpbx-accounts', { ...a, name: a.vendor, tenantId: 1, lineId: 1 }, admin);
    expect(r.status).toBe(201);
    ids[a.vendor] = r.body.account.id;
  }
});
afterAll(async () => {
  await s.stop();
  await new Promise((r) => recordingServer.close(r));
});

describe('cloud PBX webhooks', () => {
  it('itoolabs: a full call pops the card on the mapped operator, is logged answered, its recording is fetched; a replay changes nothing', async () => {
    const token = await login(s.url, 'operator', 'demo');
    const sock: Socket<ServerToClientEvents> = connect(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise((r) => sock.once('connect', () => r(null)));
    const cards: CallCard[] = [];
    sock.on('call.offered', (c) => cards.push(c));
    const deliveries = fixture('itoolabs', 'full-call').deliveries.map((d) => (d.form.link ? { ...d, form: { ...d.form, link: recordingUrl } } : d));
    const contact = await post(hookUrl('itoolabs', deliveries[0]!), deliveries[0]!.form);
    expect(contact.body).toEqual({ contact_name: 'Иванова Анна Петровна' }); // the caller's name from the directory
    expect(await replay('itoolabs', deliveries.slice(1))).toEqual(deliveries.slice(1).map(() => 200));
    await new Promise((r) => setTimeout(r, 300));
    expect(cards).toHaveLength(1);
    expect(cards[0]!.accounts.map((a) => a.accountNumber)).toEqual(['1000001', '1000002']);
    const [call] = await callsFrom('79161234567');
    expect(call).toMatchObject({ outcome: 'answered', answeredBy: operatorId });
    const rec = await (async () => {
      for (let i = 0; i < 50; i++) {
        const c = (await callsFrom('79161234567'))[0]!;
        if (c.recording?.state === 'stored') return c.recording;
        await new Promise((r) => setTimeout(r, 50));
      }
      return null;
    })();
    expect(rec?.state).toBe('stored');
    const calls = count('SELECT count(*) FROM calls');
    const again = await replay('itoolabs', deliveries); // the vendor retries everything
    expect(again.every((x) => x === 200)).toBe(true);
    expect(count('SELECT count(*) FROM calls')).toBe(calls);
    expect(cards).toHaveLength(1);
    sock.close();
  });

  it('itoolabs: a missed call becomes a callback task', async () => {
    const before = count("SELECT count(*) FROM callback_tasks");
    await replay('itoolabs', fixture('itoolabs', 'missed-call').deliveries);
    expect(count("SELECT count(*) FROM callback_tasks")).toBe(before + 1);
  });

  it('mango: delivered out of order (reversed), the call still ends up answered, once', async () => {
    const deliveries = fixture('mango', 'full-call').deliveries;
    const calls = count('SELECT count(*) FROM calls');
    expect((await replay('mango', [...deliveries].reverse())).every((x) => x === 200)).toBe(true);
    expect(count('SELECT count(*) FROM calls')).toBe(calls + 1);
    const c = s.db.prepare("SELECT outcome, answered_by AS answeredBy FROM calls WHERE caller_channel_id LIKE 'ext:mango:%'").get() as { outcome: string; answeredBy: number | null };
    expect(c.outcome).toBe('answered');
    expect(await recordingOf('ext:mango:%')).toBe('stored'); // fetched by recording_id through the API
    await replay('mango', deliveries);
    expect(count('SELECT count(*) FROM calls')).toBe(calls + 1);
  });

  it('zadarma: the URL check, NOTIFY_START answered with the caller name, a full call logged', async () => {
    const echo = await fetch(`${s.url}/hooks/zadarma/${ids.zadarma}?zd_echo=abc123`);
    expect(await echo.text()).toBe('abc123');
    const deliveries = fixture('zadarma', 'full-call').deliveries;
    const start = await post(hookUrl('zadarma', deliveries[0]!), deliveries[0]!.form, deliveries[0]!.headers);
    expect(start.body).toEqual({ caller_name: 'Иванова Анна Петровна' });
    expect((await replay('zadarma', deliveries.slice(1))).every((x) => x === 200)).toBe(true);
    const c = s.db.prepare("SELECT outcome FROM calls WHERE caller_channel_id LIKE 'ext:zadarma:%'").get() as { outcome: string };
    expect(c.outcome).toBe('answered');
    expect(await recordingOf('ext:zadarma:%')).toBe('stored'); // link asked from the API, then downloaded
  });

  it('a wrong token or signature is refused (401), logged, and stores nothing; a bad field is a 400 naming it', async () => {
    const calls = count('SELECT count(*) FROM calls');
    const events = count('SELECT count(*) FROM external_events');
    const d = fixture('itoolabs', 'missed-call').deliveries[0]!;
    const forged = await post(hookUrl('itoolabs', d), { ...d.form, callid: 'forged-1', crm_token: 'wrong' });
    expect(forged.status).toBe(401);
    const z = fixture('zadarma', 'full-call').deliveries[0]!;
    expect((await post(hookUrl('zadarma', z), { ...z.form, caller_id: '79990001122' }, z.headers)).status).toBe(401);
    const m = fixture('mango', 'full-call').deliveries[0]!;
    expect((await post(hookUrl('mango', m), { ...m.form, sign: '0'.repeat(64) })).status).toBe(401);
    expect(count('SELECT count(*) FROM calls')).toBe(calls);
    expect(count('SELECT count(*) FROM external_events')).toBe(events);
    expect(count("SELECT count(*) FROM webhook_log WHERE status = 401")).toBe(3);
    const bad = await post(hookUrl('itoolabs', d), { ...d.form, cmd: 'event', type: 'EXPLODED' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('type');
    expect((await post('/hooks/itoolabs/999', d.form)).status).toBe(404);
  });

  it('click-to-call asks the company’s cloud PBX to ring the operator, then the caller', async () => {
    const op = await login(s.url, 'operator', 'demo');
    const r = await api<{ via: string; agent: string }>(s.url, 'POST', '/api/click-to-call', { number: '+7 (916) 123-45-67' }, op);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ via: 'itoolabs', agent: 'ivanov' });
    const sent = vendorRequests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/crmapi/v1/makecall' });
    expect(sent.headers['x-api-key']).toBe('test-itoolabs-api-key');
    expect(JSON.parse(sent.body)).toEqual({ phone: '79161234567', user: 'ivanov' });
    const bad = await api(s.url, 'POST', '/api/click-to-call', { number: 'call me' }, op);
    expect(bad.status).toBe(400);
    const sup = await login(s.url, 'supervisor', 'demo'); // not mapped to any PBX login
    expect((await api(s.url, 'POST', '/api/click-to-call', { number: '79161234567' }, sup)).status).toBe(409);
  });

  it('only an admin registers accounts; secrets are validated and never listed', async () => {
    const op = await login(s.url, 'operator', 'demo');
    expect((await api(s.url, 'POST', '/api/vpbx-accounts', {}, op)).status).toBe(403);
    const bad = await api(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'mango', name: 'x', tenantId: 1, account: 'k', secrets: { apiSalt: 'short' } }, admin);
    expect(bad.status).toBe(400);
    const list = await api<{ items: Record<string, unknown>[] }>(s.url, 'GET', '/api/vpbx-accounts', undefined, admin);
    expect(list.body.items.length).toBe(3);
    expect(list.body.items.every((a) => !('secrets' in a))).toBe(true);
  });
});
