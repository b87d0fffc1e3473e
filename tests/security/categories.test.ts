// Issue 12, item 4: categories as a master directory. Admins keep the tree
// (subcategories one level deep, kind emergency/planned/both, deadline rule,
// required speciality); a category in use cannot be deleted (409); the
// server refuses a request whose category does not fit its kind, on create
// and on edit (400 naming the category), whatever the form allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';

type Server = Awaited<ReturnType<typeof testServer>>;
type Cat = { id: number; code: string; name: string; kind: string; parentId: number | null; deadlineMinutes: number | null; deadlineRule: unknown; specialityId: number | null; specialityName: string | null; requests: number; children: number; active: boolean };
type Err = { error: { code: string; message: string; details: { field: string; problem: string }[] } };
let s: Server;
let admin = '', sup = '', op = '';
let lift: Cat, stuck: Cat;
const specialities: Record<string, number> = {};

const post = (body: unknown, token = admin) => api<{ category: Cat } & Err>(s.url, 'POST', '/api/categories', body, token);
const patch = (id: number, body: unknown, token = admin) => api<{ category: Cat } & Err>(s.url, 'PATCH', `/api/categories/${id}`, body, token);
const categoryId = async (code: string) => (await api<{ items: Cat[] }>(s.url, 'GET', '/api/categories', undefined, admin)).body.items.find((c) => c.code === code)!.id;
const newRequest = (body: Record<string, unknown>, path = '/api/requests') =>
  api<{ request: { id: number; kind: string; category: { id: number }; createdAt: string; dueAt: string | null } } & Err>(s.url, 'POST', path, { description: 'Застрял лифт во втором подъезде', tenantId: 1, address: 'ул. Ленина, д. 3', channel: 'call', ...body }, op);

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  [admin, sup, op] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'supervisor', 'demo'), login(s.url, 'operator', 'demo')]);
  for (const r of s.db.prepare('SELECT id, code FROM specialities').all() as { id: number; code: string }[]) specialities[r.code] = r.id;
});
afterAll(async () => {
  await s?.stop();
});

