// Issue 11, item 6: the reminder calls' API. A company's setting is read and
// changed only by staff of that company (another company's id is 404), bad
// input is a 400 that names the field, a request's call log follows the
// request's company, executors and anonymous callers are turned away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';
import { extraUser } from '../support/security-probes.js';

let s: Awaited<ReturnType<typeof testServer>>;
let admin = '', op = '', op2 = '', sup1 = '', sup2 = '', executor = '';

type Settings = { tenantId: number; enabled: boolean; afterMinutes: number; customAfterMinutes: number | null; defaultAfterMinutes: number; retryMinutes: number; maxAttempts: number };
type Problems = { error: { details: { field: string; problem: string }[] } };

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_REMINDER_CALL_AFTER_MIN: '7', PULT_REMINDER_CALL_RETRY_MIN: '4', PULT_REMINDER_CALL_ATTEMPTS: '2' });
  [admin, op, op2] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'operator', 'demo'), login(s.url, 'operator2', 'demo')]);
  sup1 = (await extraUser(s, 'rc-sup-north', 'supervisor', [1])).token;
  sup2 = (await extraUser(s, 'rc-sup-dawn', 'supervisor', [2])).token;
  const made = await api(s.url, 'POST', '/api/executors', { login: 'rc-plumber', password: 'executor-pass-1', fullName: 'Сантехник', mobileNumber: '+7 911 000-00-01', tenantIds: [1] }, sup1);
  expect(made.status).toBe(201);
  executor = await login(s.url, 'rc-plumber', 'executor-pass-1');
});
afterAll(async () => {
  await s?.stop();
});

describe('reminder call settings', () => {
  it('default from config; a company sets its own N; another company’s staff get 404', async () => {
    const first = await api<Settings>(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, sup1);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ tenantId: 1, enabled: true, afterMinutes: 7, customAfterMinutes: null, defaultAfterMinutes: 7, retryMinutes: 4, maxAttempts: 2 });
    const put = await api<Settings>(s.url, 'PUT', '/api/reminder-calls/settings/1', { enabled: true, afterMinutes: 3 }, sup1);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ afterMinutes: 3, customAfterMinutes: 3 });
    expect((await api<Settings>(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, admin)).body.afterMinutes).toBe(3);

    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/reminder-calls/settings/1', { enabled: false, afterMinutes: null }, sup2)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/999', undefined, admin)).status).toBe(404);
    // Company 2 untouched by company 1's change.
    expect((await api<Settings>(s.url, 'GET', '/api/reminder-calls/settings/2', undefined, sup2)).body).toMatchObject({ enabled: true, afterMinutes: 7, customAfterMinutes: null });
    // Back to the default.
    expect((await api<Settings>(s.url, 'PUT', '/api/reminder-calls/settings/1', { enabled: false, afterMinutes: null }, sup1)).body).toMatchObject({ enabled: false, afterMinutes: 7 });
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ enabled: true, afterMinutes: 0 }, 'afterMinutes'],
      [{ enabled: true, afterMinutes: 5000 }, 'afterMinutes'],
      [{ enabled: true, afterMinutes: 'десять' }, 'afterMinutes'],
      [{ afterMinutes: 5 }, 'enabled'],
      [{ enabled: true, afterMinutes: 5, retry: 1 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await api<Problems>(s.url, 'PUT', '/api/reminder-calls/settings/1', body, sup1);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d) => d.field)).toContain(field);
    }
    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/abc', undefined, sup1)).status).toBe(400);
  });

  it('operators, executors and anonymous callers cannot touch the settings', async () => {
    expect((await api(s.url, 'PUT', '/api/reminder-calls/settings/1', { enabled: false, afterMinutes: 1 }, op)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, executor)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/1')).status).toBe(401);
  });
});

describe('a request’s reminder call log', () => {
  it('follows the request’s company: another company’s operator gets 404, executors 403', async () => {
    const cats = await api<{ items: { id: number; kind: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op);
    const created = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: cats.body.items.find((c) => c.kind === 'emergency')!.id, description: 'Прорыв трубы', tenantId: 2, address: 'ул. Мира, д. 3', channel: 'walk-in' }, op);
    expect(created.status).toBe(201);
    const id = created.body.request.id;
    const mine = await api<{ items: unknown[] }>(s.url, 'GET', `/api/requests/${id}/reminder-calls`, undefined, op);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([]);
    expect((await api(s.url, 'GET', `/api/requests/${id}/reminder-calls`, undefined, op2)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${id}/reminder-calls`, undefined, sup1)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/999999/reminder-calls`, undefined, admin)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${id}/reminder-calls`, undefined, executor)).status).toBe(403);
    expect((await api(s.url, 'GET', `/api/requests/${id}/reminder-calls`)).status).toBe(401);
  });
});
