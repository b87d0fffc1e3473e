// Issue 9 item 2, probed from outside: a webhook's recording link (or a
// vendor API's redirect) must not make Pult fetch whatever it names.
// Local HTTP servers count the connections they receive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const TOKEN = 'test-itoolabs-crm-token-0001';

/** A local server that counts connections and requests; `handler` answers. */
async function listener(handler: http.RequestListener = (_q, r) => void r.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.alloc(2048, 1))) {
  const seen = { connections: 0, requests: [] as string[] };
  const srv = http.createServer((req, res) => {
    seen.requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  srv.on('connection', () => seen.connections++);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise((r) => srv.close(r)) };
}

async function itoolabsAccount(s: Server, extra: Record<string, unknown> = {}): Promise<number> {
  const admin = await login(s.url, 'admin', 'demo');
  const r = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'itoolabs', name: 'x', tenantId: 1, lineId: 1, account: `vats-${Math.random().toString(36).slice(2)}.megapbx.ru`, secrets: { crmToken: TOKEN }, ...extra }, admin);
  expect(r.status).toBe(201);
  return r.body.account.id;
}

/** An answered itoolabs call whose history carries `link`; resolves with the call id. */
async function callWithLink(s: Server, accountId: number, callid: string, link: string): Promise<string> {
  const form = { cmd: 'history', type: 'in', status: 'Success', phone: '79161234567', diversion: '74950000001', user: 'ivanov', start: '20260310T061500Z', duration: '30', callid, link, crm_token: TOKEN };
  const r = await fetch(`${s.url}/hooks/itoolabs/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  expect(r.status).toBe(200);
  return s.db.prepare('SELECT id FROM calls WHERE caller_channel_id LIKE ?').pluck().get(`%:${callid}`) as string;
}

/** The recording's final state (waits while it is still being fetched). */
async function recordingOf(s: Server, callId: string): Promise<{ state: string; error: string | null } | null> {
  for (let i = 0; i < 60; i++) {
    const r = s.db.prepare('SELECT state, error FROM recordings WHERE call_id = ?').get(callId) as { state: string; error: string | null } | undefined;
    if (r && r.state !== 'recording') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  return (s.db.prepare('SELECT state, error FROM recordings WHERE call_id = ?').get(callId) as { state: string; error: string | null } | undefined) ?? null;
}

const filesUnder = (dir: string): string[] => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
  } catch {
    return [];
  }
};

describe('private addresses are refused after resolution (PULT_FETCH_ALLOW_PRIVATE off)', () => {
  let s: Server;
  beforeAll(async () => {
    // 127.0.0.1 and localhost are even on the host allow-list: the address check still refuses them.
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_RECORDING_HOSTS: '127.0.0.1,localhost' });
  });
  afterAll(async () => s.stop());

  it('a link to 127.0.0.1 or to localhost is never connected to; the recording fails', async () => {
    const local = await listener();
    const acc = await itoolabsAccount(s);
    // https: the scheme the old URL check wanted; the local listener counts even a TLS attempt's connection.
    const a = await callWithLink(s, acc, 'priv-1', `https://127.0.0.1:${local.port}/rec.mp3`);
    const b = await callWithLink(s, acc, 'priv-2', `http://localhost:${local.port}/rec.mp3`);
    expect((await recordingOf(s, a))?.state).toBe('failed');
    expect((await recordingOf(s, b))?.state).toBe('failed');
    expect(local.seen.connections).toBe(0);
    await local.close();
  });
});

