// Issue 13 item 5, from outside: /metrics is off unless configured, needs its
// bearer token when one is set, serves loopback only when asked to, and its
// figures follow a real call placed through a cloud PBX's webhooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const TOKEN = 'metrics-token-0123456789';
const CRM = 'test-itoolabs-crm-token-0001';

interface Delivery { form: Record<string, string> }
const deliveries = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/vpbx/itoolabs/full-call.json'), 'utf8')) as { deliveries: Delivery[] }).deliveries;

async function scrape(s: Server, auth?: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${s.url}/metrics`, { headers: auth ? { authorization: auth } : {} });
  return { status: r.status, text: await r.text() };
}

/** The value of one sample: metric name and exactly these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const p of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[p[1]!] = p[2]!;
    if (Object.keys(got).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function post(s: Server, url: string, form: Record<string, string>): Promise<number> {
  const r = await fetch(s.url + url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  await r.text();
  return r.status;
}

describe('/metrics is off by default', () => {
  let s: Server;
  beforeAll(async () => { s = await testServer({ PULT_DEMO_ACCOUNTS: '0' }); });
  afterAll(async () => s.stop());

  it('answers 404 with neither a token nor PULT_METRICS_ALLOW_PRIVATE, even to an admin’s session', async () => {
    expect((await scrape(s)).status).toBe(404);
    const admin = await login(s.url, 'admin', 'demo');
    expect((await scrape(s, `Bearer ${admin}`)).status).toBe(404);
  });
});

describe('/metrics with PULT_METRICS_ALLOW_PRIVATE=on and no token', () => {
  let s: Server;
  beforeAll(async () => { s = await testServer({ PULT_DEMO_ACCOUNTS: '0', PULT_METRICS_ALLOW_PRIVATE: 'on' }); });
  afterAll(async () => s.stop());

  it('is served to a loopback address', async () => {
    const r = await scrape(s);
    expect(r.status).toBe(200);
    expect(r.text).toContain('pult_database_bytes');
  });
});

describe('/metrics with a token, after a webhook call', () => {
  let s: Server;
  let accountId = 0;
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_ACCOUNTS: '3', PULT_METRICS_TOKEN: TOKEN, PULT_RECORDING_HOSTS: '127.0.0.1' });
    const admin = await login(s.url, 'admin', 'demo');
    const ids = s.db.prepare("SELECT login, id FROM users WHERE login IN ('operator', 'operator2')").all() as { login: string; id: number }[];
    const id = (l: string) => ids.find((u) => u.login === l)!.id;
    const r = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', {
      name: 'Мегафон', vendor: 'itoolabs', tenantId: 1, account: 'vats000000.megapbx.ru', secrets: { crmToken: CRM }, agents: { ivanov: id('operator'), petrov: id('operator2') },
    }, admin);
    expect(r.status).toBe(201);
    accountId = r.body.account.id;
  });
  afterAll(async () => s.stop());

  it('refuses a scrape without the token or with a wrong one (401), even from loopback', async () => {
    expect((await scrape(s)).status).toBe(401);
    expect((await scrape(s, 'Bearer wrong-token-0123456789')).status).toBe(401);
    expect((await scrape(s, TOKEN)).status).toBe(401);
  });

  it('counts the call, its offers and outcomes, the answer latency, the webhooks and the failed recording', async () => {
    const before = await scrape(s, `Bearer ${TOKEN}`);
    expect(before.status).toBe(200);
    expect(sample(before.text, 'pult_offers_total', { kind: 'operator' }) ?? 0).toBe(0);
    expect(sample(before.text, 'pult_pbx_up', { link: 'ari' })).toBe(0);
    expect(sample(before.text, 'pult_database_bytes')).toBeGreaterThan(4096);
    expect(before.text).toMatch(/pult_process_nodejs_eventloop_lag_seconds \d/);

    // The recording link leads to a private address: refused after resolution, the recording fails.
    const forms = deliveries.map((d) => (d.form.link ? { ...d.form, link: 'http://127.0.0.1:9/rec.mp3' } : d.form));
    // Up to the answer: one caller waiting, then one connected.
    for (const f of forms.slice(0, 3)) expect(await post(s, `/hooks/itoolabs/${accountId}`, f)).toBe(200);
    const ringing = await scrape(s, `Bearer ${TOKEN}`);
    const waiting = ringing.text.split('\n').filter((l) => l.startsWith('pult_calls_waiting{')).map((l) => Number(l.split(' ').at(-1)));
    expect(waiting.reduce((a, b) => a + b, 0)).toBe(1);
    for (const f of forms.slice(3, 5)) expect(await post(s, `/hooks/itoolabs/${accountId}`, f)).toBe(200);
    const talking = await scrape(s, `Bearer ${TOKEN}`);
    const active = talking.text.split('\n').filter((l) => l.startsWith('pult_calls_active{')).map((l) => Number(l.split(' ').at(-1)));
    expect(active.reduce((a, b) => a + b, 0)).toBe(1);
    for (const f of forms.slice(5)) expect(await post(s, `/hooks/itoolabs/${accountId}`, f)).toBe(200);
    // One refused: a wrong crm_token.
    expect(await post(s, `/hooks/itoolabs/${accountId}`, { ...forms[1]!, crm_token: 'wrong' })).toBe(401);
    // Another refused: an account that does not exist.
    expect(await post(s, '/hooks/itoolabs/999999', forms[1]!)).toBe(404);

    let text = '';
    for (let i = 0; i < 50; i++) {
      text = (await scrape(s, `Bearer ${TOKEN}`)).text;
      if (sample(text, 'pult_recording_fetch_failures_total') === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sample(text, 'pult_recording_fetch_failures_total')).toBe(1);
    expect(sample(text, 'pult_offers_total', { kind: 'operator' })).toBe(2);
    expect(sample(text, 'pult_calls_ended_total', { outcome: 'answered' })).toBe(1);
    expect(sample(text, 'pult_offer_to_answer_seconds_count', { via: 'console' })).toBe(1);
    expect(sample(text, 'pult_webhooks_total', { vendor: 'itoolabs', result: 'accepted', status: '200' })).toBe(forms.length);
    expect(sample(text, 'pult_webhooks_total', { vendor: 'itoolabs', result: 'refused', status: '401' })).toBe(1);
    expect(sample(text, 'pult_webhooks_total', { vendor: 'itoolabs', result: 'refused', status: '404' })).toBe(1);
    const arrived = text.split('\n').filter((l) => l.startsWith('pult_calls_arrived_total{')).map((l) => Number(l.split(' ').at(-1)));
    expect(arrived.reduce((a, b) => a + b, 0)).toBe(1);
    const activeAfter = text.split('\n').filter((l) => l.startsWith('pult_calls_active{')).map((l) => Number(l.split(' ').at(-1)));
    expect(activeAfter.reduce((a, b) => a + b, 0)).toBe(0);
  });
});
