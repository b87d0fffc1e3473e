// The import's fast path (issue 13 item 7): plain checks that must accept
// exactly what the zod schema accepts, with the same output; and the deferred
// indexes, dropped during a bulk import and always built again.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { DirectoryService } from '../../../src/features/directory/service.js';
import { fastRow } from '../../../src/features/directory/fast-row.js';
import { importFields, importRowSchema, type ImportField } from '../../../src/features/directory/import.js';
import { deferrableIndexes } from '../../../src/features/directory/repository.js';

const base: Record<ImportField, string> = {
  accountNumber: '1000001', holderName: 'Иванова Анна Петровна', tenant: 'УК «Северный квартал»', city: 'Вологда', street: 'ул. Ленина', house: '5',
  block: '', flat: '12', fiasId: '', phones: '79161234567', status: 'открыт', lat: '', lon: '', emails: '',
};
const variants: Partial<Record<ImportField, string>>[] = [
  {}, { accountNumber: '  AB-12/3.4 ' }, { accountNumber: '' }, { accountNumber: '12 34' }, { accountNumber: 'x'.repeat(33) }, { accountNumber: 'Лс№5' },
  { holderName: '  ' }, { holderName: 'я'.repeat(301) }, { tenant: '' }, { city: '' }, { city: 'г'.repeat(101) }, { street: '' }, { house: ' 12А ' }, { house: '1'.repeat(21) },
  { block: ' 2 ' }, { block: '' }, { flat: '' }, { flat: ' кв. 7 ' }, { fiasId: '0C5B2444-70A0-4932-980C-B4DC0D3F02B5' }, { fiasId: 'not-a-guid' },
  { phones: '' }, { phones: '+7 (916) 123-45-67' }, { phones: '8 916 123 45 67, 8 903 111-22-33' }, { phones: '89031112233;79161234567;79161234567' }, { phones: '12-34' },
  { phones: ' , ' }, { phones: '9161234567 доб. 12' }, { phones: '4951234567' }, { status: '' }, { status: 'Закрыт' }, { status: ' active ' }, { status: 'закрыт!' },
  { status: 'непонятно' }, { status: 'constructor' }, { status: '0' }, { lat: '59.22', lon: '39,88' }, { lat: '59.22' }, { lat: '91', lon: '10' }, { lat: '-45.5', lon: '+179.9' },
  { lat: '1e2', lon: '3' }, { lat: ' 60 ', lon: ' 30 ' }, { lon: '181', lat: '1' },
  { emails: 'Anna@Example.RU' }, { emails: ' b@x.ru; a@y.ru, b@x.ru ' }, { emails: 'not-an-address' }, { emails: 'a@x.ru; @y.ru' }, { emails: ' ; ' }, { emails: 'a@x' },
];

describe('fastRow ≡ importRowSchema', () => {
  it.each(variants.map((v, i) => [i, v] as const))('variant %i: same verdict and the same row', (_i, v) => {
    const raw = { ...base, ...v };
    const z = importRowSchema.safeParse(raw);
    const fast = fastRow(raw);
    if (!z.success) expect(fast).toBeNull();
    // The fast path may defer a valid row to the schema (null), but never differ from it.
    else if (fast !== null) expect(fast).toEqual(z.data);
  });

  it('takes the fast path for the plain valid rows of a billing export', () => {
    for (const v of [{}, { phones: '8 916 123 45 67, 8 903 111-22-33' }, { status: 'Закрыт' }, { emails: 'Anna@Example.ru; p@mail.ru' }, { lat: '59.22', lon: '39,88' }, { block: ' 2 ', flat: '' }]) {
      expect(fastRow({ ...base, ...v })).not.toBeNull();
    }
    expect(importFields).toHaveLength(Object.keys(base).length);
  });
});

const header = 'Лицевой счет;ФИО;УК;Город;Улица;Дом;Корпус;Квартира;Телефоны;Статус';
const names = ['Семёнова Ольга Ивановна', 'Орлов Пётр Ильич', 'Жукова Вера Павловна'];
const row = (i: number) => `${1000000 + i};${names[i % 3]!.replace(' ', `-${'абвгдежзик'[i % 10]!}${'абвгдежзик'[Math.floor(i / 10) % 10]!}${'абвгдежзик'[Math.floor(i / 100) % 10]!} `)};УК «Север»;Вологда;ул. Ленина;${(i % 50) + 1};;${i};7916${String(1000000 + i)};открыт`;
const name = (i: number) => row(i).split(';')[1]!;
const indexes = (db: ReturnType<typeof openDb>) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))").pluck().all(JSON.stringify(Object.keys(deferrableIndexes))) as string[]).sort();

