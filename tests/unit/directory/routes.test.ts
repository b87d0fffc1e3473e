import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../../src/http/app.js';
import { createLogger } from '../../../src/log.js';
import { directoryRoutes } from '../../../src/features/directory/routes.js';
import type { User } from '../../../src/features/auth/service.js';
import { demoDirectory } from './support.js';

const { svc, tenant } = demoDirectory(500);
const users: Record<string, User> = {
  admin: { id: 1, login: 'admin', role: 'admin', fullName: 'A', mobileNumber: null, tenantIds: null },
  rassvet: { id: 2, login: 'op', role: 'operator', fullName: 'O', mobileNumber: null, tenantIds: [tenant('ТСЖ «Рассвет»')] },
};
const app = createHttpApp({
  logger: createLogger('error', { svc: 'test' }),
  publicRoutes: [],
  authenticate: (req, _res, next) => { req.user = users[req.header('x-user') ?? 'admin']; next(); },
  routes: [directoryRoutes(svc)],
});
let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (path: string, user = 'admin') => fetch(base + path, { headers: { 'x-user': user } });

describe('directory routes', () => {
  it('searches, scoped to the user', async () => {
    const r = await get(`/api/accounts/search?q=${encodeURIComponent('8 916 123-45-67')}`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { items: { accountNumber: string }[] }).items.slice(0, 2).map((i) => i.accountNumber)).toEqual(['1000001', '1000002']);
    const scoped = (await (await get('/api/accounts/search?q=79161234567', 'rassvet')).json()) as { items: unknown[] };
    expect(scoped.items).toEqual([]);
  });

  it('rejects a missing or too long q with 400', async () => {
    expect((await get('/api/accounts/search')).status).toBe(400);
    expect((await get('/api/accounts/search?q=')).status).toBe(400);
    expect((await get(`/api/accounts/search?q=${'a'.repeat(101)}`)).status).toBe(400);
    expect((await get('/api/accounts/search?q=1&limit=101')).status).toBe(400);
  });

  it('returns one account, 404 outside the scope', async () => {
    expect(await (await get('/api/accounts/1000001')).json()).toMatchObject({ holderName: 'Иванова Анна Петровна' });
    expect((await get('/api/accounts/1000001', 'rassvet')).status).toBe(404);
    expect((await get('/api/accounts/2000001', 'rassvet')).status).toBe(200);
  });

  it('imports CSV for admins only; a header without a mapped column is a 400', async () => {
    const post = (body: string, user: string, query = '') => fetch(`${base}/api/directory/import${query}`, { method: 'POST', headers: { 'x-user': user, 'content-type': 'text/csv' }, body });
    const csv = 'ЛС;ФИО;УК;Улица;Дом;Кв\n9000001;Тестов Тест;УК «Тест»;Мира;1;1\n';
    expect((await post(csv, 'rassvet')).status).toBe(403);
    const ok = await post(csv, 'admin');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ total: 1, inserted: 1, rejected: 0 });
    const bad = await post(csv, 'admin', `?mapping=${encodeURIComponent(JSON.stringify({ phones: 'Телефон' }))}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('«Телефон»');
  });
});
