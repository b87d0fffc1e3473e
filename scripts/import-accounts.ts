// Imports accounts from a billing export (CSV) into the Pult database.
//
//   npm run import -- <file.csv> [--map accountNumber=ЛС,holderName=ФИО,...]
//                     [--encoding windows-1251] [--tenant "УК «…»"] [--db var/pult.sqlite]
//
// Progress goes to stderr; the report (rejected rows listed) to stdout.
// Exit 1 when the file cannot be read or its header lacks a column.
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDb } from '../src/store/db.js';
import { importAccounts, importFields, ImportMappingError, type ImportField, type ImportMapping } from '../src/features/directory/import.js';
import { CsvError } from '../src/features/directory/csv.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { map: { type: 'string' }, encoding: { type: 'string', default: 'utf-8' }, db: { type: 'string', default: process.env.PULT_DB ?? 'var/pult.sqlite' }, tenant: { type: 'string' }, batch: { type: 'string', default: '5000' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run import -- <file.csv> [--map field=Header,...] [--encoding windows-1251] [--tenant name] [--db var/pult.sqlite]');
  process.exit(1);
}

const mapping: ImportMapping = {};
for (const pair of values.map ? values.map.split(',') : []) {
  const [field, header] = pair.split('=');
  if (!field || !header || !(importFields as readonly string[]).includes(field)) {
    console.error(`--map: «${pair}» is not field=Header; fields: ${importFields.join(', ')}`);
    process.exit(1);
  }
  mapping[field as ImportField] = header;
}

let size: number;
try {
  size = statSync(file).size;
} catch (err) {
  console.error(`cannot read ${file}: ${(err as Error).message}`);
  process.exit(1);
}

const db = openDb(values.db);
let nextPct = 0;
let nextRows = 50_000;
try {
  const report = await importAccounts(db, createReadStream(file, { highWaterMark: 1 << 20 }), {
    mapping,
    encoding: values.encoding,
    defaultTenant: values.tenant,
    batchSize: Number(values.batch),
    totalBytes: size,
    onProgress: (p) => {
      const pct = size > 0 ? (p.bytes / size) * 100 : 100;
      if (pct >= nextPct || p.rows >= nextRows) {
        console.error(`${p.rows} rows, ${(p.bytes / 1048576).toFixed(1)} / ${(size / 1048576).toFixed(1)} MB (${pct.toFixed(0)}%)`);
        nextPct = Math.floor(pct / 2) * 2 + 2;
        nextRows = p.rows + 50_000;
      }
    },
  });
  for (const e of report.errors) console.log(`строка ${e.line}: ${e.field}: ${e.problem} [${e.value}]`);
  if (report.errorsTruncated) console.log(`… показаны первые ${report.errors.length} ошибок`);
  const summary = { ...report, errors: report.errors.length };
  console.log(JSON.stringify(summary));
} catch (err) {
  if (err instanceof ImportMappingError || err instanceof CsvError) {
    console.error(err.message);
    process.exitCode = 1;
  } else if ((err as NodeJS.ErrnoException).code !== undefined) {
    console.error(`cannot read ${file}: ${(err as Error).message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  db.close();
}
