// Benchmark: a month's journal of one company — 100,000 requests by default —
// exported to XLSX (and CSV) through the code behind GET /api/journal.xlsx
// and the monthly archive (JournalService.write: keyset pages; the XLSX's
// sheet written as text into a streamed ZIP). var/bench/journal-<n>.sqlite
// (reused when present) gets the month in one bulk insert: every request
// with its history (handed, accepted, done, most closed), a third linked to
// a recorded call. The data is built by a child process, so the figures are
// those of a process that only exports. Prints the time, rows/s, CPU, the
// file's size and the peak RSS during the export, sampled every 20 ms, and
// the process's own high-water mark (targets: ≤ 10 s, ≤ 200 MB).
//
//   npm run bench:journal -- [--requests 100000] [--format xlsx|csv|both]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../src/store/db.js';
import { JournalRepository, JournalService } from '../src/features/journal/index.js';
import { journalPlanSql } from '../src/features/journal/repository.js';
import { prng } from '../src/features/directory/demo-data.js';
import type { JournalFormat } from '../src/features/journal/writers.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, format: { type: 'string', default: 'both' }, 'build-only': { type: 'boolean', default: false } } });
const total = Number(values.requests);
const formats: JournalFormat[] = values.format === 'both' ? ['xlsx', 'csv'] : [values.format as JournalFormat];
const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-journal-'));
const rnd = prng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const texts = ['Течёт стояк в ванной', 'Засор канализации на кухне', 'Нет света в подъезде', 'Разбито стекло на лестнице', 'Протечка кровли над квартирой', 'Не работает домофон', 'Холодные батареи', 'Нет горячей воды'];
const MONTH_START = Date.parse('2026-10-31T21:00:00Z'); // 01.11.2026 00:00 Moscow
const MONTH_MS = 30 * 86_400_000;

