// A constructed data set for the reports (issue 12, item 3): calls with
// known answer times, callback tasks with known connect times, requests
// with known stage timestamps and deadlines, in November 2026 (Moscow,
// UTC+3), plus a few just outside it. Every expected figure in the reports
// tests is worked out by hand from these rows (see the comments).
import type { Db } from '../../src/store/db.js';
import { AuthService } from '../../src/features/auth/service.js';
import { systemClock } from '../../src/clock.js';

const at = (iso: string, plusSec = 0) => new Date(Date.parse(iso) + plusSec * 1000).toISOString();

export interface ReportFixture {
  executors: { orlov: number; belov: number };
  buildings: { a: number; b: number; aAddress: string; bAddress: string };
  categories: Record<'waterLeak' | 'sewer' | 'roof' | 'otherPlanned', number>;
}

/** Line 1 belongs to company 1 (service level threshold 20 s), line 2 to company 2 (60 s): the demo seed's lines. */
export function loadReportFixture(db: Db): ReportFixture {
  // The data set owns every figure: the demo seed's own requests (made "now",
  // assigned to the demo plumbers) leave the executors' current load.
  db.prepare('UPDATE tickets SET assignee_id = NULL').run();
  const auth = new AuthService(db, systemClock, 12);
  const orlov = auth.createUser({ login: 'orlov', password: 'secret-pass', role: 'executor', fullName: 'Орлов С. С.', tenantIds: [1] }).id;
  const belov = auth.createUser({ login: 'belov', password: 'secret-pass', role: 'executor', fullName: 'Белов Э. Э.', tenantIds: [1] }).id;
  const dispatcher = db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
  const [a, b] = db.prepare('SELECT id, address FROM buildings WHERE tenant_id = 1 ORDER BY id LIMIT 2').all() as { id: number; address: string }[];
  const cat = (code: string) => db.prepare('SELECT id FROM ticket_categories WHERE code = ?').pluck().get(code) as number;
  const categories = { waterLeak: cat('water-leak'), sewer: cat('sewer-blockage'), roof: cat('roof-leak'), otherPlanned: cat('other-planned') };

  // ── calls ──────────────────────────────────────────────────────────────
  const call = db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at, answered_at, ended_at, outcome, answered_via, wait_sec, talk_sec, overflow_at)
    VALUES (@id, @line, '74950000001', @caller, @id, 'ended', @arrived, @answered, @ended, @outcome, @via, @wait, @talk, @overflow)`);
  const answered = (id: string, line: number, arrived: string, waitSec: number, via: 'console' | 'mobile' = 'console') =>
    call.run({ id, line, caller: `7900${id.length}${id.charCodeAt(1)}`, arrived, answered: at(arrived, waitSec), ended: at(arrived, waitSec + 60), outcome: via === 'mobile' ? 'overflowed-answered' : 'answered', via, wait: waitSec, talk: 60, overflow: via === 'mobile' ? at(arrived, 20) : null });
  const missed = (id: string, line: number, arrived: string, waitSec: number, outcome: 'abandoned' | 'unanswered') =>
    call.run({ id, line, caller: '79001112233', arrived, answered: null, ended: at(arrived, waitSec), outcome, via: null, wait: waitSec, talk: null, overflow: null });
  // Company 1, line 1 (threshold 20 s).
  answered('c0', 1, '2026-10-31T20:59:59.000Z', 5); // 23:59:59 on 31 October local: not November
  answered('c8', 1, '2026-10-31T21:00:00.000Z', 5); // 00:00 on 1 November local: November, hour 0
  answered('c1', 1, '2026-11-10T06:00:00.000Z', 10); // 09:00 local: within 20 s and 5 min
  answered('c2', 1, '2026-11-10T06:10:00.000Z', 30); // missed 20 s, within 5 min
  answered('c3', 1, '2026-11-10T06:20:00.000Z', 360, 'mobile'); // 6 min, on a mobile
  missed('c4', 1, '2026-11-10T11:00:00.000Z', 40, 'abandoned'); // 14:00 local
  missed('c5', 1, '2026-11-10T11:05:00.000Z', 3, 'abandoned'); // a short abandon (< 5 s)
  missed('c6', 1, '2026-11-10T11:10:00.000Z', 300, 'unanswered');
  answered('c7', 1, '2026-11-10T11:20:00.000Z', 300); // exactly 5 min: within
  // Company 2, line 2 (threshold 60 s).
  answered('d1', 2, '2026-11-11T07:00:00.000Z', 45);
  missed('d2', 2, '2026-11-11T07:30:00.000Z', 100, 'abandoned');

  // ── callback tasks (company 1, all created at 14:xx local on 10 November) ──
  const task = db.prepare(`INSERT INTO callback_tasks (call_id, caller_number, line_id, reason, created_at, status, done_at, due_at, done_reason)
    VALUES (?, '79001112233', 1, ?, ?, 'done', ?, ?, ?)`);
  task.run('c4', 'abandoned', '2026-11-10T11:00:40.000Z', '2026-11-10T11:05:00.000Z', '2026-11-10T11:10:40.000Z', 'connected'); // in time
  task.run('c6', 'unanswered', '2026-11-10T11:15:00.000Z', '2026-11-10T11:30:00.000Z', '2026-11-10T11:25:00.000Z', 'connected'); // 5 min late
  task.run('c5', 'abandoned', '2026-11-10T11:05:03.000Z', '2026-11-10T11:06:00.000Z', '2026-11-10T11:15:03.000Z', 'manual'); // closed by hand: not a callback made

  // ── requests ─────────────────────────────────────────────────────────────
  const ticket = db.prepare(`INSERT INTO tickets (number, tenant_id, kind, category_id, description, building_id, address, created_by, created_at, due_at,
      status, stage_code, assignee_id, channel, handed_at, done_at, closed_at)
    VALUES (@number, @tenant, @kind, @category, 'Описание', @building, @address, @by, @created, @due, @status, @stage, @assignee, @channel, @handed, @done, @closed)`);
  let n = 0;
  const req = (o: { tenant?: number; category: number; kind?: 'emergency' | 'planned'; building: { id: number; address: string } | null; assignee: number | null; channel: string; created: string; dueMin: number | null; handedMin: number | null; doneMin: number | null; stage: string }) => {
    const closed = o.stage === 'closed' || o.stage === 'cancelled';
    return Number(ticket.run({
      number: `2026-9${String(++n).padStart(5, '0')}`, tenant: o.tenant ?? 1, kind: o.kind ?? 'emergency', category: o.category, building: o.building?.id ?? null, address: o.building?.address ?? 'ул. Неизвестная, д. 1',
      by: dispatcher, created: o.created, due: o.dueMin === null ? null : at(o.created, o.dueMin * 60), status: closed ? 'closed' : 'open', stage: o.stage, assignee: o.assignee, channel: o.channel,
      handed: o.handedMin === null ? null : at(o.created, o.handedMin * 60), done: o.doneMin === null ? null : at(o.created, o.doneMin * 60), closed: closed ? at(o.created, 240 * 60) : null,
    }).lastInsertRowid);
  };
  const A = a!, B = b!;
  req({ category: categories.waterLeak, building: A, assignee: orlov, channel: 'call', created: '2026-11-10T06:00:00.000Z', dueMin: 30, handedMin: 10, doneMin: 25, stage: 'closed' }); // r1 on time
  const r2 = req({ category: categories.waterLeak, building: A, assignee: orlov, channel: 'call', created: '2026-11-10T07:00:00.000Z', dueMin: 30, handedMin: 20, doneMin: 50, stage: 'closed' }); // r2 late, reopened once
  req({ category: categories.sewer, building: B, assignee: belov, channel: 'web', created: '2026-11-12T10:00:00.000Z', dueMin: 120, handedMin: 5, doneMin: 60, stage: 'done' }); // r3 on time
  req({ category: categories.sewer, building: A, assignee: belov, channel: 'call', created: '2026-11-12T11:00:00.000Z', dueMin: 120, handedMin: 40, doneMin: null, stage: 'in_work' }); // r4 open past due
  req({ category: categories.roof, kind: 'planned', building: B, assignee: null, channel: 'email', created: '2026-11-20T09:00:00.000Z', dueMin: 1440, handedMin: null, doneMin: null, stage: 'new' }); // r5 open past due
  req({ category: categories.otherPlanned, kind: 'planned', building: A, assignee: orlov, channel: 'call', created: '2026-11-20T12:00:00.000Z', dueMin: null, handedMin: 60, doneMin: 180, stage: 'closed' }); // r6 no deadline
  req({ category: categories.waterLeak, building: B, assignee: orlov, channel: 'call', created: '2026-11-21T08:00:00.000Z', dueMin: 30, handedMin: null, doneMin: null, stage: 'cancelled' }); // r7 cancelled
  req({ category: categories.waterLeak, building: A, assignee: orlov, channel: 'call', created: '2026-10-31T20:59:00.000Z', dueMin: 30, handedMin: 1, doneMin: 2, stage: 'closed' }); // r8 October local
  req({ tenant: 2, category: categories.waterLeak, building: null, assignee: null, channel: 'call', created: '2026-11-15T10:00:00.000Z', dueMin: 30, handedMin: null, doneMin: 20, stage: 'closed' }); // r9 company 2
  // r2 went back to work once after «Выполнена».
  const hist = db.prepare('INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage) VALUES (?, ?, ?, ?, ?)');
  hist.run(r2, '2026-11-10T07:40:00.000Z', dispatcher, 'done', 'in_work');
  hist.run(r2, '2026-11-10T07:50:00.000Z', orlov, 'in_work', 'done');
  return { executors: { orlov, belov }, buildings: { a: A.id, b: B.id, aAddress: A.address, bAddress: B.address }, categories };
}
