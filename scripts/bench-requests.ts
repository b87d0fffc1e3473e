// Benchmark: the «Заявки» list, its filters and search, and the supervisors'
// monitor over 1,000,000 requests in 20 companies.
// Builds var/bench/requests-<n>.sqlite (reused when present): 20 companies,
// 1,000 buildings, 100 executors, requests over the last 365 days (older ones
// closed, the last weeks open at every stage), then runs each query kind
// through RequestService (the code behind GET /api/requests and
// GET /api/requests/monitor) and prints p50/p95/p99 per kind.
//
//   npm run bench:requests -- [--requests 1000000] [--runs 200]
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, type Db } from '../src/store/db.js';
import { RequestRepository, RequestService } from '../src/features/requests/index.js';
import { ftsQuery } from '../src/features/requests/search.js';
import { silentLogger } from '../src/log.js';
import { prng } from '../src/features/directory/demo-data.js';
import { percentile } from './lib/bench-rig.js';
import type { ListFilter } from '../src/features/requests/types.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '200' } } });
const total = Number(values.requests);
const runs = Number(values.runs);
const TENANTS = 20;
const file = path.resolve(import.meta.dirname, '..', 'var', 'bench', `requests-${total}.sqlite`);
const NOW = new Date('2026-12-01T12:00:00Z');

// mulberry32: successive draws are independent (an LCG's low bits tie the company to the text).
const rnd = prng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const streets = ['ул. Ленина', 'пр-т Победы', 'ул. Гагарина', 'ул. Мира', 'ул. Садовая', 'ул. Советская', 'ул. Школьная', 'ул. Новая', 'пер. Почтовый', 'ул. Лесная', 'ул. Пушкина', 'ул. Чехова'];
const texts = ['Течёт стояк в ванной', 'Засор канализации на кухне', 'Нет света в подъезде', 'Разбито стекло на лестнице', 'Протечка кровли над квартирой', 'Не работает домофон', 'Засор мусоропровода', 'Не закрывается входная дверь', 'Холодные батареи', 'Запах газа в подъезде', 'Сорвало кран', 'Течь из потолка', 'Искрит розетка в щитке', 'Нет горячей воды'];
const stagesOpen = ['new', 'assigned', 'in_work', 'done', 'postponed', 'impossible'];
const channels = ['call', 'call', 'call', 'call', 'walk-in', 'letter', 'email'];

