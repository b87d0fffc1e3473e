// The import's rows parsed in a worker thread (ImportOptions.worker): the
// same report as in-process — counts, every rejected row with its line and
// field, duplicates, the re-import's «unchanged» — across many batches and
// small chunks; a bad header or a broken CSV fails with the same error
// classes (the route turns them into 400s); a failing source is the
// import's error.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { CsvError } from '../../../src/features/directory/csv.js';
import { importAccounts, ImportMappingError, type ImportOptions } from '../../../src/features/directory/import.js';

const header = 'Лицевой счет;ФИО;УК;Город;Улица;Дом;Корпус;Квартира;Телефоны;Статус';

/** 3,000 rows, some bad in different ways, one duplicate number. */
function file(): string {
  const lines = [header];
  for (let i = 1; i <= 3000; i++) {
    if (i % 97 === 0) lines.push(`${1_000_000 + i};;УК «Север»;Вологда;Мира;${i % 40};;${i};;`); // no name
    else if (i % 131 === 0) lines.push(`${1_000_000 + i};Лишний;столбец;;;;;;;;;`);
    else if (i % 173 === 0) lines.push(`${1_000_000 + i};Петров ${i};УК «Север»;Вологда;Мира;1;;2;12-34;закрыт`); // bad phone
    else if (i % 500 === 0) lines.push(`${1_000_000 + i - 1};Дубль ${i};УК «Север»;Вологда;Мира;1;;2;;`); // the row before's number
    else lines.push(`${1_000_000 + i};Житель ${i};УК «${i % 3 === 0 ? 'Рассвет' : 'Север'}»;Вологда;ул. Ленина;${i % 40};;${i % 90};"+7 916 ${String(i).padStart(7, '0')}";открыт`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** The file as a byte stream in small chunks (records split across them). */
function* chunks(s: string, size = 4096): Generator<Buffer> {
  const b = Buffer.from(s, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function both(csv: string, o: ImportOptions = {}) {
  const run = async (worker: boolean) => {
    const db = openDb(':memory:');
    const first = await importAccounts(db, chunks(csv), { ...o, worker, batchSize: 250, now: '2026-12-01T00:00:00Z' });
    const again = await importAccounts(db, chunks(csv), { ...o, worker, batchSize: 250, now: '2026-12-01T00:00:00Z' });
    const accounts = db.prepare('SELECT account_number, holder_name, flat, import_hash FROM accounts ORDER BY id').all();
    return { first: { ...first, durationMs: 0 }, again: { ...again, durationMs: 0 }, accounts };
  };
  return { inProcess: await run(false), inWorker: await run(true) };
}

// Each worker starts by compiling its TypeScript modules (tsx): a second or two on a busy machine.
describe('import rows parsed in a worker thread', { timeout: 60_000 }, () => {
  it('gives the same report, rejected rows and accounts as in-process, and an unchanged re-import', async () => {
    const { inProcess, inWorker } = await both(file());
    expect(inWorker).toEqual(inProcess);
    expect(inWorker.first.total).toBe(3000);
    expect(inWorker.first.rejected).toBeGreaterThan(50);
    expect(inWorker.first.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['holderName', '*', 'phones', 'accountNumber']));
    expect(inWorker.again).toMatchObject({ inserted: 0, updated: 0, unchanged: inWorker.first.inserted });
  });

  it('fails on a bad header or a broken CSV with the same errors as in-process', async () => {
    const db = openDb(':memory:');
    await expect(importAccounts(db, chunks('Номер;Плательщик\n1;Иванов\n'), { worker: true })).rejects.toBeInstanceOf(ImportMappingError);
    await expect(importAccounts(db, chunks(''), { worker: true })).rejects.toBeInstanceOf(ImportMappingError);
    const broken = `${header}\n1;"Иванов;УК;Вологда;Мира;1;;1;;\n`;
    const err = await importAccounts(db, chunks(broken), { worker: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(2);
  });

  it('fails with the source’s own error when the source fails', async () => {
    const db = openDb(':memory:');
    class TooLarge extends Error {}
    async function* source() {
      yield Buffer.from(`${header}\n1000001;Иванова;УК;Вологда;Мира;1;;1;;\n`);
      throw new TooLarge('файл больше 1 МБ');
    }
    await expect(importAccounts(db, source(), { worker: true })).rejects.toBeInstanceOf(TooLarge);
  });
});
