// Benchmark: the reports (issue 12, item 3) over a year of a busy room.
// Builds var/bench/reports-<requests>-<calls>.sqlite (reused when present):
// 20 companies with one line each, 100 executors, requests and inbound calls
// (with callback tasks for the missed ones) spread over 365 days; then runs
// each report through ReportService (the code behind GET /api/reports/*) and
// prints p50/p95/p99 per kind, and the process's memory.
//
//   npm run bench:reports -- [--requests 300000] [--calls 500000] [--runs 20]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../src/store/db.js';
import { prng } from '../src/features/directory/demo-data.js';
import { percentile } from './lib/bench-rig.js';
import { ReportService } from '../src/features/reports/service.js';
import { ReportRepository } from '../src/features/reports/repository.js';
import { SnapshotRepository } from '../src/features/reports/snapshots.js';
import type { Period } from '../src/domain/report-figures.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '300000' }, calls: { type: 'string', default: '500000' }, runs: { type: 'string', default: '20' } } });
const REQUESTS = Number(values.requests);
const CALLS = Number(values.calls);
const runs = Number(values.runs);
const TENANTS = 20;
const TZ = 'Europe/Moscow';
const NOW = new Date('2026-12-01T09:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const file = path.resolve(import.meta.dirname, '..', 'var', 'bench', `reports-v2-${REQUESTS}-${CALLS}.sqlite`);
const rnd = prng(7);
const iso = (ms: number) => new Date(ms).toISOString();

function build(db: Db): void {
  const t = performance.now();
  const cats = db.prepare('SELECT id, deadline_minutes AS m FROM ticket_categories').all() as { id: number; m: number | null }[];
  db.transaction(() => {
    const u = db.prepare("INSERT INTO users (id, login, password_hash, role, full_name, created_at) VALUES (?, ?, 'x', ?, ?, '2026-01-01')");
    for (let i = 1; i <= TENANTS; i++) {
      db.prepare('INSERT INTO tenants (id, name) VALUES (?, ?)').run(i, `УК № ${i}`);
      db.prepare("INSERT INTO lines (id, name, tenant_id, ring_timeout_sec, overflow_after_sec, sl_threshold_sec) VALUES (?, ?, ?, 15, 20, 20)").run(i, `Линия ${i}`, i);
      u.run(i, `op${i}`, 'operator', `Диспетчер ${i}`);
      for (let k = 0; k < 5; k++) u.run(100 + (i - 1) * 5 + k, `ex${i}-${k}`, 'executor', `Исполнитель ${i}-${k}`);
    }
    const b = db.prepare("INSERT INTO buildings (id, tenant_id, street, house, address, street_key, house_key, house_num, addr_key) VALUES (?, ?, 'ул. Ленина', ?, ?, '', ?, ?, ?)");
    for (let i = 1; i <= 2000; i++) b.run(i, ((i - 1) % TENANTS) + 1, String(i), `ул. Ленина, д. ${i}`, String(i), i, `|${i}`);
  })();
  const start = NOW.getTime() - YEAR_MS;
  const ticket = db.prepare(`INSERT INTO tickets (number, tenant_id, kind, category_id, description, building_id, address, created_by, created_at, due_at, status, stage_code, assignee_id, channel, handed_at, done_at, closed_at)
    VALUES (?, ?, 'emergency', ?, 'x', ?, 'x', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const channels = ['call', 'call', 'call', 'web', 'email', 'walk-in'];
  db.transaction(() => {
    for (let i = 0; i < REQUESTS; i++) {
      const tenant = 1 + Math.floor(rnd() * TENANTS);
      const c = cats[Math.floor(rnd() * cats.length)]!;
      // Rows arrive in time order, as they do in a live room (rowid order follows time).
      const created = start + Math.floor(((i + rnd()) / REQUESTS) * YEAR_MS);
      const handed = created + Math.floor(rnd() * 3_600_000);
      const done = rnd() < 0.9 ? handed + Math.floor(rnd() * 86_400_000) : null;
      ticket.run(`${i}`, tenant, c.id, tenant + TENANTS * Math.floor(rnd() * 100), iso(created), c.m === null ? null : iso(created + c.m * 60_000), done ? 'closed' : 'open', done ? 'closed' : 'in_work',
        100 + (tenant - 1) * 5 + Math.floor(rnd() * 5), channels[Math.floor(rnd() * channels.length)]!, iso(handed), done ? iso(done) : null, done ? iso(done + 60_000) : null);
    }
  })();
  const call = db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at, answered_at, ended_at, outcome, answered_via, wait_sec, talk_sec)
    VALUES (?, ?, '1', '79001234567', ?, 'ended', ?, ?, ?, ?, ?, ?, 60)`);
  const task = db.prepare(`INSERT INTO callback_tasks (call_id, caller_number, line_id, reason, created_at, status, done_at, due_at, done_reason) VALUES (?, '79001234567', ?, 'abandoned', ?, 'done', ?, ?, 'connected')`);
  db.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const line = 1 + Math.floor(rnd() * TENANTS);
      const arrived = start + Math.floor(((i + rnd()) / CALLS) * YEAR_MS);
      const wait = Math.floor(rnd() * 120);
      const answered = rnd() < 0.85;
      const id = `c${i}`;
      call.run(id, line, id, iso(arrived), answered ? iso(arrived + wait * 1000) : null, iso(arrived + wait * 1000 + 60_000), answered ? 'answered' : 'abandoned', answered ? 'console' : null, wait);
      if (!answered) task.run(id, line, iso(arrived + wait * 1000), iso(arrived + wait * 1000 + Math.floor(rnd() * 900_000)), iso(arrived + wait * 1000 + 600_000));
    }
  })();
  console.log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

