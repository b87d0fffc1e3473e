// Issue 9, item 8: creating an operator is atomic. Parallel creates racing
// for one extension (or one login) give exactly one 201 and 409s, never a
// 500, and never leave a user without an operator row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let admin = '';
beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on' });
  admin = await login(s.url, 'admin', 'demo');
});
afterAll(async () => {
  await s.stop();
});

const create = (loginName: string, extension: string) =>
  api<{ error?: { code: string; message: string; details?: { field: string }[] } }>(s.url, 'POST', '/api/operators', { login: loginName, password: 'secret-1', fullName: 'Гонка', extension }, admin);
const orphans = () => s.db.prepare("SELECT count(*) FROM users u LEFT JOIN operators o ON o.user_id = u.id WHERE u.role = 'operator' AND o.user_id IS NULL").pluck().get();

describe('parallel operator creation', () => {
  for (const n of [3, 10]) {
    it(`${n} creates with one extension: one 201, the rest 409 naming the extension, no orphan users`, async () => {
      const ext = String(2000 + n);
      const results = await Promise.all(Array.from({ length: n }, (_, i) => create(`race${n}-${i}`, ext)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(n - 1).fill(409)]);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.error?.code).toBe('conflict');
        expect(r.body.error?.message).toContain(`extension ${ext}`);
      }
      expect(orphans()).toBe(0);
      expect(s.db.prepare('SELECT count(*) FROM users WHERE login LIKE ?').pluck().get(`race${n}-%`)).toBe(1);
    });
  }

  it('creates with one login: one 201, the rest 409 naming the login', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => create('same-login', String(3000 + i))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error?.details?.[0]?.field).toBe('login');
    expect(orphans()).toBe(0);
    expect(s.db.prepare("SELECT count(*) FROM operators WHERE extension BETWEEN '3000' AND '3004'").pluck().get()).toBe(1);
  });

  it('an unknown company is a 400 naming tenantIds, and nothing is stored', async () => {
    const r = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', '/api/operators', { login: 'lost', password: 'secret-1', fullName: 'X', extension: '4000', tenantIds: [999] }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]!.field).toBe('tenantIds');
    expect(s.db.prepare("SELECT count(*) FROM users WHERE login = 'lost'").pluck().get()).toBe(0);
  });
});