describe('hosts, schemes, redirects and size (loopback allowed for the test servers)', () => {
  let s: Server;
  let recordingsDir = '';
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3', PULT_RECORDING_HOSTS: '127.0.0.1,rec.vendor.ru', PULT_FETCH_ALLOW_PRIVATE: 'true', PULT_RECORDING_MAX_MB: '0.01' });
    recordingsDir = s.config.recordingsDir;
  });
  afterAll(async () => s.stop());

  it('the allow-list matches the parsed host: rec.vendor.ru does not let rec.vendor.ru.evil.net through', async () => {
    const acc = await itoolabsAccount(s);
    const id = await callWithLink(s, acc, 'evil-1', 'https://rec.vendor.ru.evil.net/rec.mp3');
    const rec = await recordingOf(s, id);
    expect(rec?.state).toBe('failed');
    expect(rec?.error).toMatch(/allow-list/);
  });

  it('an allowed server is fetched, and its redirect to a host off the list is not followed', async () => {
    const target = await listener();
    const first = await listener((req, res) => {
      if (req.url === '/ok.mp3') return void res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.alloc(2048, 1));
      res.writeHead(302, { location: `http://localhost:${target.port}/internal` }).end();
    });
    const acc = await itoolabsAccount(s);
    const ok = await callWithLink(s, acc, 'redir-ok', `http://127.0.0.1:${first.port}/ok.mp3`);
    expect((await recordingOf(s, ok))?.state).toBe('stored');
    const bad = await callWithLink(s, acc, 'redir-1', `http://127.0.0.1:${first.port}/rec.mp3`);
    const rec = await recordingOf(s, bad);
    expect(rec?.state).toBe('failed');
    expect(first.seen.requests).toContain('GET /rec.mp3');
    expect(target.seen.connections).toBe(0);
    await target.close();
    await first.close();
  });

  it('a Mango recording API that redirects to a host off the list is not followed', async () => {
    const target = await listener();
    const mangoApi = await listener((_req, res) => void res.writeHead(302, { location: `http://localhost:${target.port}/internal` }).end());
    const admin = await login(s.url, 'admin', 'demo');
    const key = 'testmangovpbxapikey0000000000001';
    const acc = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'mango', name: 'm', tenantId: 1, lineId: 1, account: key, secrets: { apiSalt: 'test-mango-salt-0001', apiBaseUrl: `http://127.0.0.1:${mangoApi.port}` } }, admin);
    expect(acc.status).toBe(201);
    const json = JSON.stringify({ entry_id: 'mango-redir', recording_id: 'REC-1', timestamp: Math.floor(Date.now() / 1000) });
    const { createHash } = await import('node:crypto');
    const sign = createHash('sha256').update(key + json + 'test-mango-salt-0001').digest('hex');
    const r = await fetch(`${s.url}/hooks/mango/${acc.body.account.id}/events/record/added`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ vpbx_api_key: key, sign, json }).toString() });
    expect(r.status).toBe(200);
    const callId = s.db.prepare("SELECT id FROM calls WHERE caller_channel_id LIKE '%:mango-redir'").pluck().get() as string;
    expect((await recordingOf(s, callId))?.state).toBe('failed');
    expect(mangoApi.seen.requests.length).toBe(1);
    expect(target.seen.connections).toBe(0);
    await target.close();
    await mangoApi.close();
  });

  it('a vpbx: name, a bare PBX file name or a file: path given as a link is never fetched', async () => {
    const mangoApi = await listener();
    const admin = await login(s.url, 'admin', 'demo');
    const other = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { vendor: 'mango', name: 'other', tenantId: 2, account: 'other-company-mango-key-000000001', secrets: { apiSalt: 'other-company-salt', apiBaseUrl: `http://127.0.0.1:${mangoApi.port}` } }, admin);
    expect(other.status).toBe(201);
    const acc = await itoolabsAccount(s);
    const ids = [
      await callWithLink(s, acc, 'name-1', `vpbx:${other.body.account.id}:REC-1`),
      await callWithLink(s, acc, 'name-2', 'pult-recording-of-someone-else'),
      await callWithLink(s, acc, 'name-3', 'file:/etc/passwd'),
    ];
    await new Promise((r) => setTimeout(r, 500));
    expect(mangoApi.seen.connections).toBe(0);
    for (const id of ids) {
      const rec = s.db.prepare('SELECT state FROM recordings WHERE call_id = ?').pluck().get(id) as string | undefined;
      expect(rec === undefined || rec === 'failed').toBe(true);
    }
    await mangoApi.close();
  });

  it('a body over PULT_RECORDING_MAX_MB is cut off and its partial file removed', async () => {
    const big = await listener((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' }); // no length: chunked
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(4096, 2));
      res.end();
    });
    const acc = await itoolabsAccount(s);
    const id = await callWithLink(s, acc, 'big-1', `http://127.0.0.1:${big.port}/big.mp3`);
    const rec = await recordingOf(s, id);
    expect(rec?.state).toBe('failed');
    expect(rec?.error).toMatch(/cap/);
    expect(filesUnder(recordingsDir).filter((f) => f.includes(id))).toEqual([]);
    await big.close();
  });
});
