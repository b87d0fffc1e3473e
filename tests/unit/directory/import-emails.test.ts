// E-mail addresses in the directory: the import's optional «Эл. почта»
// column (several per cell, separated by , or ;), checked, lowercased, shown
// on the account, replaced by a changed row and removed by an emptied one.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { DirectoryService } from '../../../src/features/directory/service.js';

const header = 'Лицевой счет;ФИО;УК;Улица;Дом;Квартира;Телефоны;Эл. почта';
const rows = [
  '1000001;Иванова Анна Петровна;УК «Север»;ул. Ленина;5;12;79161234567;Anna.Ivanova@Example.RU',
  '1000002;Иванов Пётр Сергеевич;УК «Север»;ул. Ленина;5;14;;"p@mail.ru; petr@work.ru, P@mail.ru"',
  '1000003;Соколов Дмитрий;УК «Север»;ул. Ленина;5;15;;',
];
const fresh = () => new DirectoryService(openDb(':memory:'));

describe('directory e-mail addresses', () => {
  it('imports the column under its usual names; the account shows its addresses', async () => {
    const svc = fresh();
    const rep = await svc.importCsv([[header, ...rows].join('\n')]);
    expect(rep).toMatchObject({ inserted: 3, rejected: 0 });
    expect(svc.accountByNumber('1000001')!.emails).toEqual(['anna.ivanova@example.ru']);
    expect(svc.accountByNumber('1000002')!.emails).toEqual(['p@mail.ru', 'petr@work.ru']);
    expect(svc.accountByNumber('1000003')!.emails).toEqual([]);
    for (const name of ['email', 'E-mail', 'Электронная почта']) {
      const other = fresh();
      await other.importCsv([[header.replace('Эл. почта', name), rows[0]].join('\n')]);
      expect(other.accountByNumber('1000001')!.emails, name).toEqual(['anna.ivanova@example.ru']);
    }
  });

  it('refuses a row with an address that is not one, saying which', async () => {
    const svc = fresh();
    const rep = await svc.importCsv([[header, rows[0]!.replace('Anna.Ivanova@Example.RU', '"anna@example.ru; анна на почте"')].join('\n')]);
    expect(rep).toMatchObject({ inserted: 0, rejected: 1 });
    expect(rep.errors[0]).toMatchObject({ line: 2, field: 'emails', problem: expect.stringContaining('эл. почта «анна на почте» не распознана') });
  });

  it('the same file again changes nothing; a changed or emptied cell replaces the addresses', async () => {
    const svc = fresh();
    const csv = [header, ...rows].join('\n');
    await svc.importCsv([csv]);
    expect(await svc.importCsv([csv])).toMatchObject({ unchanged: 3, updated: 0 });
    const changed = [header, rows[0]!.replace('Anna.Ivanova@Example.RU', 'anna@new.ru'), rows[1]!.replace(/"[^"]*"$/, ''), rows[2]].join('\n');
    expect(await svc.importCsv([changed])).toMatchObject({ unchanged: 1, updated: 2 });
    expect(svc.accountByNumber('1000001')!.emails).toEqual(['anna@new.ru']);
    expect(svc.accountByNumber('1000002')!.emails).toEqual([]);
  });

  it('a file without the column imports as before (the rows hash the same)', async () => {
    const svc = fresh();
    const plain = ['Лицевой счет;ФИО;УК;Улица;Дом;Квартира;Телефоны', '1000003;Соколов Дмитрий;УК «Север»;ул. Ленина;5;15;'].join('\n');
    await svc.importCsv([plain]);
    expect(await svc.importCsv([[header, rows[2]].join('\n')])).toMatchObject({ unchanged: 1 });
  });
});