function build(db: Db): void {
  const cats = db.prepare('SELECT id, kind, deadline_minutes AS m FROM ticket_categories').all() as { id: number; kind: string; m: number | null }[];
  db.transaction(() => {
    db.prepare("INSERT INTO tenants (id, name) VALUES (1, 'УК «Северный квартал»')").run();
    const u = db.prepare("INSERT INTO users (id, login, password_hash, role, full_name, created_at) VALUES (?, ?, 'x', 'operator', ?, '2026-01-01')");
    for (let i = 1; i <= 40; i++) u.run(i, `u${i}`, `Сотрудник ${i}`);
    db.prepare("INSERT INTO lines (id, name, tenant_id, ring_timeout_sec, overflow_after_sec) VALUES (1, 'Линия', 1, 15, 20)").run();
    const ticket = db.prepare(`INSERT INTO tickets (id, number, tenant_id, kind, category_id, description, address, flat, caller_name, caller_phone, created_by, created_at, due_at,
      stage_code, status, assignee_id, channel, result, handed_at, accepted_at, done_at, closed_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const hist = db.prepare('INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage) VALUES (?, ?, ?, ?, ?)');
    const call = db.prepare("INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, 1, '74950000001', ?, ?, 'ended', ?)");
    const rec = db.prepare("INSERT INTO recordings (call_id, pbx_name, format, state, file_path, started_at) VALUES (?, ?, 'wav', 'stored', ?, ?)");
    const link = db.prepare('INSERT INTO ticket_calls (ticket_id, call_id) VALUES (?, ?)');
    for (let i = 1; i <= total; i++) {
      const created = MONTH_START + Math.floor(((i - 1) / total) * MONTH_MS);
      const iso = (ms: number) => new Date(ms).toISOString();
      const c = pick(cats);
      const closed = rnd() < 0.8;
      const by = 1 + (i % 10);
      const holder = 11 + (i % 30);
      const handed = created + 10 * 60_000;
      const accepted = handed + 15 * 60_000;
      const done = accepted + Math.floor(rnd() * 300) * 60_000;
      ticket.run(i, `2026-${String(i).padStart(6, '0')}`, c.kind, c.id, pick(texts), `ул. Ленина, д. ${1 + (i % 200)}`, String(1 + (i % 150)), 'Иванова А. П.', `7916${String(i).padStart(7, '0')}`, by, iso(created),
        c.m === null ? null : iso(created + c.m * 60_000), closed ? 'closed' : 'done', closed ? 'closed' : 'open', holder, 'call', 'Выполнено', iso(handed), iso(accepted), iso(done), closed ? iso(done + 3_600_000) : null);
      hist.run(i, iso(created), by, null, 'new');
      hist.run(i, iso(handed), by, 'new', 'assigned');
      hist.run(i, iso(accepted), holder, 'assigned', 'in_work');
      hist.run(i, iso(done), holder, 'in_work', 'done');
      if (closed) hist.run(i, iso(done + 3_600_000), by, 'done', 'closed');
      if (i % 3 === 0) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        call.run(id, `7916${i}`, `ch-${i}`, iso(created - 60_000));
        rec.run(id, `rec-${i}`, `/var/rec/${id}.wav`, iso(created - 60_000));
        link.run(i, id);
      }
    }
  })();
}

/** Builds the data set into `file` (in the child process the bench starts for it). */
function buildFile(file: string): void {
  const db = openDb(file);
  const t = performance.now();
  try {
    build(db);
  } catch (err) {
    db.close();
    rmSync(file, { force: true });
    throw err;
  }
  db.close();
  console.log(`data: ${total} requests (${(total * 4.8).toFixed(0)} history rows, ${Math.floor(total / 3)} recorded calls) in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${file}`);
}

async function main(): Promise<void> {
  const file = path.resolve(import.meta.dirname, '..', 'var', 'bench', `journal-${total}.sqlite`);
  if (values['build-only']) return buildFile(file);
  if (!existsSync(file)) {
    // Another process: what building the data leaves in memory is not counted as the export's.
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--requests', String(total), '--build-only'], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`building the data failed (exit ${child.status})`);
  } else console.log(`data: ${file} (reused)`);
  const db = openDb(file);
  let t: number;
  const plan = db.prepare(journalPlanSql).all(1, '2026-10-31T21:00:00Z', '2026-11-30T21:00:00Z', '', 0, 2000) as { detail: string }[];
  console.log(`page plan: ${plan.map((p) => p.detail).join(' | ')}`);
  const journal = new JournalService(new JournalRepository(db), { now: () => new Date('2026-12-01T09:00:00Z') }, 'Europe/Moscow', 'https://pult.example.ru');
  for (const format of formats) {
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    let atPeak = process.memoryUsage();
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      if (m.rss > peak) {
        peak = m.rss;
        atPeak = m;
      }
    }, 20);
    const out = path.join(dir, `journal.${format}`);
    t = performance.now();
    const cpu = process.cpuUsage();
    const rows = await journal.write(format, createWriteStream(out), { tenantId: 1, fromDay: '2026-11-01', toDay: '2026-11-30' });
    const sec = (performance.now() - t) / 1000;
    const cpuSec = (() => {
      const c = process.cpuUsage(cpu);
      return (c.user + c.system) / 1e6;
    })();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    console.log(`${format}: ${rows} rows in ${sec.toFixed(2)} s, ${Math.round(rows / sec)} rows/s (CPU ${cpuSec.toFixed(2)} s), file ${mb(statSync(out).size)} MB; RSS before ${mb(base)} MB, peak ${mb(peak)} MB (+${mb(peak - base)} MB; at the peak: JS heap ${mb(atPeak.heapUsed)} of ${mb(atPeak.heapTotal)} MB, buffers ${mb(atPeak.arrayBuffers)} MB)`);
  }
  // The query alone (after the exports, so its pages do not warm their cache).
  {
    const repo = new JournalRepository(db);
    const cpu = process.cpuUsage();
    t = performance.now();
    let n = 0;
    for (const page of repo.pages({ tenantId: 1, from: '2026-10-31T21:00:00.000Z', to: '2026-11-30T21:00:00.000Z' })) n += page.length;
    const c = process.cpuUsage(cpu);
    console.log(`query only: ${n} rows in ${((performance.now() - t) / 1000).toFixed(2)} s (CPU ${((c.user + c.system) / 1e6).toFixed(2)} s)`);
  }
  console.log(`process peak RSS (getrusage, the exporting process only): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
