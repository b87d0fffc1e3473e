// Issue 10, item 4: the request page's executor pick reads
// GET /api/requests/executors?tenantId= — the active operators and
// supervisors of that company only, 404 for a company outside the caller's
// scope, 400 for a bad query, 401 without a session. Every name it offers can
// really be handed the request (the transition to «Передана исполнителю»).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';

let s: Awaited<ReturnType<typeof testServer>>;
let op2: string;
let op: string;
let admin: string;

type Items = { items: { id: number; name: string }[] };

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  [op2, op, admin] = await Promise.all([login(s.url, 'operator2', 'demo'), login(s.url, 'operator', 'demo'), login(s.url, 'admin', 'demo')]);
});
afterAll(async () => {
  await s?.stop();
});

describe('GET /api/requests/executors', () => {
  it("lists the company's active operators and supervisors, not overflow staff or admins", async () => {
    const r = await api<Items>(s.url, 'GET', '/api/requests/executors?tenantId=1', undefined, op2);
    expect(r.status).toBe(200);
    const names = r.body.items.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['Диспетчер Иванова А. П.', 'Диспетчер Петров С. И.', 'Старший диспетчер Смирнова О. В.']));
    expect(names.some((n) => n.includes('Кузнецов'))).toBe(false); // overflow (mobile) staff
    const two = await api<Items>(s.url, 'GET', '/api/requests/executors?tenantId=2', undefined, op);
    expect(two.body.items.map((x) => x.name)).not.toContain('Диспетчер Петров С. И.'); // works for company 1 only
  });

  it('is scoped: a company outside the caller’s is 404, a bad query 400, no session 401', async () => {
    expect((await api(s.url, 'GET', '/api/requests/executors?tenantId=2', undefined, op2)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/requests/executors?tenantId=999', undefined, admin)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/requests/executors?tenantId=abc', undefined, op2)).status).toBe(400);
    expect((await api(s.url, 'GET', '/api/requests/executors', undefined, op2)).status).toBe(400);
    expect((await api(s.url, 'GET', '/api/requests/executors?tenantId=1')).status).toBe(401);
  });

  it('drops a disabled user, and whoever it offers can be handed the request', async () => {
    const before = await api<Items>(s.url, 'GET', '/api/requests/executors?tenantId=1', undefined, op);
    const petrov = before.body.items.find((x) => x.name === 'Диспетчер Петров С. И.')!;
    expect((await api(s.url, 'POST', `/api/users/${petrov.id}/disable`, {}, admin)).status).toBe(204);
    const after = await api<Items>(s.url, 'GET', '/api/requests/executors?tenantId=1', undefined, op);
    expect(after.body.items.map((x) => x.id)).not.toContain(petrov.id);

    const cats = await api<{ items: { id: number; kind: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op);
    const created = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: cats.body.items.find((c) => c.kind === 'emergency')!.id, description: 'Нет света в подъезде', tenantId: 1, address: 'ул. Ленина, д. 1', channel: 'walk-in' }, op);
    expect(created.status).toBe(201);
    for (const x of after.body.items) {
      const moved = await api<{ request: { assignee: { id: number } | null } }>(s.url, 'PATCH', `/api/requests/${created.body.request.id}`, { assigneeId: x.id }, op);
      expect(moved.status).toBe(200);
      expect(moved.body.request.assignee?.id).toBe(x.id);
    }
  });
});
