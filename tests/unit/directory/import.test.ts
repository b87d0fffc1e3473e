import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { DirectoryService } from '../../../src/features/directory/service.js';
import { ImportMappingError } from '../../../src/features/directory/import.js';

const header = 'Лицевой счет;ФИО;УК;Город;Улица;Дом;Корпус;Квартира;Телефоны;Статус';
const good = [
  '1000001;Иванова Анна Петровна;УК «Северный квартал»;Вологда;ул. Ленина;5;;12;+7 (916) 123-45-67;открыт',
  '1000002;Иванов Пётр Сергеевич;УК «Северный квартал»;Вологда;ул. Ленина;5;;14;"8 916 123 45 67, 8 903 111-22-33";',
  '2000001;Соколов Дмитрий Алексеевич;ТСЖ «Рассвет»;Вологда;пр-т Победы;17;2;3;79162223344;active',
];
const fresh = () => {
  const db = openDb(':memory:');
  return { db, svc: new DirectoryService(db) };
};

describe('importAccounts', () => {
  it('keeps the good rows and reports every bad one with line, field, problem and value', async () => {
    const { db, svc } = fresh();
    const csv = [header, good[0], ';Без номера;УК «Северный квартал»;Вологда;Мира;1;;1;;', good[1],
      '3000001;Петров;УК «Северный квартал»;Вологда;Мира;1;;2;12-34;закрыт',
      '3000002;Сидоров;УК «Северный квартал»;Вологда;;1;;3;;непонятно', '3000003;лишний;столбец;;;;;;;;;', good[2]].join('\n');
    const rep = await svc.importCsv([csv]);
    expect(rep).toMatchObject({ total: 7, inserted: 3, updated: 0, unchanged: 0, rejected: 4 });
    expect(rep.errors).toEqual([
      { line: 3, field: 'accountNumber', problem: 'номер ЛС: пустое значение', value: '' },
      { line: 5, field: 'phones', problem: expect.stringContaining('телефон «12-34» не распознан'), value: '12-34' },
      { line: 6, field: 'street', problem: 'улица: пустое значение', value: '' },
      { line: 6, field: 'status', problem: expect.stringContaining('статус «непонятно»'), value: 'непонятно' },
      { line: 7, field: '*', problem: expect.stringContaining('в строке 12 столбцов, в заголовке 10'), value: expect.any(String) },
    ]);
    expect(svc.accountByNumber('1000002')).toMatchObject({ phones: ['79031112233', '79161234567'], flat: '14', address: 'г. Вологда, ул. Ленина, д. 5' });
    expect(svc.accountByNumber('2000001')).toMatchObject({ address: 'г. Вологда, пр-т Победы, д. 17, корп. 2', tenant: { name: 'ТСЖ «Рассвет»' } });
    // one building for both accounts at Ленина 5; tenants created once
    expect(db.prepare('SELECT count(*) FROM buildings').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM tenants').pluck().get()).toBe(2);
  });

  it('is idempotent: the same file again changes nothing; a changed row is updated', async () => {
    const { svc } = fresh();
    const csv = [header, ...good].join('\r\n');
    expect(await svc.importCsv([csv])).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 0 });
    const before = svc.accountByNumber('1000001')!;
    expect(await svc.importCsv([csv], { now: '2030-01-01T00:00:00.000Z' })).toMatchObject({ total: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(svc.accountByNumber('1000001')).toEqual(before);
    const changed = [header, good[0]!.replace('Иванова Анна Петровна', 'Иванова-Смирнова Анна Петровна'), good[1], good[2]!.replace('79162223344', '79162223345'), '4000001;Новый Жилец;ТСЖ «Рассвет»;Вологда;Мира;9;;1;;'].join('\n');
    expect(await svc.importCsv([changed])).toMatchObject({ inserted: 1, updated: 2, unchanged: 1, rejected: 0 });
    expect(svc.accountByNumber('1000001')!.holderName).toBe('Иванова-Смирнова Анна Петровна');
    expect(svc.lookupByPhone('79162223344', null)).toEqual([]);
    expect(svc.lookupByPhone('79162223345', null).map((a) => a.accountNumber)).toEqual(['2000001']);
    expect(svc.searchAccounts('иванова-смирнова', { tenantIds: null }).map((a) => a.accountNumber)).toEqual(['1000001']);
  });

  it('rejects a second row with the same account number', async () => {
    const { svc } = fresh();
    const rep = await svc.importCsv([[header, good[0], good[0]!.replace('12', '13')].join('\n')]);
    expect(rep).toMatchObject({ inserted: 1, rejected: 1 });
    expect(rep.errors[0]).toMatchObject({ line: 3, field: 'accountNumber', value: '1000001' });
    expect(svc.accountByNumber('1000001')!.flat).toBe('12');
  });

  it('maps columns by name and says which mapped column is missing', async () => {
    const { svc } = fresh();
    const csv = 'Номер,Плательщик,Адрес улица,Д,Тел\n77,Орлов Иван,Мира,3,89001234567\n';
    const mapping = { accountNumber: 'Номер', holderName: 'Плательщик', street: 'Адрес улица', house: 'Д', phones: 'Тел' };
    await expect(svc.importCsv([csv], { mapping })).rejects.toThrow(ImportMappingError);
    const rep = await svc.importCsv([csv], { mapping, defaultTenant: 'УК «Тест»' });
    expect(rep).toMatchObject({ inserted: 1, rejected: 0 });
    expect(svc.lookupByPhone('89001234567', null)[0]).toMatchObject({ accountNumber: '77', tenant: { name: 'УК «Тест»' } });
    const err = await svc.importCsv([csv], { mapping: { ...mapping, flat: 'Квартира' }, defaultTenant: 'X' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportMappingError);
    expect((err as Error).message).toContain('«Квартира» (поле flat)');
  });

  it('imports a windows-1251 file and reports progress', async () => {
    const { svc } = fresh();
    const text = [header, ...good].join('\r\n');
    const bytes = encode1251(text);
    const progress: number[] = [];
    const rep = await svc.importCsv([bytes.slice(0, 100), bytes.slice(100)], { encoding: 'windows-1251', batchSize: 1, totalBytes: bytes.length, onProgress: (p) => progress.push(p.rows) });
    expect(rep).toMatchObject({ inserted: 3, rejected: 0 });
    expect(svc.accountByNumber('1000002')!.holderName).toBe('Иванов Пётр Сергеевич');
    expect(progress.at(-1)).toBe(3);
  });
});

/** Encodes text as windows-1251 (Cyrillic, ё/Ё, «», ASCII — enough for the test). */
function encode1251(s: string): Uint8Array {
  const dec = new TextDecoder('windows-1251');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(dec.decode(new Uint8Array([b])), b);
  return new Uint8Array([...s].map((ch) => {
    const b = table.get(ch);
    if (b === undefined) throw new Error(`no windows-1251 byte for ${ch}`);
    return b;
  }));
}
