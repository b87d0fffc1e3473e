// Issue 12, item 4: company dictionaries («Районная служба», «Специалист»,
// «Категория клиента») for requests and accounts. Kept by the company's
// admins and supervisors; chosen values are checked against the owner's
// company and the dictionary (another company's → 400); the request API
// carries them (page and list) for exports; everything scoped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';

type Server = Awaited<ReturnType<typeof testServer>>;
type Dict = { id: number; tenantId: number; name: string; appliesTo: string; values: { id: number; value: string; active: boolean }[] };
type Chosen = { dictionaryId: number; dictionary: string; valueId: number; value: string };
type Err = { error: { code: string; details: { field: string; problem: string }[] } };
let s: Server;
let admin = '', sup = '', op = '', op2 = '';
let district: Dict, specialist: Dict, clientCat: Dict, foreign: Dict;
let reqA = 0, reqB = 0;

async function newRequest(tenantId: number, token: string): Promise<number> {
  const cats = await api<{ items: { id: number; kind: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, token);
  const r = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', { kind: 'planned', categoryId: cats.body.items.find((c) => c.kind === 'planned')!.id, description: 'Нужна консультация специалиста', tenantId, address: 'ул. Мира, д. 2', channel: 'call' }, token);
  expect(r.status).toBe(201);
  return r.body.request.id;
}
const create = async (body: unknown, token = sup) => api<{ dictionary: Dict } & Err>(s.url, 'POST', '/api/dictionaries', body, token);
const choose = (reqId: number, values: unknown, token = op2) => api<{ dictionaryValues: Chosen[] } & Err>(s.url, 'PUT', `/api/requests/${reqId}/dictionary-values`, { values }, token);

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  [admin, sup, op, op2] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'supervisor', 'demo'), login(s.url, 'operator', 'demo'), login(s.url, 'operator2', 'demo')]);
  reqA = await newRequest(1, op2);
  reqB = await newRequest(2, op);
});
afterAll(async () => {
  await s?.stop();
});

