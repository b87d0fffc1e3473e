// Online booking under load: an in-process Pult on a temporary database
// (demo data: two plumbers serving company 1's buildings, all week), with
// E extra executors serving the same building. Over HTTP with C clients at
// once: GET /api/public/slots for 14 days, then bookings of every free slot
// of the period (each by a different "resident"), then a storm of bookings
// of one and the same slot (one wins, the rest are 409). Prints
// p50/p95/p99 latency, throughput, the bookings made and memory. Loopback
// only; stops by itself.
//
//   npm run bench:booking -- [--executors 20] [--concurrency 16] [--slots 500] [--storm 200]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { api, login } from './lib/pult-process.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { executors: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '16' }, slots: { type: 'string', default: '500' }, storm: { type: 'string', default: '200' } } });
const extra = Number(values.executors);
const concurrency = Number(values.concurrency);
const slotReads = Number(values.slots);
const storm = Number(values.storm);

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-booking-'));
const pult = await startPult(loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_BOOKING_RATE_PER_MIN: '1000000', PULT_WEB_FORM_PER_IP_HOUR: '10000' }), { logger: silentLogger });
const url = `http://127.0.0.1:${pult.port}`;
const admin = await login(url, 'admin', 'demo');
const building = pult.db.prepare('SELECT id FROM buildings WHERE tenant_id = 1 ORDER BY id LIMIT 1').pluck().get() as number;
const category = pult.db.prepare("SELECT id FROM ticket_categories WHERE code = 'meter-install'").pluck().get() as number;
const plumber = pult.db.prepare("SELECT id FROM specialities WHERE code = 'plumber'").pluck().get() as number;

process.stdout.write(`setting up ${extra} more plumbers serving the building… `);
for (let i = 0; i < extra; i++) {
  const r = await api<{ executor: { id: number } }>(url, 'POST', '/api/executors', { login: `bench-x${i}`, password: 'bench-password-1', fullName: `Мастер ${i}`, tenantIds: [1], specialityIds: [plumber], buildingIds: [building] }, admin);
  if (r.status !== 201) throw new Error(`executor: ${r.status} ${JSON.stringify(r.body)}`);
  const sh = await api(url, 'POST', `/api/executors/${r.body.executor.id}/schedules`, { weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00', zoneId: null }, admin);
  if (sh.status !== 201) throw new Error(`schedule: ${sh.status} ${JSON.stringify(sh.body)}`);
}
console.log('done');

async function timed(expect: number[], method: string, p: string, body?: unknown): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const send = () => fetch(url + p, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  // A keep-alive connection the server closed while idle fails once (undici): sent again on a fresh one.
  const r = await send().catch(send);
  await r.arrayBuffer();
  if (!expect.includes(r.status)) throw new Error(`${method} ${p}: ${r.status}`);
  return { ms: performance.now() - t0, status: r.status };
}

async function run(count: number, one: (i: number) => Promise<{ ms: number; status: number }>): Promise<{ ms: number[]; wall: number; statuses: number[] }> {
  const ms: number[] = [];
  const statuses: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const r = await one(next++);
      ms.push(r.ms);
      statuses.push(r.status);
    }
  }));
  return { ms, wall: performance.now() - t0, statuses };
}

const slotsPath = `/api/public/slots?tenantId=1&buildingId=${building}&categoryId=${category}&days=14`;
const free = ((await (await fetch(url + slotsPath)).json()) as { slots: { start: string }[] }).slots;
// The storm's slot is kept out of the booking phase (the last free one).
const stormSlot = free.pop();
const resident = (i: number, start: string) => ({ tenantId: 1, buildingId: building, categoryId: category, start, description: `Поверка счётчиков, житель ${i}`, contact: { name: `Житель ${i}`, phone: `+7916${String(1000000 + i).slice(-7)}` } });
// Every executor free in a slot can take one visit: book each slot as many times as there are free executors.
const wanted = free.flatMap((s) => Array.from({ length: extra + 2 }, () => s.start));

const rows: [string, Awaited<ReturnType<typeof run>>][] = [];
rows.push([`slots, 14 days (${free.length} free)`, await run(slotReads, () => timed([200], 'GET', slotsPath))]);
rows.push([`book (${wanted.length} tries)`, await run(wanted.length, (i) => timed([201, 409], 'POST', '/api/public/bookings', resident(i, wanted[i]!)))]);
if (stormSlot) rows.push([`storm on one slot (${storm})`, await run(storm, (i) => timed([201, 409], 'POST', '/api/public/bookings', resident(100_000 + i, stormSlot.start)))]);

console.log(`\n${extra + 2} executors serving the building, ${concurrency} clients at once; this machine`);
console.log('kind                             |  p50 ms |  p95 ms |  p99 ms |  req/s | 201 | 409');
for (const [name, r] of rows) {
  const f = (p: number) => percentile(r.ms, p).toFixed(2).padStart(7);
  const n = (s: number) => String(r.statuses.filter((x) => x === s).length).padStart(3);
  console.log(`${name.padEnd(32)} | ${f(50)} | ${f(95)} | ${f(99)} | ${String(Math.round((r.ms.length / r.wall) * 1000)).padStart(6)} | ${n(201)} | ${n(409)}`);
}
const dup = pult.db.prepare("SELECT count(*) FROM (SELECT executor_id, start_at FROM bookings WHERE status = 'active' GROUP BY 1, 2 HAVING count(*) > 1)").pluck().get() as number;
console.log(`bookings: ${pult.db.prepare("SELECT count(*) FROM bookings WHERE status = 'active'").pluck().get() as number} active, executors double-booked: ${dup}, requests: ${pult.db.prepare("SELECT count(*) FROM tickets WHERE description LIKE 'Поверка счётчиков, житель %'").pluck().get() as number}`);
const m = process.memoryUsage();
console.log(`memory: rss ${Math.round(m.rss / 2 ** 20)} MB, heap ${Math.round(m.heapUsed / 2 ** 20)} MB`);
await pult.stop();
