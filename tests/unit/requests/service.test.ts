// The request service with a fake clock: stage rules after commit, failing
// rules kept on the request, reminders with escalation, kind change.
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.js';
import { TicketService } from '../../../src/features/tickets/service.js';
import { RequestRepository, RequestService, type RequestNotifier } from '../../../src/features/requests/index.js';
import { silentLogger } from '../../../src/log.js';
import { defaultPipeline } from '../../../src/domain/request-pipeline.js';

let db: Db;
let t0: Date;
let now: Date;
const clock = { now: () => now };
let sent: { to: string; event: string; e: { requestId: number; slot?: number; escalated?: boolean } }[];
const notifier: RequestNotifier = {
  toUser: (u: number, event: string, e: never) => void sent.push({ to: `user:${u}`, event, e }),
  toSupervisors: (t: number, event: string, e: never) => void sent.push({ to: `supervisors:${t}`, event, e }),
  changed: () => {},
};
let tickets: TicketService;
let repo: RequestRepository;
let svc: RequestService;
const ids = { tenant: 0, operator: 0, executor: 0, building: 0, bareBuilding: 0, leak: 0 };

function user(login: string, role = 'operator'): number {
  const id = Number(db.prepare("INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES (?, 'x', ?, ?, '2026-01-01')").run(login, role, login).lastInsertRowid);
  db.prepare('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)').run(id, ids.tenant);
  return id;
}
function building(house: string, executor: number | null): number {
  return Number(db.prepare("INSERT INTO buildings (tenant_id, street, house, address, street_key, house_key, house_num, addr_key, default_executor_id) VALUES (?, 'ул. Ленина', ?, ?, 'ленина', ?, 5, ?, ?)")
    .run(ids.tenant, house, `ул. Ленина, д. ${house}`, house, `|ленина|${house}`, executor).lastInsertRowid);
}
function create(buildingId: number, kind: 'emergency' | 'planned' = 'emergency'): number {
  const t = tickets.create({ tenantId: ids.tenant, kind, categoryId: ids.leak, description: 'Течёт стояк', accountId: null, buildingId, flat: '12', address: 'ул. Ленина, д. 5', callerName: null, callerPhone: null, anonymousCallerId: null, callIds: [], createdBy: ids.operator });
  svc.started(t.id, ids.operator, 'call');
  return t.id;
}
const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);

beforeEach(() => {
  db = openDb(':memory:');
  t0 = new Date('2026-01-10T10:00:00Z');
  now = t0;
  sent = [];
  ids.tenant = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК')").run().lastInsertRowid);
  ids.operator = user('op');
  ids.executor = user('plumber');
  ids.building = building('5', ids.executor);
  ids.bareBuilding = building('7', null);
  ids.leak = db.prepare("SELECT id FROM ticket_categories WHERE code = 'water-leak'").pluck().get() as number;
  tickets = new TicketService(db, clock);
  repo = new RequestRepository(db);
  svc = new RequestService(repo, clock, 'Europe/Moscow', notifier, silentLogger);
});

