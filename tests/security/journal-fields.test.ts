// Issue 12 items 1 and 4 together, from outside: a request filed under a
// subcategory shows its parent as «Категория» and itself as «Подкатегория»
// in the journal, and each of the company's own dictionaries for requests is
// a column of the journal (screen and CSV) holding the chosen value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let admin = '';
let operator = '';

interface Page { columns: { key: string; title: string }[]; items: { requestId: number; cells: Record<string, string> }[] }

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  admin = await login(s.url, 'admin', 'demo');
  operator = await login(s.url, 'operator', 'demo');
});
afterAll(async () => {
  await s.stop();
});

describe('the journal with subcategories and company dictionaries', () => {
  it('shows the parent category, the subcategory and one column per dictionary with the chosen value', async () => {
    const parent = await api<{ category: { id: number } }>(s.url, 'POST', '/api/categories', { code: 'heating-j', name: 'Отопление', kind: 'both' }, admin);
    expect(parent.status, JSON.stringify(parent.body)).toBe(201);
    const child = await api<{ category: { id: number } }>(s.url, 'POST', '/api/categories', { code: 'radiator-j', name: 'Холодный радиатор', kind: 'both', parentId: parent.body.category.id }, admin);
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const dict = await api<{ dictionary: { id: number; values: { id: number; value: string }[] } }>(s.url, 'POST', '/api/dictionaries',
      { tenantId: 1, name: 'Районная служба', appliesTo: 'requests', values: ['Северная', 'Южная'] }, admin);
    expect(dict.status, JSON.stringify(dict.body)).toBe(201);
    const south = dict.body.dictionary.values.find((v) => v.value === 'Южная')!;

    const made = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests',
      { tenantId: 1, address: 'ул. Ленина, д. 9', kind: 'planned', categoryId: child.body.category.id, description: 'Радиатор холодный', channel: 'other' }, operator);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.request.id;
    const chosen = await api(s.url, 'PUT', `/api/requests/${id}/dictionary-values`, { values: [{ dictionaryId: dict.body.dictionary.id, valueId: south.id }] }, operator);
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);

    const page = await api<Page>(s.url, 'GET', '/api/journal?tenantId=1', undefined, operator);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const col = page.body.columns.find((c) => c.title === 'Районная служба');
    expect(col).toBeTruthy();
    const row = page.body.items.find((i) => i.requestId === id)!;
    expect(row.cells.category).toBe('Отопление');
    expect(row.cells.subcategory).toBe('Холодный радиатор');
    expect(row.cells[col!.key]).toBe('Южная');

    // Company 2 has no such dictionary: no such column in its journal.
    const other = await api<Page>(s.url, 'GET', '/api/journal?tenantId=2', undefined, operator);
    expect(other.body.columns.some((c) => c.title === 'Районная служба')).toBe(false);

    const csv = await fetch(`${s.url}/api/journal.csv?tenantId=1`, { headers: { authorization: `Bearer ${operator}` } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = lines.find((l) => l.includes('Районная служба'))!;
    expect(header).toBeTruthy();
    const line = lines.find((l) => l.includes('Радиатор холодный'))!;
    expect(line).toContain('Холодный радиатор');
    expect(line).toContain('Южная');
  });
});