if (!existsSync(file)) console.log(`building ${file} (${REQUESTS} requests, ${CALLS} calls, ${TENANTS} companies, one year)…`);
const fresh = !existsSync(file);
const db = openDb(file);
if (fresh) build(db);
const service = new ReportService(new ReportRepository(db, TZ), new SnapshotRepository(db), { now: () => NOW }, { timeZone: TZ, shortAbandonSec: 5 });
const all = Array.from({ length: TENANTS }, (_, i) => i + 1);
const month: Period = { from: '2026-11-01', to: '2026-11-30' };
const year: Period = { from: '2025-12-01', to: '2026-11-30' };
const kinds: [string, () => unknown][] = [
  ['requests by category, month, 1 co', () => service.requests(month, [3], 'category')],
  ['requests by day, year, 1 co', () => service.requests(year, [3], 'day')],
  ['requests by company, year, all', () => service.requests(year, all, 'company')],
  ['requests by executor, month, all', () => service.requests(month, all, 'executor')],
  ['calls by hour, month, 1 co', () => service.calls(month, [3], 'hour')],
  ['calls by day, year, all', () => service.calls(year, all, 'day')],
  ['executors, month, all', () => service.executors(month, all)],
  ['complaints, year, all', () => service.complaints(year, all, 10)],
  ['compliance, month, 1 co', () => service.compliance({ id: 3, name: 'УК № 3' }, '2026-11')],
  ['daily snapshot, 1 co', () => service.snapshotFigures(3, 'daily', { from: '2026-11-30', to: '2026-11-30' })],
];
console.log(`${REQUESTS} requests, ${CALLS} calls, ${TENANTS} companies over a year; ${runs} runs per kind`);
console.log('kind                                 |  p50 ms |  p95 ms |  p99 ms');
for (const [name, run] of kinds) {
  run();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  console.log(`${name.padEnd(36)} | ${percentile(ms, 50).toFixed(1).padStart(7)} | ${percentile(ms, 95).toFixed(1).padStart(7)} | ${percentile(ms, 99).toFixed(1).padStart(7)}`);
}
const m = process.memoryUsage();
console.log(`memory: rss ${(m.rss / 1048576).toFixed(0)} MB, heap used ${(m.heapUsed / 1048576).toFixed(0)} MB`);
db.close();