describe('deferred directory indexes', () => {
  it('a bulk import drops the secondary indexes while it writes, searches still answer, and the indexes are back at the end', async () => {
    const db = openDb(':memory:');
    const svc = new DirectoryService(db);
    const all = Object.keys(deferrableIndexes).sort();
    expect(indexes(db)).toEqual(all);
    const during: { indexes: string[]; found: string[] }[] = [];
    const csv = [header, ...Array.from({ length: 300 }, (_, i) => row(i + 1))].join('\n');
    const rep = await svc.importCsv([csv], {
      batchSize: 50, deferIndexesAfter: 100,
      onProgress: () => during.push({ indexes: indexes(db), found: [...svc.searchAccounts(name(7), { tenantIds: null }), ...svc.lookupByPhone('79161000008', null)].map((a) => a.accountNumber) }),
    });
    expect(rep).toMatchObject({ total: 300, inserted: 300, rejected: 0 });
    // Batches 1–2 with the indexes; from the 100th row on, without.
    expect(during[0]!.indexes).toEqual(all);
    expect(during[2]!.indexes).toEqual([]);
    expect(during[2]!.found).toEqual(['1000007', '1000008']);
    expect(indexes(db)).toEqual(all);
    expect(svc.searchAccounts(name(250), { tenantIds: null }).map((a) => a.accountNumber)).toEqual(['1000250']);
    expect(svc.lookupByPhone('79161000299', null).map((a) => a.accountNumber)).toEqual(['1000299']);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT account_id FROM account_phones WHERE phone = '79161000299'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('account_phones_phone');
  });

  it('a small import keeps the indexes; a stopped bulk import’s missing indexes come back at the next start', async () => {
    const db = openDb(':memory:');
    const svc = new DirectoryService(db);
    const seen: string[][] = [];
    await svc.importCsv([[header, row(1), row(2)].join('\n')], { batchSize: 1, onProgress: () => seen.push(indexes(db)) });
    expect(seen.every((s) => s.length === Object.keys(deferrableIndexes).length)).toBe(true);
    db.exec('DROP INDEX accounts_name; DROP INDEX account_phones_rev');
    new DirectoryService(db);
    expect(indexes(db)).toEqual(Object.keys(deferrableIndexes).sort());
  });
});

describe('bulk write path', () => {
  it('a first import inserts first, yet a repeated number is still rejected, creates nothing, and every reference holds', async () => {
    const db = openDb(':memory:');
    const svc = new DirectoryService(db);
    // Batches of 10: from the 2nd batch on the company and the buildings are known, so rows go straight to INSERT.
    const rows = Array.from({ length: 60 }, (_, i) => row(i + 1));
    rows.push(row(5)); // the same number, same building: refused by the insert itself, then reported
    rows.push(row(6).replace('ул. Ленина', 'ул. Новая')); // the same number at a building not seen yet: refused before the building exists
    const rep = await svc.importCsv([[header, ...rows].join('\n')], { batchSize: 10 });
    expect(rep).toMatchObject({ total: 62, inserted: 60, rejected: 2 });
    expect(rep.errors.map((e) => [e.line, e.field, e.value])).toEqual([[62, 'accountNumber', '1000005'], [63, 'accountNumber', '1000006']]);
    expect(db.prepare("SELECT count(*) FROM buildings WHERE street = 'ул. Новая'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM buildings').pluck().get()).toBe(50);
    expect(svc.accountByNumber('1000005')).toMatchObject({ phones: ['79161000005'], flat: '5' });
    // Foreign keys were off only inside each batch's transaction: on again, and nothing dangling.
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('a later file whose batches turn to mostly new rows (then inserted first) still tells unchanged, changed, new and repeated rows apart', async () => {
    const run = async (firstRows: number) => {
      const db = openDb(':memory:');
      const svc = new DirectoryService(db);
      await svc.importCsv([[header, ...Array.from({ length: firstRows }, (_, i) => row(i + 1))].join('\n')]);
      // Then: 20 unchanged, 5 changed, 35 new, one repeat of a new number.
      const next = [...Array.from({ length: 25 }, (_, i) => (i < 20 ? row(i + 1) : row(i + 1).replace('открыт', 'закрыт'))), ...Array.from({ length: 35 }, (_, i) => row(100 + i)), row(110)];
      const rep = await svc.importCsv([[header, ...next].join('\n')], { batchSize: 10 });
      const accounts = db.prepare('SELECT account_number, status, import_hash FROM accounts ORDER BY account_number').all();
      return { rep: { ...rep, durationMs: 0 }, accounts, fk: db.pragma('foreign_key_check') };
    };
    const a = await run(25);
    expect(a.rep).toMatchObject({ total: 61, inserted: 35, updated: 5, unchanged: 20, rejected: 1 });
    expect(a.rep.errors).toEqual([expect.objectContaining({ line: 62, field: 'accountNumber', value: '1000110' })]);
    expect(a.fk).toEqual([]);
    expect(a.accounts).toHaveLength(60);
  });
});
