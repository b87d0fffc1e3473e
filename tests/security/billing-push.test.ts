// Issue 14 item 9, from outside: the billing link is built server-side for
// the company's own accounts only; a closed request is pushed to the
// company's billing URL, HMAC-signed, retried with backoff when the receiver
// fails (twice here: delivered on the third attempt) and kept across a
// restart; a push that keeps failing is listed for admins and can be retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface Hit { at: number; body: string; signature: string | undefined; delivery: string | undefined }
const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-billing-'));
const env = {
  PULT_STATE_DIR: dir, PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '5',
  PULT_BILLING_PUSH_SECRET: 'billing-master-secret-for-tests', PULT_BILLING_PUSH_HOSTS: '127.0.0.1', PULT_FETCH_ALLOW_PRIVATE: 'true',
  PULT_BILLING_PUSH_CRON: '* * * * * *', PULT_BILLING_PUSH_BACKOFF_SEC: '1', PULT_BILLING_PUSH_BACKOFF_MAX_SEC: '8', PULT_BILLING_PUSH_ATTEMPTS: '3',
};
let s: Server;
let receiver: http.Server;
let base = '';
const hits: Record<string, Hit[]> = { flaky: [], down: [] };
let downAccepts = false;

/** Polls until `check` holds (no assumption about speed: a generous deadline only against hanging forever). */
async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function closedRequest(token: string, tenantId: number, text: string): Promise<{ id: number; number: string; account: string }> {
  const account = s.db.prepare("SELECT account_number FROM accounts WHERE tenant_id = ? AND status = 'active' ORDER BY id LIMIT 1").pluck().get(tenantId) as string;
  const category = s.db.prepare("SELECT id FROM ticket_categories WHERE code = 'other-planned'").pluck().get() as number;
  const c = await api<{ request: { id: number; number: string } }>(s.url, 'POST', '/api/requests', { kind: 'planned', categoryId: category, description: text, accountNumber: account, anonymous: false, channel: 'call' }, token);
  expect(c.status).toBe(201);
  const t = await api(s.url, 'POST', `/api/requests/${c.body.request.id}/transition`, { to: 'cancelled', reason: 'выполнено по телефону' }, token);
  expect(t.status).toBe(200);
  return { id: c.body.request.id, number: c.body.request.number, account };
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const which = req.url === '/flaky' ? 'flaky' : 'down';
      hits[which]!.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-pult-signature'] as string | undefined, delivery: req.headers['x-pult-delivery'] as string | undefined });
      const ok = which === 'flaky' ? hits.flaky!.length >= 3 : downAccepts;
      res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  s = await testServer(env);
}, 120_000);
afterAll(async () => {
  await s.stop();
  await new Promise((r) => receiver.close(r));
});