describe('keeping dictionaries', () => {
  it('a supervisor creates the company’s dictionaries with values; bad input 400, duplicates 409, operators 403', async () => {
    const a = await create({ tenantId: 1, name: 'Районная служба', appliesTo: 'requests', values: ['Северный район', 'Южный район'] });
    expect(a.status).toBe(201);
    district = a.body.dictionary;
    expect(district).toMatchObject({ tenantId: 1, appliesTo: 'requests', values: [{ value: 'Северный район', active: true }, { value: 'Южный район', active: true }] });
    specialist = (await create({ tenantId: 1, name: 'Специалист', appliesTo: 'both', values: ['Психолог', 'Юрист'] })).body.dictionary;
    clientCat = (await create({ tenantId: 1, name: 'Категория клиента', appliesTo: 'accounts', values: ['Льготник', 'Многодетная семья'] })).body.dictionary;
    foreign = (await create({ tenantId: 2, name: 'Районная служба', appliesTo: 'requests', values: ['Заречье'] })).body.dictionary;
    expect(foreign.tenantId).toBe(2);

    expect((await create({ tenantId: 1, name: 'Районная служба', appliesTo: 'both' })).status).toBe(409);
    expect((await create({ tenantId: 1, name: '', appliesTo: 'both' })).status).toBe(400);
    expect((await create({ tenantId: 1, name: 'Повторы', appliesTo: 'both', values: ['а', 'а'] })).status).toBe(400);
    expect((await create({ tenantId: 1, name: 'Куда', appliesTo: 'everything' })).status).toBe(400);
    expect((await create({ tenantId: 2, name: 'Чужая', appliesTo: 'both' }, await login(s.url, 'operator2', 'demo'))).status).toBe(403);
    expect((await create({ tenantId: 99, name: 'Нет компании', appliesTo: 'both' }, admin)).status).toBe(400);

    const renamed = await api<{ dictionary: Dict }>(s.url, 'PATCH', `/api/dictionaries/${district.id}`, { addValues: ['Центральный район'], values: [{ id: district.values[1]!.id, value: 'Южный округ' }] }, sup);
    expect(renamed.status).toBe(200);
    expect(renamed.body.dictionary.values.map((v) => v.value)).toEqual(['Северный район', 'Южный округ', 'Центральный район']);
    district = renamed.body.dictionary;
    expect((await api(s.url, 'PATCH', `/api/dictionaries/${district.id}`, { values: [{ id: foreign.values[0]!.id, active: false }] }, sup)).status).toBe(400);
    expect((await api(s.url, 'PATCH', `/api/dictionaries/${district.id}`, { name: 'x' }, op)).status).toBe(403);
  });

  it('lists only the caller’s companies; another company’s dictionary is 404 to edit', async () => {
    const mine = (await api<{ items: Dict[] }>(s.url, 'GET', '/api/dictionaries', undefined, op2)).body.items;
    expect(mine.map((d) => d.tenantId)).toEqual([1, 1, 1]);
    const forRequests = (await api<{ items: Dict[] }>(s.url, 'GET', '/api/dictionaries?tenantId=1&appliesTo=requests', undefined, op2)).body.items;
    expect(forRequests.map((d) => d.name)).toEqual(['Районная служба', 'Специалист']);
    expect((await api(s.url, 'GET', '/api/dictionaries?tenantId=2', undefined, op2)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/dictionaries')).status).toBe(401);
    const s1 = await login(s.url, 'supervisor', 'demo');
    s.db.prepare("DELETE FROM user_tenants WHERE user_id = (SELECT id FROM users WHERE login = 'supervisor') AND tenant_id = 2").run();
    expect((await api(s.url, 'PATCH', `/api/dictionaries/${foreign.id}`, { name: 'Моя' }, s1)).status).toBe(404);
    expect((await api(s.url, 'DELETE', `/api/dictionaries/${foreign.id}`, undefined, s1)).status).toBe(404);
    s.db.prepare("INSERT INTO user_tenants (user_id, tenant_id) SELECT id, 2 FROM users WHERE login = 'supervisor'").run();
  });
});

describe('values on a request', () => {
  it('are chosen, shown on the request page and in the list; cleared with null', async () => {
    const r = await choose(reqA, [{ dictionaryId: district.id, valueId: district.values[2]!.id }, { dictionaryId: specialist.id, valueId: specialist.values[0]!.id }]);
    expect(r.status).toBe(200);
    expect(r.body.dictionaryValues).toEqual([
      { dictionaryId: district.id, dictionary: 'Районная служба', valueId: district.values[2]!.id, value: 'Центральный район' },
      { dictionaryId: specialist.id, dictionary: 'Специалист', valueId: specialist.values[0]!.id, value: 'Психолог' },
    ]);
    const page = await api<{ request: { dictionaryValues: Chosen[] } }>(s.url, 'GET', `/api/requests/${reqA}`, undefined, op2);
    expect(page.body.request.dictionaryValues.map((v) => v.value)).toEqual(['Центральный район', 'Психолог']);
    const list = await api<{ items: { id: number; dictionaryValues: Chosen[] }[] }>(s.url, 'GET', '/api/requests?tenantId=1', undefined, op2);
    expect(list.body.items.find((x) => x.id === reqA)!.dictionaryValues.map((v) => v.value)).toEqual(['Центральный район', 'Психолог']);
    const cleared = await choose(reqA, [{ dictionaryId: specialist.id, valueId: null }]);
    expect(cleared.body.dictionaryValues.map((v) => v.value)).toEqual(['Центральный район']);
  });

  it('another company’s dictionary or value, a dictionary not for requests, an inactive value → 400, nothing stored', async () => {
    const before = s.db.prepare('SELECT count(*) FROM ticket_dictionary_values').pluck().get();
    const cases: [unknown, string][] = [
      [[{ dictionaryId: foreign.id, valueId: foreign.values[0]!.id }], 'values.0.dictionaryId'],
      [[{ dictionaryId: district.id, valueId: foreign.values[0]!.id }], 'values.0.valueId'],
      [[{ dictionaryId: clientCat.id, valueId: clientCat.values[0]!.id }], 'values.0.dictionaryId'],
      [[{ dictionaryId: 9999, valueId: 1 }], 'values.0.dictionaryId'],
      [[{ dictionaryId: district.id, valueId: district.values[0]!.id }, { dictionaryId: district.id, valueId: district.values[1]!.id }], 'values'],
    ];
    for (const [values, field] of cases) {
      const r = await choose(reqA, values);
      expect(r.status, JSON.stringify(values)).toBe(400);
      expect(r.body.error.details.map((d) => d.field)).toContain(field);
    }
    await api(s.url, 'PATCH', `/api/dictionaries/${district.id}`, { values: [{ id: district.values[0]!.id, active: false }] }, sup);
    expect((await choose(reqA, [{ dictionaryId: district.id, valueId: district.values[0]!.id }])).status).toBe(400);
    expect(s.db.prepare('SELECT count(*) FROM ticket_dictionary_values').pluck().get()).toBe(before);
    // Company 2's request with company 1's dictionary, by someone who sees both.
    expect((await choose(reqB, [{ dictionaryId: district.id, valueId: district.values[1]!.id }], op)).status).toBe(400);
    // Another company's request: 404.
    expect((await choose(reqB, [{ dictionaryId: foreign.id, valueId: foreign.values[0]!.id }], op2)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${reqB}/dictionary-values`, undefined, op2)).status).toBe(404);
    expect((await choose(reqB, [{ dictionaryId: foreign.id, valueId: foreign.values[0]!.id }], op)).status).toBe(200);
  });

  it('a dictionary in use cannot be deleted (409); an unused one can', async () => {
    const inUse = await api<Err>(s.url, 'DELETE', `/api/dictionaries/${district.id}`, undefined, sup);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('dictionary_in_use');
    const spare = (await create({ tenantId: 1, name: 'Временный', appliesTo: 'both', values: ['x'] })).body.dictionary;
    expect((await api(s.url, 'DELETE', `/api/dictionaries/${spare.id}`, undefined, sup)).status).toBe(204);
  });
});

describe('values on an account (contact)', () => {
  it('are chosen for accounts of the company only, from dictionaries for accounts', async () => {
    const accounts = s.db.prepare('SELECT account_number AS n, tenant_id AS t FROM accounts ORDER BY id').all() as { n: string; t: number }[];
    const a1 = accounts.find((a) => a.t === 1)!.n;
    const a2 = accounts.find((a) => a.t === 2)!.n;
    const put = (acc: string, values: unknown, token = op2) => api<{ dictionaryValues: Chosen[] } & Err>(s.url, 'PUT', `/api/accounts/${encodeURIComponent(acc)}/dictionary-values`, { values }, token);
    const ok = await put(a1, [{ dictionaryId: clientCat.id, valueId: clientCat.values[1]!.id }, { dictionaryId: specialist.id, valueId: specialist.values[1]!.id }]);
    expect(ok.status).toBe(200);
    expect(ok.body.dictionaryValues.map((v) => v.value)).toEqual(['Юрист', 'Многодетная семья']);
    expect((await api<{ dictionaryValues: Chosen[] }>(s.url, 'GET', `/api/accounts/${encodeURIComponent(a1)}/dictionary-values`, undefined, op2)).body.dictionaryValues).toHaveLength(2);
    expect((await put(a1, [{ dictionaryId: district.id, valueId: district.values[1]!.id }])).status).toBe(400); // for requests only
    expect((await put(a1, [{ dictionaryId: foreign.id, valueId: foreign.values[0]!.id }])).status).toBe(400);
    expect((await put(a2, [{ dictionaryId: clientCat.id, valueId: clientCat.values[0]!.id }])).status).toBe(404);
    expect((await put('no-such-account', [])).status).toBe(404);
  });
});
