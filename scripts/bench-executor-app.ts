// The executor's phone page API under load: an in-process Pult on a temporary
// database (demo data), N requests handed to the demo executor, then over
// HTTP with C clients at once: the list (all N open), a card, an action with
// a fresh idempotency key (applied: a pipeline transition), and the same
// action retried with its key (replayed from the stored answer). Prints
// p50/p95/p99 latency, throughput and memory. Loopback only; stops by itself.
//
//   npm run bench:executor-app -- [--requests 500] [--concurrency 8] [--lists 500]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { api, login } from './lib/pult-process.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '8' }, lists: { type: 'string', default: '500' } } });
const n = Number(values.requests);
const concurrency = Number(values.concurrency);
const lists = Number(values.lists);

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-x-'));
const pult = await startPult(loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '2000' }), { logger: silentLogger });
const url = `http://127.0.0.1:${pult.port}`;
const operator = await login(url, 'operator', 'demo');
const executor = await login(url, 'executor', 'demo');
const executorId = (pult.db.prepare("SELECT id FROM users WHERE login = 'executor'").pluck().get() as number);
const category = pult.db.prepare("SELECT id FROM ticket_categories WHERE code = 'water-leak'").pluck().get() as number;

process.stdout.write(`setting up ${n} requests handed to the demo executor… `);
const ids: number[] = [];
for (let i = 0; i < n; i++) {
  const r = await api<{ request: { id: number } }>(url, 'POST', '/api/requests', { kind: i % 3 ? 'planned' : 'emergency', categoryId: category, description: `течь №${i}`, tenantId: 1, address: `ул. Мира, д. ${i % 90 + 1}`, channel: 'call' }, operator);
  await api(url, 'POST', `/api/requests/${r.body.request.id}/transition`, { to: 'assigned', assigneeId: executorId }, operator);
  ids.push(r.body.request.id);
}
console.log('done');

async function timed(status: number, method: string, p: string, body?: unknown, key?: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(url + p, { method, headers: { authorization: `Bearer ${executor}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) }, body: body ? JSON.stringify(body) : undefined });
  await r.arrayBuffer();
  if (r.status !== status) throw new Error(`${method} ${p}: ${r.status}, expected ${status}`);
  return performance.now() - t0;
}

/** Runs `count` calls of `one(i)` with `concurrency` in flight; returns latencies and wall time. */
async function run(count: number, one: (i: number) => Promise<number>): Promise<{ ms: number[]; wall: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) ms.push(await one(next++));
  }));
  return { ms, wall: performance.now() - t0 };
}

const rows: [string, { ms: number[]; wall: number }][] = [];
rows.push([`list (${n + 3} open)`, await run(lists, () => timed(200, 'GET', '/api/x/requests'))]);
rows.push(['card', await run(n, (i) => timed(200, 'GET', `/api/x/requests/${ids[i]}`))]);
rows.push(['accept (applied)', await run(n, (i) => timed(200, 'POST', `/api/x/requests/${ids[i]}/actions`, { action: 'accept' }, `bench-accept-${i}`))]);
rows.push(['accept retried (replayed)', await run(n, (i) => timed(200, 'POST', `/api/x/requests/${ids[i]}/actions`, { action: 'accept' }, `bench-accept-${i}`))]);
const applied = pult.db.prepare("SELECT count(*) FROM ticket_history WHERE to_stage = 'in_work' AND by_user = ?").pluck().get(executorId) as number;

console.log(`\n${n} requests, ${concurrency} clients at once; this machine`);
console.log('kind                          |  p50 ms |  p95 ms |  p99 ms |  req/s');
for (const [name, r] of rows) {
  const f = (p: number) => percentile(r.ms, p).toFixed(2).padStart(7);
  console.log(`${name.padEnd(29)} | ${f(50)} | ${f(95)} | ${f(99)} | ${String(Math.round((r.ms.length / r.wall) * 1000)).padStart(6)}`);
}
console.log(`transitions to «Принята в работу» written: ${applied} (of ${n} accepts and ${n} retries)`);
const m = process.memoryUsage();
console.log(`memory: rss ${Math.round(m.rss / 2 ** 20)} MB, heap ${Math.round(m.heapUsed / 2 ** 20)} MB`);
await pult.stop();