describe('billing settings and the link', () => {
  it('admins set a company’s template and push URL; bad ones are clear 400s; others may not', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const bad = await api<{ error: { details: { field: string; problem: string }[] } }>(s.url, 'PUT', '/api/tenants/1/billing', { urlTemplate: 'http://billing.example/{acc}', pushUrl: 'https://evil.example/hook' }, admin);
    expect(bad.status).toBe(400);
    const problems = bad.body.error.details.map((d) => `${d.field}: ${d.problem}`).join('\n');
    expect(problems).toMatch(/urlTemplate: .*https/);
    expect(problems).toMatch(/urlTemplate: .*\{acc\}/);
    expect(problems).toMatch(/pushUrl: .*evil\.example/);
    const ok = await api<{ signingKey: string | null; pushEnabled: boolean }>(s.url, 'PUT', '/api/tenants/1/billing', { urlTemplate: 'https://billing.example/acc/{account}?org={tenant}', pushUrl: `${base}/flaky` }, admin);
    expect(ok.status).toBe(200);
    expect(ok.body.pushEnabled).toBe(true);
    expect(ok.body.signingKey).toMatch(/^[0-9a-f]{64}$/);
    const supervisor = await login(s.url, 'supervisor', 'demo');
    expect((await api(s.url, 'PUT', '/api/tenants/1/billing', { urlTemplate: null, pushUrl: null }, supervisor)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/tenants/1/billing', undefined, supervisor)).status).toBe(403);
  }, 120_000);

  it('the link of an account is built server-side with the account filled in; another company’s account is 404', async () => {
    const operator2 = await login(s.url, 'operator2', 'demo'); // company 1 only
    const [own, other] = [1, 2].map((t) => s.db.prepare('SELECT id, account_number AS n FROM accounts WHERE tenant_id = ? ORDER BY id LIMIT 1').get(t) as { id: number; n: string });
    const r = await api<{ url: string }>(s.url, 'GET', `/api/billing/link?accountId=${own!.id}`, undefined, operator2);
    expect(r.body.url).toBe(`https://billing.example/acc/${encodeURIComponent(own!.n)}?org=1`);
    expect((await api(s.url, 'GET', `/api/billing/link?accountId=${other!.id}`, undefined, operator2)).status).toBe(404);
    // The card asks by account number (what the screen pop carries).
    expect((await api<{ url: string }>(s.url, 'GET', `/api/billing/link?accountNumber=${encodeURIComponent(own!.n)}`, undefined, operator2)).body.url).toBe(r.body.url);
    expect((await api(s.url, 'GET', `/api/billing/link?accountNumber=${encodeURIComponent(other!.n)}`, undefined, operator2)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/billing/link?accountId=abc', undefined, operator2)).status).toBe(400);
  }, 120_000);
});

describe('the push of closed requests', () => {
  it('fails twice, survives a restart in between, and is delivered on the third attempt with a valid signature', async () => {
    const operator = await login(s.url, 'operator', 'demo');
    const req = await closedRequest(operator, 1, 'Проверка передачи в биллинг');
    await until(() => hits.flaky!.length >= 1, 'the first attempt');
    expect(s.db.prepare('SELECT state FROM billing_outbox WHERE ticket_id = ?').pluck().get(req.id)).toBe('pending');
    // Restart: the pending push lives in the database, not in memory.
    await s.stop();
    s = await testServer(env);
    await until(() => hits.flaky!.length >= 3, 'the third attempt');
    const admin = await login(s.url, 'admin', 'demo');
    const key = (await api<{ signingKey: string }>(s.url, 'GET', '/api/tenants/1/billing', undefined, admin)).body.signingKey;
    const [a, b, c] = hits.flaky!;
    expect(new Set([a!.body, b!.body, c!.body]).size).toBe(1); // the same JSON every time
    expect(c!.signature).toBe(`sha256=${createHmac('sha256', key).update(c!.body).digest('hex')}`);
    expect(c!.delivery).toBe(a!.delivery);
    const body = JSON.parse(c!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'request.closed', requestId: req.id, number: req.number, tenantId: 1, account: req.account, stage: 'cancelled', reason: 'выполнено по телефону' });
    // Backoff: the third attempt waits two base delays after the second failure.
    expect(c!.at - b!.at).toBeGreaterThanOrEqual(1900);
    await until(() => (s.db.prepare('SELECT state FROM billing_outbox WHERE ticket_id = ?').pluck().get(req.id) as string) === 'delivered', 'delivered state');
    expect(hits.flaky).toHaveLength(3);
  }, 120_000);

  it('a push that keeps failing is marked failed, listed for admins only, and retried on request', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    expect((await api(s.url, 'PUT', '/api/tenants/2/billing', { urlTemplate: null, pushUrl: `${base}/down` }, admin)).status).toBe(200);
    const operator = await login(s.url, 'operator', 'demo');
    const req = await closedRequest(operator, 2, 'Передача в недоступный биллинг');
    await until(() => (s.db.prepare('SELECT state FROM billing_outbox WHERE ticket_id = ?').pluck().get(req.id) as string) === 'failed', 'the failed state');
    expect(hits.down).toHaveLength(3); // PULT_BILLING_PUSH_ATTEMPTS
    const list = await api<{ items: { id: number; ticketId: number; number: string; attempts: number; lastStatus: number }[] }>(s.url, 'GET', '/api/billing-push/failed', undefined, admin);
    const item = list.body.items.find((x) => x.ticketId === req.id)!;
    expect(item).toMatchObject({ number: req.number, attempts: 3, lastStatus: 503 });
    expect((await api(s.url, 'GET', '/api/billing-push/failed', undefined, operator)).status).toBe(403);
    expect((await api(s.url, 'POST', `/api/billing-push/${item.id}/retry`, undefined, operator)).status).toBe(403);
    downAccepts = true;
    expect((await api(s.url, 'POST', `/api/billing-push/${item.id}/retry`, undefined, admin)).status).toBe(200);
    await until(() => (s.db.prepare('SELECT state FROM billing_outbox WHERE ticket_id = ?').pluck().get(req.id) as string) === 'delivered', 'delivery after the retry');
    expect((await api(s.url, 'POST', `/api/billing-push/${item.id}/retry`, undefined, admin)).status).toBe(409);
  }, 120_000);
});