function build(db: Db): void {
  const t = performance.now();
  const cats = db.prepare('SELECT id, kind, deadline_minutes AS m FROM ticket_categories').all() as { id: number; kind: 'emergency' | 'planned'; m: number | null }[];
  db.transaction(() => {
    for (let i = 1; i <= TENANTS; i++) db.prepare('INSERT INTO tenants (id, name) VALUES (?, ?)').run(i, `УК № ${i}`);
    const u = db.prepare("INSERT INTO users (id, login, password_hash, role, full_name, created_at) VALUES (?, ?, 'x', ?, ?, '2026-01-01')");
    const ut = db.prepare('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)');
    for (let i = 1; i <= TENANTS; i++) {
      u.run(i, `op${i}`, 'operator', `Диспетчер ${i}`);
      ut.run(i, i);
      for (let k = 0; k < 5; k++) {
        const id = 100 + (i - 1) * 5 + k;
        u.run(id, `ex${id}`, 'operator', `Исполнитель ${id}`);
        ut.run(id, i);
      }
    }
    const b = db.prepare("INSERT INTO buildings (id, tenant_id, street, house, address, street_key, house_key, house_num, addr_key) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)");
    for (let i = 1; i <= 1000; i++) {
      const st = streets[i % streets.length]!;
      b.run(i, ((i - 1) % TENANTS) + 1, st, String(i), `${st}, д. ${i}`, String(i), i, `|${st}|${i}`);
    }
  })();
  const ins = db.prepare(`INSERT INTO tickets (id, number, tenant_id, kind, category_id, description, building_id, flat, address, caller_phone, status, created_by, created_at, due_at, closed_at,
      stage_code, assignee_id, channel, result, done_at, handed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const seq = new Array<number>(TENANTS + 1).fill(0);
  const span = 365 * 86400_000;
  const start = NOW.getTime() - span;
  const batch = 50_000;
  for (let from = 0; from < total; from += batch) {
    db.transaction(() => {
      for (let i = from; i < Math.min(total, from + batch); i++) {
        const tenant = Math.floor(rnd() * TENANTS) + 1;
        const cat = pick(cats);
        const building = (Math.floor(rnd() * 50) * TENANTS) + tenant;
        const created = new Date(start + (span * i) / total);
        const age = NOW.getTime() - created.getTime();
        const open = age < 21 * 86400_000 ? rnd() < 0.6 : rnd() < 0.01;
        const stage = open ? pick(stagesOpen) : rnd() < 0.9 ? 'closed' : 'cancelled';
        const assignee = stage === 'new' && rnd() < 0.5 ? null : 100 + (tenant - 1) * 5 + Math.floor(rnd() * 5);
        const due = cat.m !== null ? new Date(created.getTime() + cat.m * 60_000).toISOString() : null;
        const st = streets[building % streets.length]!;
        ins.run(i + 1, `2026-${String(++seq[tenant]!).padStart(6, '0')}`, tenant, cat.kind, cat.id, `${pick(texts)}, кв. ${Math.floor(rnd() * 200) + 1}`, building, String(Math.floor(rnd() * 200) + 1),
          `${st}, д. ${building}`, `79${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`, open ? 'open' : 'closed', tenant, created.toISOString(), due,
          open ? null : new Date(created.getTime() + 3600_000).toISOString(), stage, assignee, pick(channels), stage === 'closed' ? 'Выполнено' : null,
          stage === 'closed' ? new Date(created.getTime() + 3000_000).toISOString() : null, assignee ? created.toISOString() : null);
      }
    })();
    if ((from / batch) % 4 === 3) console.log(`  ${from + batch} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  db.exec('ANALYZE');
  console.log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

if (!existsSync(file)) {
  console.log(`building ${file} (${total} requests in ${TENANTS} companies)…`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = openDb(file);
  build(db);
  db.close();
}

const db = openDb(file);
const svc = new RequestService(new RequestRepository(db), { now: () => NOW }, 'Europe/Moscow', { toUser() {}, toSupervisors() {}, changed() {} }, silentLogger);
const sample = db.prepare('SELECT number, caller_phone AS phone, tenant_id AS tenant, assignee_id AS assignee, created_at AS at FROM tickets WHERE id = ?');
const anyTicket = () => sample.get(Math.floor(rnd() * total) + 1) as { number: string; phone: string; tenant: number; assignee: number | null; at: string };
const scope = (): number[] | null => {
  const r = rnd();
  const one = Math.floor(rnd() * TENANTS) + 1;
  return r < 0.25 ? null : r < 0.5 ? [one, (one % TENANTS) + 1] : [one]; // admin (all), a supervisor of two companies, or one
};
const base = (): ListFilter => ({ tenantIds: scope(), limit: 50 });

const kinds: [string, () => ListFilter][] = [
  ['list: newest page', () => base()],
  ['list: page 20 (keyset)', () => {
    const f = base();
    let page = svc.list(f);
    for (let i = 0; i < 19 && page.next; i++) {
      const [c, id] = page.next.split('|');
      page = svc.list({ ...f, before: { createdAt: c!, id: Number(id) } });
    }
    return f;
  }],
  ['filter: open, stage', () => ({ ...base(), status: 'open', stage: [pick(stagesOpen)] })],
  ['filter: kind + category', () => ({ ...base(), kind: 'emergency', categoryId: Math.floor(rnd() * 5) + 1 })],
  ['filter: executor', () => { const t = anyTicket(); return { tenantIds: [t.tenant], assigneeId: t.assignee ?? 100, limit: 50 }; }],
  ['filter: not assigned', () => ({ ...base(), assigneeId: null, status: 'open' })],
  ['filter: late', () => ({ ...base(), late: true })],
  ['filter: channel letter', () => ({ ...base(), channel: 'letter' })],
  ['filter: date range (1 day)', () => { const t = anyTicket(); return { ...base(), from: t.at, to: new Date(new Date(t.at).getTime() + 86400_000).toISOString() }; }],
  // A number or phone searched for is one that exists, in a scope that holds it (or every company).
  ['search: number exact', () => { const t = anyTicket(); return { tenantIds: rnd() < 0.25 ? null : [t.tenant], number: t.number, limit: 50 }; }],
  ['search: number prefix', () => ({ ...base(), number: `2026-00${Math.floor(rnd() * 90) + 10}` })],
  ['search: phone', () => { const t = anyTicket(); return { tenantIds: rnd() < 0.25 ? null : [t.tenant], phone: t.phone, limit: 50 }; }],
  ['search: address', () => ({ ...base(), address: ftsQuery(`${pick(streets).split(' ')[1]} ${Math.floor(rnd() * 1000) + 1}`, 'address')! })],
  ['search: text', () => ({ ...base(), text: ftsQuery(pick(['стояк', 'засор канализации', 'домофон', 'газ', 'мусоропровод', 'стекло']), 'text')! })],
  ['search: text + open', () => ({ ...base(), status: 'open', text: ftsQuery(pick(['стояк', 'домофон', 'батареи']), 'text')! })],
];

console.log(`${total} requests, ${TENANTS} companies; ${runs} runs per kind; a quarter of the runs see every company (admin), a quarter two, half one`);
console.log('kind                        |  p50 ms |  p95 ms |  p99 ms | rows (avg)');
const all: number[] = [];
for (const [name, make] of kinds) {
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const f = make();
    const t = performance.now();
    rows += svc.list(f).items.length;
    ms.push(performance.now() - t);
  }
  all.push(...ms);
  console.log(`${name.padEnd(28)}| ${percentile(ms, 50).toFixed(2).padStart(7)} | ${percentile(ms, 95).toFixed(2).padStart(7)} | ${percentile(ms, 99).toFixed(2).padStart(7)} | ${(rows / runs).toFixed(0)}`);
}
console.log(`${'all list/filter/search'.padEnd(28)}| ${percentile(all, 50).toFixed(2).padStart(7)} | ${percentile(all, 95).toFixed(2).padStart(7)} | ${percentile(all, 99).toFixed(2).padStart(7)} |`);

for (const [name, f] of [
  ['monitor: one company', () => ({ tenantIds: [Math.floor(rnd() * TENANTS) + 1] })],
  ['monitor: 5 companies', () => ({ tenantIds: [1, 2, 3, 4, 5] })],
  ['monitor: all (admin)', () => ({ tenantIds: null })],
  ['monitor: all, emergency', () => ({ tenantIds: null, kind: 'emergency' as const })],
] as const) {
  const ms: number[] = [];
  let open = 0;
  for (let i = 0; i < Math.max(20, runs / 4); i++) {
    const t = performance.now();
    open = svc.monitor(f()).open;
    ms.push(performance.now() - t);
  }
  console.log(`${name.padEnd(28)}| ${percentile(ms, 50).toFixed(2).padStart(7)} | ${percentile(ms, 95).toFixed(2).padStart(7)} | ${percentile(ms, 99).toFixed(2).padStart(7)} | open ${open}`);
}
db.close();
