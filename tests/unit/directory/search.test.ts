import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { DirectoryService } from '../../../src/features/directory/service.js';
import { generateDemoAccounts } from '../../../src/features/directory/demo-data.js';
import { parseAddressQuery } from '../../../src/features/directory/keys.js';
import { demoDirectory } from './support.js';

const { svc, tenant } = demoDirectory();
const numbers = (q: string, tenantIds: number[] | null = null, limit = 20) => svc.searchAccounts(q, { limit, tenantIds }).map((i) => i.accountNumber);

describe('search by account number', () => {
  it('puts the exact number first, then numbers starting with the prefix in order', () => {
    const r = svc.searchAccounts('1000001', { limit: 20, tenantIds: null });
    expect(r[0]).toMatchObject({ accountNumber: '1000001', holderName: 'Иванова Анна Петровна', matchedBy: 'account', flat: '12', phones: ['79161234567'], status: 'active', tenant: { name: 'УК «Северный квартал»' } });
    expect(r[0]!.address).toBe('г. Вологда, ул. Ленина, д. 5');
    const p = numbers('100000');
    expect(p.slice(0, 3)).toEqual(['1000001', '1000002', '1000003']);
    expect(p.every((n) => n.startsWith('100000'))).toBe(true);
    expect(p).toEqual([...p].sort());
  });

  it('respects the limit (default 20, at most 100)', () => {
    expect(numbers('1', null, 5)).toHaveLength(5);
    expect(svc.searchAccounts('1', { tenantIds: null })).toHaveLength(20);
    expect(svc.searchAccounts('1', { limit: 1000, tenantIds: null })).toHaveLength(100);
  });
});

describe('search by phone', () => {
  it.each(['+7 (916) 123-45-67', '8 916 123 45 67', '79161234567', '9161234567', '8-916-123-45-67'])('finds both accounts of a shared number typed as %s', (q) => {
    const r = svc.searchAccounts(q, { limit: 20, tenantIds: null });
    expect(r.slice(0, 2).map((i) => [i.accountNumber, i.matchedBy])).toEqual([['1000001', 'phone'], ['1000002', 'phone']]);
  });

  it('finds by a partial prefix and by the last digits', () => {
    expect(numbers('8916123')).toEqual(expect.arrayContaining(['1000001', '1000002']));
    expect(numbers('+7 916 12')).toEqual(expect.arrayContaining(['1000001']));
    const bySuffix = svc.searchAccounts('234567', { limit: 20, tenantIds: null });
    expect(bySuffix.map((i) => i.accountNumber)).toEqual(expect.arrayContaining(['1000001', '1000002']));
    expect(bySuffix.every((i) => i.phones.some((p) => p.endsWith('234567')))).toBe(true);
  });

  it('looks up the screen pop by exact number, scoped to the user', () => {
    expect(svc.lookupByPhone('8 (916) 123-45-67', null).map((a) => a.accountNumber)).toEqual(['1000001', '1000002']);
    expect(svc.lookupByPhone('+79162223344', null)).toMatchObject([{ accountNumber: '2000001', tenant: { name: 'ТСЖ «Рассвет»' }, flat: '3' }]);
    expect(svc.lookupByPhone('79161234567', [tenant('ТСЖ «Рассвет»')])).toEqual([]);
    expect(svc.lookupByPhone('7916123456', null)).toEqual([]);
  });
});

describe('search by surname', () => {
  it('matches a name prefix case-insensitively with ё = е', () => {
    const r = svc.searchAccounts('иванова', { limit: 50, tenantIds: null });
    expect(r.length).toBeGreaterThan(1);
    expect(r.every((i) => i.holderName.startsWith('Иванова') && i.matchedBy === 'surname')).toBe(true);
    expect(numbers('ИВАНОВ ПЕТР СЕРГ')).toContain('1000002'); // stored as «Пётр»
    const withYo = numbers('Фёдоров', null, 100);
    expect(withYo.length).toBeGreaterThan(0);
    expect(numbers('федоров', null, 100)).toEqual(withYo);
  });

  it('orders by name then account number', () => {
    const r = svc.searchAccounts('сми', { limit: 100, tenantIds: null }).map((i) => i.holderName.toLowerCase().replace(/ё/g, 'е'));
    expect(r).toEqual([...r].sort());
  });
});