describe('the category tree', () => {
  it('admins create a category and a subcategory with kind, deadline rule and speciality', async () => {
    const a = await post({ code: 'lift', name: 'Лифтовое хозяйство', kind: 'both', specialityId: specialities.lift, position: 5 });
    expect(a.status).toBe(201);
    lift = a.body.category;
    expect(lift).toMatchObject({ code: 'lift', kind: 'both', parentId: null, specialityName: 'лифтёр', requests: 0, children: 0, active: true });
    const b = await post({ code: 'lift-stuck', name: 'Застревание в лифте', kind: 'emergency', parentId: lift.id, deadlineRule: { minutes: 30, window: { from: '06:00', to: '23:00' } }, specialityId: specialities.lift, source: 'ПП РФ № 416' });
    expect(b.status).toBe(201);
    stuck = b.body.category;
    expect(stuck).toMatchObject({ parentId: lift.id, kind: 'emergency', deadlineMinutes: 30, deadlineRule: { minutes: 30, window: { from: '06:00', to: '23:00' } } });
    const tree = (await api<{ items: Cat[] }>(s.url, 'GET', '/api/categories', undefined, sup)).body.items;
    const i = tree.findIndex((c) => c.id === lift.id);
    expect(tree[i + 1]).toMatchObject({ id: stuck.id, parentId: lift.id });
    expect(tree.find((c) => c.id === lift.id)!.children).toBe(1);
    // The dispatchers' list carries the tree and the new kind.
    const pub = (await api<{ items: Cat[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op)).body.items;
    expect(pub.find((c) => c.id === stuck.id)).toMatchObject({ parentId: lift.id, kind: 'emergency', specialityId: specialities.lift });
  });

  it('refuses bad input with 400 naming the field, a taken code with 409, writes by non-admins with 403', async () => {
    const cases: [unknown, string][] = [
      [{ code: 'x y', name: 'Плохой код', kind: 'planned' }, 'code'],
      [{ code: 'ok-code', name: 'Вид', kind: 'sometimes' }, 'kind'],
      [{ code: 'ok-code', name: 'Подкатегория подкатегории', kind: 'emergency', parentId: stuck.id }, 'parentId'],
      [{ code: 'ok-code', name: 'Плановая под аварийной', kind: 'planned', parentId: (await categoryId('water-leak')) }, 'kind'],
      [{ code: 'ok-code', name: 'Нет родителя', kind: 'planned', parentId: 99999 }, 'parentId'],
      [{ code: 'ok-code', name: 'Нет специальности', kind: 'planned', specialityId: 99999 }, 'specialityId'],
      [{ code: 'ok-code', name: 'Плохое окно', kind: 'planned', deadlineRule: { minutes: 60, window: { from: '23:00', to: '08:00' } } }, 'deadlineRule.window'],
      [{ code: 'ok-code', name: 'Лишнее поле', kind: 'planned', tenantId: 1 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect((await post({ code: 'lift', name: 'Дубль', kind: 'planned' })).status).toBe(409);
    expect((await patch(stuck.id, { code: 'water-leak' })).status).toBe(409);
    expect((await patch(lift.id, { parentId: await categoryId('other-planned') })).status).toBe(400); // has children
    expect((await patch(lift.id, { kind: 'planned' })).status).toBe(400); // its subcategory is emergency
    expect((await post({ code: 'by-sup', name: 'Старший', kind: 'planned' }, sup)).status).toBe(403);
    expect((await patch(lift.id, { name: 'x' }, sup)).status).toBe(403);
    expect((await api(s.url, 'DELETE', `/api/categories/${lift.id}`, undefined, sup)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/categories', undefined, op)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/categories')).status).toBe(401);
    expect((await patch(99999, { name: 'Нет такой' })).status).toBe(404);
    expect((await patch(lift.id, {})).status).toBe(400);
  });

  it('edits, and deletes only what nothing uses (409 in use, 409 with subcategories)', async () => {
    const e = await patch(stuck.id, { name: 'Застревание пассажира в лифте', deadlineRule: null, deadlineMinutes: 45 });
    expect(e.status).toBe(200);
    expect(e.body.category).toMatchObject({ name: 'Застревание пассажира в лифте', deadlineRule: null, deadlineMinutes: 45 });
    const r = await newRequest({ kind: 'emergency', categoryId: stuck.id });
    expect(r.status).toBe(201);
    expect(new Date(r.body.request.dueAt!).getTime() - new Date(r.body.request.createdAt).getTime()).toBe(45 * 60_000);
    const inUse = await api<Err>(s.url, 'DELETE', `/api/categories/${stuck.id}`, undefined, admin);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('category_in_use');
    const parent = await api<Err>(s.url, 'DELETE', `/api/categories/${lift.id}`, undefined, admin);
    expect(parent.status).toBe(409);
    expect((await patch(lift.id, { kind: 'emergency' })).status).toBe(200);
    expect((await patch(stuck.id, { kind: 'planned' })).status).toBe(400); // parent is emergency now
    // An unused one goes; deactivated ones leave the dispatchers' list but stay in the directory.
    const spare = (await post({ code: 'lift-noise', name: 'Шум в шахте лифта', kind: 'emergency', parentId: lift.id })).body.category;
    expect((await patch(spare.id, { active: false })).body.category.active).toBe(false);
    expect((await api<{ items: Cat[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op)).body.items.map((c) => c.id)).not.toContain(spare.id);
    expect((await api(s.url, 'DELETE', `/api/categories/${spare.id}`, undefined, admin)).status).toBe(204);
    expect((await api<{ items: Cat[] }>(s.url, 'GET', '/api/categories', undefined, admin)).body.items.map((c) => c.id)).not.toContain(spare.id);
  });
});

describe('a request’s category must fit its kind', () => {
  it('create: 400 with the category named, through /api/requests and /api/tickets; «both» fits either', async () => {
    const leak = await categoryId('water-leak');
    const r = await newRequest({ kind: 'planned', categoryId: leak });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'categoryId', problem: expect.stringContaining('«Авария на внутридомовых сетях водоснабжения (локализация)» — для аварийных заявок') }]);
    const t = await newRequest({ kind: 'planned', categoryId: leak }, '/api/tickets');
    expect(t.status).toBe(400);
    expect(s.db.prepare("SELECT count(*) FROM tickets WHERE kind = 'planned' AND category_id = ?").pluck().get(leak)).toBe(0);
    const both = (await post({ code: 'intercom', name: 'Домофон', kind: 'both' })).body.category;
    expect((await newRequest({ kind: 'planned', categoryId: both.id })).status).toBe(201);
    expect((await newRequest({ kind: 'emergency', categoryId: both.id })).status).toBe(201);
    // Open requests of both kinds use it: it cannot be narrowed to one.
    const narrowed = await patch(both.id, { kind: 'planned' });
    expect(narrowed.status).toBe(409);
    expect(narrowed.body.error.code).toBe('category_in_use');
  });

  it('edit: changing the kind or the category to a misfit is 400 and changes nothing', async () => {
    const leak = await categoryId('water-leak');
    const roof = await categoryId('roof-leak');
    const both = await categoryId('intercom');
    const id = (await newRequest({ kind: 'emergency', categoryId: leak })).body.request.id;
    const k = await api<Err>(s.url, 'PATCH', `/api/requests/${id}`, { kind: 'planned' }, op);
    expect(k.status).toBe(400);
    expect(k.body.error.details[0]!.field).toBe('categoryId');
    expect((await api(s.url, 'PATCH', `/api/requests/${id}`, { categoryId: roof }, op)).status).toBe(400);
    expect((await api(s.url, 'PATCH', `/api/requests/${id}`, { categoryId: leak, kind: 'planned' }, op)).status).toBe(400);
    const after = (await api<{ request: { kind: string; category: { id: number } } }>(s.url, 'GET', `/api/requests/${id}`, undefined, op)).body.request;
    expect(after).toMatchObject({ kind: 'emergency', category: { id: leak } });
    const ok = await api<{ request: { kind: string; category: { id: number } } }>(s.url, 'PATCH', `/api/requests/${id}`, { categoryId: roof, kind: 'planned' }, op);
    expect(ok.status).toBe(200);
    expect(ok.body.request).toMatchObject({ kind: 'planned', category: { id: roof } });
    expect((await api(s.url, 'PATCH', `/api/requests/${id}`, { categoryId: both, kind: 'emergency' }, op)).status).toBe(200);
  });
});
