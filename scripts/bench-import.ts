// Benchmark: CSV import of 1,000,000 accounts into a fresh database, then
// the idempotent re-import of the same file. Prints rows/s and peak memory
// (process.memoryUsage().rss sampled every 50 ms, and VmHWM).
//
//   npm run bench:import -- [--accounts 1000000] [--seed 1] [--batch 5000] [--worker auto|on|off]
//
// It runs the compiled server code (`npm run build`, build/), as production does.
// --worker on: parse the CSV in a worker thread (ImportOptions.worker); auto/off: in-process (the default).
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../src/store/db.js';
import { writeDemoCsv } from '../src/features/directory/demo-data.js';
import { importAccounts, type ImportReport } from '../src/features/directory/import.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, batch: { type: 'string', default: '5000' }, worker: { type: 'string', default: 'auto' } } });
const accounts = Number(values.accounts);
// The repository's var/bench, whether this runs from the sources or compiled (build/scripts/).
const root = path.resolve(import.meta.dirname, '..', ...(path.basename(path.resolve(import.meta.dirname, '..')) === 'build' ? ['..'] : []));
const dir = path.join(root, 'var', 'bench');
const csv = path.join(dir, `accounts-${accounts}-${values.seed}.csv`);
const dbFile = path.join(dir, 'import.sqlite');

mkdirSync(dir, { recursive: true });
if (!existsSync(csv)) {
  const t = performance.now();
  await writeDemoCsv(createWriteStream(`${csv}.tmp`), { accounts, seed: Number(values.seed) });
  const { renameSync } = await import('node:fs');
  renameSync(`${csv}.tmp`, csv);
  console.log(`generated ${csv} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const size = statSync(csv).size;
console.log(`CSV: ${accounts} rows, ${(size / 1048576).toFixed(0)} MB`);
for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
const db = openDb(dbFile);

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const vmHwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

async function run(label: string): Promise<ImportReport> {
  peakRss = process.memoryUsage().rss;
  let lastLog = 0;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const rep = await importAccounts(db, createReadStream(csv, { highWaterMark: 1 << 20 }), {
    batchSize: Number(values.batch),
    ...(values.worker === 'auto' ? {} : { worker: values.worker === 'on' }),
    totalBytes: size,
    onProgress: (p) => { if (p.rows - lastLog >= 200_000) { lastLog = p.rows; console.log(`  ${label}: ${p.rows} rows, ${((p.bytes / size) * 100).toFixed(0)}% at ${((performance.now() - t) / 1000).toFixed(1)} s, RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`); } },
  });
  const sec = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const summary = { ...rep, errors: rep.errors.length };
  console.log(`${label}: ${JSON.stringify(summary)}`);
  console.log(`${label}: ${(rep.total / sec).toFixed(0)} rows/s (${sec.toFixed(1)} s), peak RSS ${(peakRss / 1048576).toFixed(0)} MB, VmHWM ${vmHwm().toFixed(0)} MB`);
  // The machine is shared: CPU time is what the import itself cost, whatever else ran meanwhile.
  console.log(`${label}: ${(rep.total / cpuSec).toFixed(0)} rows per CPU-second (${cpuSec.toFixed(1)} s CPU: user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  return rep;
}

await run('import   ');
await run('re-import');
clearInterval(sampler);
console.log(`database: ${(statSync(dbFile).size / 1048576).toFixed(0)} MB`);
db.close();
