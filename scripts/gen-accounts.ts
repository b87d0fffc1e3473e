// Writes the deterministic demo directory as a billing-export CSV (UTF-8, `;`).
//
//   npm run gen:accounts -- --accounts 100000 --seed 1 --out var/accounts.csv
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '../src/features/directory/demo-data.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'var/accounts.csv' } } });
mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
const rows = await writeDemoCsv(createWriteStream(values.out), { accounts: Number(values.accounts), seed: Number(values.seed) });
console.error(`${rows} accounts written to ${values.out}`);