describe('stage rules', () => {
  it('assigns the building default executor on entering «Новая» and tells them', () => {
    const id = create(ids.building);
    expect(repo.state(id)).toMatchObject({ stage: 'new', assigneeId: ids.executor, dueAt: '2026-01-10T10:30:00.000Z' });
    expect(sent).toEqual([{ to: `user:${ids.executor}`, event: 'request.notify', e: expect.objectContaining({ requestId: id, reason: 'assigned' }) }]);
    expect(repo.history(id)).toEqual([expect.objectContaining({ from: null, to: 'new', by: { id: ids.operator, name: 'op' } })]);
  });

  it('a failing rule is stored on the request and never loses the transition', () => {
    const id = create(ids.bareBuilding);
    expect(repo.state(id)!.stage).toBe('new');
    expect(repo.ruleErrors(id)).toEqual([expect.objectContaining({ stage: 'new', error: 'the building has no default executor' })]);
    // A company's own rule that fails after commit: notify the assignee on «Принята в работу» with nobody assigned.
    const p = defaultPipeline('emergency');
    p.stages.find((s) => s.code === 'in_work')!.rules = [{ type: 'notify', to: 'assignee' }];
    svc.savePipeline(ids.tenant, 'emergency', p);
    svc.transition(id, 'in_work', {}, ids.operator);
    expect(repo.state(id)!.stage).toBe('in_work');
    expect(repo.ruleErrors(id).at(-1)).toMatchObject({ stage: 'in_work', error: 'no assignee to notify' });
  });

  it('validates a transition before committing it, and stamps the journal fields', () => {
    const id = create(ids.building);
    now = minutes(5);
    svc.transition(id, 'assigned', {}, ids.operator);
    now = minutes(10);
    svc.transition(id, 'in_work', {}, ids.executor);
    expect(() => svc.transition(id, 'done', {}, ids.executor)).toThrow(/result/);
    expect(repo.state(id)!.stage).toBe('in_work');
    now = minutes(25);
    svc.transition(id, 'done', { result: 'Заменена прокладка' }, ids.executor);
    svc.transition(id, 'closed', { comment: 'проверено' }, ids.operator);
    expect(repo.extras(id)).toMatchObject({ handedAt: minutes(5).toISOString(), acceptedAt: minutes(10).toISOString(), doneAt: minutes(25).toISOString(), result: 'Заменена прокладка', documentPending: 1 });
    expect(repo.state(id)!.status).toBe('closed');
    expect(repo.history(id).map((h) => `${h.from}→${h.to}`)).toEqual(['null→new', 'new→assigned', 'assigned→in_work', 'in_work→done', 'done→closed']);
  });

  it('a kind change moves the request to the other pipeline at the matching stage', () => {
    const id = create(ids.building);
    svc.transition(id, 'in_work', {}, ids.operator);
    const planned = defaultPipeline('planned');
    planned.stages = planned.stages.filter((s) => s.code !== 'in_work');
    planned.transitions = planned.transitions.filter(([f, t]) => f !== 'in_work' && t !== 'in_work');
    svc.savePipeline(ids.tenant, 'planned', planned);
    svc.changeKind(id, 'planned', ids.operator);
    expect(repo.state(id)).toMatchObject({ kind: 'planned', stage: 'new' });
    svc.changeKind(id, 'emergency', ids.operator);
    expect(repo.state(id)).toMatchObject({ kind: 'emergency', stage: 'new' });
  });
});

describe('reminders', () => {
  it('remind the holder each period, escalate to supervisors, never twice, stop once closed', () => {
    const id = create(ids.building); // emergency «Новая»: every 15 min, escalate after 30
    sent = [];
    now = minutes(14);
    expect(svc.remindDue(now)).toBe(0);
    now = minutes(15);
    expect(svc.remindDue(now)).toBe(1);
    expect(svc.remindDue(now)).toBe(0);
    expect(sent).toEqual([{ to: `user:${ids.executor}`, event: 'request.reminder', e: expect.objectContaining({ requestId: id, slot: 1, escalated: false }) }]);
    sent = [];
    now = minutes(31); // late (due at 30) and escalated
    expect(svc.remindDue(now)).toBe(1);
    expect(sent.map((s) => s.to)).toEqual([`user:${ids.executor}`, `supervisors:${ids.tenant}`]);
    expect(sent[1]!.e).toMatchObject({ slot: 2, escalated: true, late: true });
    // The cron job missed minutes: one reminder for the current slot, not a burst.
    sent = [];
    now = minutes(100);
    expect(svc.remindDue(now)).toBe(1);
    expect(repo.reminders(id).map((r) => r.slot)).toEqual([1, 2, 6]);
    svc.transition(id, 'cancelled', { reason: 'дубль' }, ids.operator);
    now = minutes(200);
    expect(svc.remindDue(now)).toBe(0);
  });
});