describe('search by address', () => {
  it.each([
    ['ленина 5', ['1000001', '1000002']],
    ['ул. Ленина, д. 5', ['1000001', '1000002']],
    ['ул. Ленина, д. 5, кв. 12', ['1000001']],
    ['Ленина 5-12', ['1000001']],
    ['ленина 5 кв 14', ['1000002']],
    ['Ленина д5 кв14', ['1000002']],
    ['пр-т Победы 17', ['2000001']],
    ['победы 17 3', ['2000001']],
  ])('%s → %j', (q, expected) => {
    const r = svc.searchAccounts(q, { limit: 20, tenantIds: null });
    expect(r.map((i) => i.accountNumber)).toEqual(expected);
    expect(r.every((i) => i.matchedBy === 'address')).toBe(true);
  });

  it('a street alone lists its houses in natural order', () => {
    const r = svc.searchAccounts('Ленина', { limit: 100, tenantIds: null }).filter((i) => i.matchedBy === 'address');
    expect(r.length).toBeGreaterThanOrEqual(2);
    expect(r.every((i) => i.address.includes('Ленина'))).toBe(true);
  });

  it('parses the usual ways of writing an address', () => {
    expect(parseAddressQuery('ул. Ленина, д. 5, кв. 12')).toMatchObject({ street: 'ленина', house: '5', flat: '12', explicit: true });
    expect(parseAddressQuery('8 марта 14')).toMatchObject({ street: '8 марта', house: '14' });
    expect(parseAddressQuery('1-я линия 5 12')).toMatchObject({ street: '1 я линия', house: '5', flat: '12' });
    expect(parseAddressQuery('Мира 7к2 кв 3')).toMatchObject({ street: 'мира', house: '7', block: '2', flat: '3' });
    expect(parseAddressQuery('12345')).toBeNull();
  });
});

describe('tenant scoping', () => {
  it('a management company user never sees other companies’ accounts', () => {
    const rassvet = tenant('ТСЖ «Рассвет»');
    for (const q of ['1000001', '79161234567', '8916', 'иванова', 'ленина 5', 'а', '1', '2']) {
      const r = svc.searchAccounts(q, { limit: 100, tenantIds: [rassvet] });
      expect(r.every((i) => i.tenant.id === rassvet)).toBe(true);
    }
    expect(numbers('1000001', [rassvet])).toEqual([]);
    expect(numbers('2000001', [rassvet])).toEqual(['2000001']);
    expect(svc.accountByNumber('1000001', [rassvet])).toBeNull();
    expect(svc.accountByNumber('1000001', null)).toMatchObject({ holderName: 'Иванова Анна Петровна' });
    expect(svc.searchAccounts('1', { tenantIds: [] })).toEqual([]);
  });

  it('a user of several companies sees them merged in order', () => {
    const ids = [tenant('УК «Северный квартал»'), tenant('ТСЖ «Рассвет»')];
    const r = numbers('', ids);
    expect(r).toEqual([]);
    const all = svc.searchAccounts('смирнов', { limit: 100, tenantIds: ids });
    expect(all.every((i) => ids.includes(i.tenant.id))).toBe(true);
  });
});

describe('ranking across kinds', () => {
  it('exact account number, then exact phone, then prefixes', async () => {
    const db = openDb(':memory:');
    const s = new DirectoryService(db);
    const csv = [
      'ЛС;ФИО;УК;Улица;Дом;Кв;Телефоны',
      '79161234567;Петров Иван Ильич;УК «Тест»;Мира;1;1;79990000000',
      '100;Сидоров Олег Иванович;УК «Тест»;Мира;1;2;79161234567',
      '7916123;Козлов Павел Петрович;УК «Тест»;Мира;1;3;',
      '200;Орлова Нина Петровна;УК «Тест»;Мира;1;4;79161230000',
    ].join('\n');
    const rep = await s.importCsv([csv]);
    expect(rep.inserted).toBe(4);
    const r = s.searchAccounts('79161234567', { limit: 10, tenantIds: null });
    expect(r.map((i) => [i.accountNumber, i.matchedBy])).toEqual([['79161234567', 'account'], ['100', 'phone']]);
    const p = s.searchAccounts('7916123', { limit: 10, tenantIds: null });
    expect(p.map((i) => [i.accountNumber, i.matchedBy])).toEqual([['7916123', 'account'], ['79161234567', 'account'], ['200', 'phone'], ['100', 'phone']]);
  });
});

describe('demo data', () => {
  it('is deterministic and has the documented accounts', () => {
    const a = [...generateDemoAccounts({ accounts: 500, seed: 7 })];
    const b = [...generateDemoAccounts({ accounts: 500, seed: 7 })];
    expect(a).toEqual(b);
    expect(a).toHaveLength(500);
    expect(new Set(a.map((x) => x.accountNumber)).size).toBe(500);
    expect(a.slice(0, 3).map((x) => x.accountNumber)).toEqual(['1000001', '1000002', '2000001']);
    expect([...generateDemoAccounts({ accounts: 500, seed: 8 })]).not.toEqual(a);
  });
});
