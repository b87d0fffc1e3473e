// Benchmark: search-as-you-type over a 1,000,000-account directory.
// Builds var/bench/search-<accounts>-<seed>.sqlite with the demo generator
// (reused when present), runs a realistic mix of queries (account number
// prefixes, phones in every format, surname prefixes, addresses; some scoped
// to management companies) and prints p50/p95/p99 per kind and overall, then
// the same for a naive LIKE '%…%' scan over 50 of the queries.
//
//   npm run bench:search -- [--accounts 1000000] [--seed 1] [--queries 6000]
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../src/store/db.js';
import { generateDemoAccounts, prng, seedDirectoryDemo } from '../src/features/directory/demo-data.js';
import { DirectoryService } from '../src/features/directory/service.js';
import type { AccountInput } from '../src/features/directory/repository.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, queries: { type: 'string', default: '6000' } } });
const accounts = Number(values.accounts);
const seed = Number(values.seed);
const file = path.resolve(import.meta.dirname, '..', 'var', 'bench', `search-${accounts}-${seed}.sqlite`);

if (!existsSync(file)) {
  console.log(`building ${file} (${accounts} accounts)…`);
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.tmp`]) rmSync(f, { force: true });
  const db = openDb(file);
  db.prepare('INSERT INTO tenants (name) VALUES (?), (?)').run('УК «Северный квартал»', 'ТСЖ «Рассвет»');
  const t = performance.now();
  seedDirectoryDemo(db, { accounts, seed, onProgress: (n) => { if (n % 200_000 < 50_000) console.log(`  ${n}`); } });
  db.exec('ANALYZE');
  console.log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  db.close();
} else {
  console.log(`reusing ${file}`);
}
const db = openDb(file);
const svc = new DirectoryService(db);
const tenantIds = db.prepare('SELECT id FROM tenants ORDER BY id').pluck().all() as number[];

// A sample of real accounts to type queries from.
const sample: AccountInput[] = [];
const step = Math.max(1, Math.floor(accounts / 5000));
let i = 0;
for (const a of generateDemoAccounts({ accounts, seed })) if (i++ % step === 0) sample.push(a);

const rnd = prng(seed * 7919);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const phoneFormats: ((p: string) => string)[] = [
  (p) => `+7 (${p.slice(1, 4)}) ${p.slice(4, 7)}-${p.slice(7, 9)}-${p.slice(9)}`,
  (p) => `8 ${p.slice(1, 4)} ${p.slice(4, 7)} ${p.slice(7, 9)} ${p.slice(9)}`,
  (p) => p,
  (p) => p.slice(1),
  (p) => '8' + p.slice(1, 4 + Math.floor(rnd() * 5)), // typing: 8916, 89161, …
  (p) => p.slice(-4 - Math.floor(rnd() * 3)), // last 4–6 digits
];
type Kind = 'account' | 'phone' | 'surname' | 'address';
const make = (): { kind: Kind; q: string } => {
  const a = pick(sample);
  const r = rnd();
  if (r < 0.25) return { kind: 'account', q: a.accountNumber.slice(0, 3 + Math.floor(rnd() * 5)) };
  if (r < 0.5) return { kind: 'phone', q: pick(phoneFormats)(pick(a.phones)) };
  if (r < 0.75) {
    const words = a.holderName.split(' ');
    const s = rnd() < 0.3 ? `${words[0]} ${words[1]!.slice(0, 2)}` : words[0]!.slice(0, 3 + Math.floor(rnd() * 6));
    return { kind: 'surname', q: rnd() < 0.5 ? s.toLowerCase().replace(/ё/g, 'е') : s };
  }
  const street = a.street.replace(/^(ул|пр-т|пер|б-р)\.?\s/, '');
  const forms = [`${street} ${a.house}`, `${a.street}, д. ${a.house}, кв. ${a.flat}`, `${street} ${a.house}-${a.flat}`, street.slice(0, 5).toLowerCase()];
  return { kind: 'address', q: pick(forms) };
};
const scopeOf = () => { const r = rnd(); return r < 0.5 ? null : r < 0.8 ? [pick(tenantIds)] : tenantIds.slice(0, 2); };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const fmt = (xs: number[]) => `n=${String(xs.length).padStart(5)}  p50=${pct(xs, 50).toFixed(3)}  p95=${pct(xs, 95).toFixed(3)}  p99=${pct(xs, 99).toFixed(3)}  max=${pct(xs, 100).toFixed(2)} ms`;

// Warm-up (page cache), then measure.
for (let w = 0; w < 500; w++) svc.searchAccounts(make().q, { limit: 20, tenantIds: scopeOf() });
const n = Number(values.queries);
const times: Record<Kind, number[]> = { account: [], phone: [], surname: [], address: [] };
const all: number[] = [];
let empty = 0;
const queries: { kind: Kind; q: string }[] = [];
for (let k = 0; k < n; k++) {
  const { kind, q } = make();
  queries.push({ kind, q });
  const scope = scopeOf();
  const t = performance.now();
  const r = svc.searchAccounts(q, { limit: 20, tenantIds: scope });
  const ms = performance.now() - t;
  if (r.length === 0) empty++;
  times[kind].push(ms);
  all.push(ms);
}
console.log(`\nindexed search, ${accounts} accounts, ${n} queries (limit 20; half scoped to 1–2 companies; ${empty} returned nothing):`);
for (const k of Object.keys(times) as Kind[]) console.log(`  ${k.padEnd(8)} ${fmt(times[k])}`);
console.log(`  ${'overall'.padEnd(8)} ${fmt(all)}`);

// Naive: LIKE '%q%' over number, name, address and phones (no ranking, stops at LIMIT 20).
const naive = db.prepare(`SELECT DISTINCT a.id FROM accounts a JOIN buildings b ON b.id = a.building_id LEFT JOIN account_phones p ON p.account_id = a.id
  WHERE a.account_number LIKE @q OR a.holder_name LIKE @q OR b.address LIKE @q OR p.phone LIKE @d LIMIT 20`).pluck();
const naiveTimes: number[] = [];
const sameIdx: number[] = [];
for (let k = 0; k < 50; k++) {
  const { q } = queries[k * Math.floor(queries.length / 50)]!;
  const d = q.replace(/\D/g, '');
  const t = performance.now();
  naive.all({ q: `%${q}%`, d: d ? `%${d}%` : '\u0000' });
  naiveTimes.push(performance.now() - t);
  const t2 = performance.now();
  svc.searchAccounts(q, { limit: 20, tenantIds: null });
  sameIdx.push(performance.now() - t2);
}
console.log(`\nnaive LIKE '%…%' scan, 50 of the same queries:\n  naive    ${fmt(naiveTimes)}\n  indexed  ${fmt(sameIdx)}`);
console.log(`  ratio (naive / indexed): p50 ×${(pct(naiveTimes, 50) / pct(sameIdx, 50)).toFixed(0)}, p99 ×${(pct(naiveTimes, 99) / pct(sameIdx, 99)).toFixed(0)}`);
db.close();
