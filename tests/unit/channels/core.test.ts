// The channels' core on a real (in-memory) database: intake registers a
// request as the channel's system user with its thread, first message and a
// hashed status token; bad input and another company's data are refused;
// ratings are stored once per closing and a low one reopens the request.
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.js';
import { TicketService } from '../../../src/features/tickets/service.js';
import { RequestRepository, RequestService, type RequestNotifier } from '../../../src/features/requests/index.js';
import type { ChangedEvent } from '../../../src/features/requests/types.js';
import { silentLogger } from '../../../src/log.js';
import { attachChannels } from '../../../src/channels/index.js';
import { hashToken } from '../../../src/channels/intake.js';
import type { ApiError } from '../../../src/http/errors.js';
import type { InboundRequest } from '../../../src/channels/types.js';

let db: Db;
let now: Date;
const clock = { now: () => now };
let changed: ChangedEvent[];
let supervised: { tenantId: number; event: string; requestId: number }[];
const notifier: RequestNotifier = { toUser: () => {}, toSupervisors: (tenantId: number, event: string, e: { requestId: number }) => void supervised.push({ tenantId, event, requestId: e.requestId }), changed: (e) => void changed.push(e) };
let channels: ReturnType<typeof attachChannels>;
let svc: RequestService;
const ids = { t1: 0, t2: 0, b1: 0, b2: 0, acc2: 0, operator: 0, leak: 0, roof: 0 };

function building(tenantId: number, house: string): number {
  return Number(db.prepare("INSERT INTO buildings (tenant_id, street, house, address, street_key, house_key, house_num, addr_key) VALUES (?, 'ул. Ленина', ?, ?, 'ленина', ?, 5, ?)")
    .run(tenantId, house, `ул. Ленина, д. ${house}`, house, `|ленина|${house}`).lastInsertRowid);
}
const msg = (o: Partial<InboundRequest> = {}): InboundRequest => ({ channel: 'web', tenantId: ids.t1, buildingId: ids.b1, flat: '12', description: 'Течёт кран на кухне', contact: { name: 'Анна', phone: '8 (916) 123-45-67' }, ...o });
const refusal = (f: () => unknown): { status: number; details: unknown } => {
  try {
    f();
  } catch (err) {
    return { status: (err as ApiError).status, details: (err as ApiError).details };
  }
  throw new Error('not refused');
};

beforeEach(() => {
  db = openDb(':memory:');
  now = new Date('2026-03-02T09:00:00Z');
  changed = [];
  supervised = [];
  ids.t1 = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК 1')").run().lastInsertRowid);
  ids.t2 = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК 2')").run().lastInsertRowid);
  ids.b1 = building(ids.t1, '5');
  ids.b2 = building(ids.t2, '7');
  ids.acc2 = Number(db.prepare("INSERT INTO accounts (account_number, holder_name, building_id, tenant_id, flat, updated_at, name_key) VALUES ('200', 'Петров', ?, ?, '3', '2026-01-01', 'петров')").run(ids.b2, ids.t2).lastInsertRowid);
  ids.operator = Number(db.prepare("INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES ('op', 'x', 'operator', 'Оператор', '2026-01-01')").run().lastInsertRowid);
  ids.leak = db.prepare("SELECT id FROM ticket_categories WHERE code = 'water-leak'").pluck().get() as number;
  ids.roof = db.prepare("SELECT id FROM ticket_categories WHERE code = 'roof-leak'").pluck().get() as number;
  const tickets = new TicketService(db, clock);
  const repo = new RequestRepository(db);
  svc = new RequestService(repo, clock, 'Europe/Moscow', notifier, silentLogger);
  const lifecycle = {
    started: (id: number, by: number, channel: string) => {
      svc.started(id, by, channel);
      svc.announce(id);
    },
    close: (id: number, by: number) => svc.forceClose(id, by),
  };
  channels = attachChannels({ db, clock, logger: silentLogger, tickets, lifecycle, requests: svc, state: (id) => repo.state(id), publicUrl: 'https://pult.example.ru' });
});

const ticket = (id: number) => db.prepare('SELECT t.*, u.full_name AS created_by_name, u.disabled_at AS creator_disabled, u.password_hash AS creator_hash FROM tickets t JOIN users u ON u.id = t.created_by WHERE t.id = ?').get(id) as Record<string, unknown>;

describe('intake', () => {
  it('registers the request as the channel, with its thread, first message and a hashed status token', () => {
    const r = channels.intake.receive(msg({ thread: { key: '<root@mail>' }, contact: { name: 'Анна', phone: '8 (916) 123-45-67', email: 'anna@example.ru' } }));
    expect(r).toMatchObject({ tenantId: ids.t1, number: '2026-000001' });
    expect(r.statusToken.length).toBeGreaterThanOrEqual(32);
    expect(r.statusUrl).toBe(`https://pult.example.ru/s/${r.statusToken}`);
    const t = ticket(r.ticketId);
    expect(t).toMatchObject({ channel: 'web', created_by_name: 'Веб-форма', address: 'ул. Ленина, д. 5', flat: '12', caller_phone: '79161234567', stage_code: 'new', kind: 'planned', creator_hash: '!' });
    expect(t.creator_disabled).not.toBeNull();
    // The fallback category when none is given: «Прочая плановая заявка».
    expect(db.prepare('SELECT code FROM ticket_categories WHERE id = ?').pluck().get(t.category_id)).toBe('other-planned');
    expect(channels.intake.findByThread('web', '<root@mail>')).toEqual({ ticketId: r.ticketId, tenantId: ids.t1 });
    expect(channels.intake.findByThread('email', '<root@mail>')).toBeNull();
    expect(channels.intake.messages(r.ticketId)).toEqual([expect.objectContaining({ direction: 'in', channel: 'web', body: 'Течёт кран на кухне', author: 'Анна' })]);
    // Only the hash is stored; the token opens this request and nothing else.
    expect(db.prepare('SELECT token_hash FROM request_status_links WHERE ticket_id = ?').pluck().get(r.ticketId)).toBe(hashToken(r.statusToken));
    expect(JSON.stringify(db.prepare('SELECT * FROM request_status_links').all())).not.toContain(r.statusToken);
    expect(channels.intake.byStatusToken(r.statusToken)).toBe(r.ticketId);
    expect(channels.intake.byStatusToken(r.statusToken.slice(0, -1) + (r.statusToken.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(db.prepare('SELECT to_stage FROM ticket_history WHERE ticket_id = ?').pluck().all(r.ticketId)).toEqual(['new']);
    expect(changed.map((e) => e.requestId)).toContain(r.ticketId);
    // One system user per channel, reused.
    const again = channels.intake.receive(msg());
    expect(ticket(again.ticketId).created_by).toBe(t.created_by);
    expect(channels.intake.receive(msg({ channel: 'email' })).ticketId).toBeGreaterThan(0);
    expect(db.prepare("SELECT full_name FROM users WHERE login LIKE '~channel:%' ORDER BY id").pluck().all()).toEqual(['Веб-форма', 'Эл. почта']);
  });

  it('a further status link (a reply with {ссылка}) keeps the earlier ones working; one issued with revokeOthers ends them', () => {
    const r = channels.intake.receive(msg());
    const fromReply = channels.intake.newStatusLink(r.ticketId);
    expect(channels.intake.byStatusToken(r.statusToken)).toBe(r.ticketId);
    expect(channels.intake.byStatusToken(fromReply.statusToken)).toBe(r.ticketId);
    const fresh = channels.intake.newStatusLink(r.ticketId, { revokeOthers: true });
    expect(channels.intake.byStatusToken(r.statusToken)).toBeNull();
    expect(channels.intake.byStatusToken(fromReply.statusToken)).toBeNull();
    expect(channels.intake.byStatusToken(fresh.statusToken)).toBe(r.ticketId);
    // Another request's links are untouched.
    const other = channels.intake.receive(msg());
    channels.intake.newStatusLink(r.ticketId, { revokeOthers: true });
    expect(channels.intake.byStatusToken(other.statusToken)).toBe(other.ticketId);
  });

  it('takes the kind from an emergency-only category and refuses one that does not fit', () => {
    const r = channels.intake.receive(msg({ categoryId: ids.leak }));
    expect(ticket(r.ticketId)).toMatchObject({ kind: 'emergency', category_id: ids.leak });
    expect(refusal(() => channels.intake.receive(msg({ categoryId: ids.roof, kind: 'emergency' }))).status).toBe(400);
    expect(refusal(() => channels.intake.receive(msg({ categoryId: 99999 }))).status).toBe(400);
  });

  it("refuses another company's building or account and unknown companies", () => {
    expect(refusal(() => channels.intake.receive(msg({ buildingId: ids.b2 })))).toMatchObject({ status: 400, details: [{ field: 'buildingId' }] });
    expect(refusal(() => channels.intake.receive(msg({ buildingId: null, accountId: ids.acc2 })))).toMatchObject({ status: 400, details: [{ field: 'accountId' }] });
    expect(refusal(() => channels.intake.receive(msg({ tenantId: 999 })))).toMatchObject({ status: 400, details: [{ field: 'tenantId' }] });
    expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(0);
  });

  it('refuses bad input with what is wrong', () => {
    expect(refusal(() => channels.intake.receive(msg({ description: ' x ' })))).toMatchObject({ status: 400, details: [{ field: 'description' }] });
    expect(refusal(() => channels.intake.receive({ ...msg(), channel: 'fax' as 'web' }))).toMatchObject({ status: 400, details: [{ field: 'channel' }] });
    expect(refusal(() => channels.intake.receive(msg({ contact: { email: 'not-an-address' } })))).toMatchObject({ status: 400, details: [{ field: 'contact.email' }] });
  });

  it('adds messages to the conversation and tells the company', () => {
    const r = channels.intake.receive(msg());
    changed = [];
    channels.intake.addMessage(r.ticketId, { direction: 'out', channel: 'console', body: 'Мастер придёт завтра', author: 'Оператор' });
    channels.intake.addMessage(r.ticketId, { direction: 'in', channel: 'web', body: 'Спасибо' });
    expect(channels.intake.messages(r.ticketId).map((m) => [m.direction, m.body])).toEqual([['in', 'Течёт кран на кухне'], ['out', 'Мастер придёт завтра'], ['in', 'Спасибо']]);
    expect(changed).toHaveLength(2);
    expect(refusal(() => channels.intake.addMessage(424242, { direction: 'in', channel: 'web', body: 'x' })).status).toBe(404);
  });
});

describe('reminders of a request nobody holds yet', () => {
  it('go to the supervisors from the first one (the channel user cannot log in)', () => {
    const r = channels.intake.receive(msg({ categoryId: ids.leak }));
    expect(ticket(r.ticketId)).toMatchObject({ kind: 'emergency', assignee_id: null });
    now = new Date(now.getTime() + 15 * 60_000);
    expect(svc.remindDue(now)).toBe(1);
    expect(supervised).toEqual([{ tenantId: ids.t1, event: 'request.reminder', requestId: r.ticketId }]);
  });
});

describe('feedback', () => {
  const closeIt = (id: number) => {
    svc.transition(id, 'in_work', {}, ids.operator);
    svc.transition(id, 'done', { result: 'Заменена прокладка' }, ids.operator);
    svc.transition(id, 'closed', {}, ids.operator);
  };

  it('refuses a rating before closing; a good one is stored once and reopens nothing', () => {
    const r = channels.intake.receive(msg());
    expect(refusal(() => channels.feedback.rate(r.ticketId, { score: 5, channel: 'web' })).status).toBe(409);
    closeIt(r.ticketId);
    expect(channels.feedback.canRate(r.ticketId)).toBe(true);
    expect(channels.feedback.rate(r.ticketId, { score: 5, comment: 'Спасибо!', channel: 'web' })).toEqual({ reopened: false });
    expect(channels.feedback.canRate(r.ticketId)).toBe(false);
    expect(refusal(() => channels.feedback.rate(r.ticketId, { score: 1, channel: 'web' })).status).toBe(409);
    expect(ticket(r.ticketId)).toMatchObject({ status: 'closed' });
    expect(channels.feedback.ratings(r.ticketId)).toEqual([expect.objectContaining({ score: 5, comment: 'Спасибо!', reopened: false })]);
    expect(refusal(() => channels.feedback.rate(r.ticketId, { score: 6 as 5, channel: 'web' })).status).toBe(400);
  });

  it.each([
    ['a score of 2', { score: 2 as const, comment: 'Кран опять течёт' }, 'оценка 2 из 5. «Кран опять течёт»'],
    ['a score of 3', { score: 3 as const }, 'оценка 3 из 5'],
    ['«Остались вопросы» with a 5', { score: 5 as const, questionsLeft: true, comment: 'Когда заменят стояк?' }, 'остались вопросы. «Когда заменят стояк?»'],
  ])('%s reopens the request to the dispatchers with the comment', (_name, rating, historyText) => {
    const r = channels.intake.receive(msg());
    closeIt(r.ticketId);
    changed = [];
    expect(channels.feedback.rate(r.ticketId, { ...rating, channel: 'web' })).toEqual({ reopened: true });
    expect(ticket(r.ticketId)).toMatchObject({ status: 'open', stage_code: 'new', closed_at: null });
    const last = db.prepare('SELECT h.from_stage, h.to_stage, h.comment, u.full_name AS by FROM ticket_history h JOIN users u ON u.id = h.by_user WHERE ticket_id = ? ORDER BY h.id DESC LIMIT 1').get(r.ticketId);
    expect(last).toMatchObject({ from_stage: 'closed', to_stage: 'new', by: 'Веб-форма' });
    expect((last as { comment: string }).comment).toContain(historyText);
    expect(changed).toEqual([expect.objectContaining({ requestId: r.ticketId, status: 'open', stage: 'new' })]);
    // The next closing can be rated again.
    closeIt(r.ticketId);
    expect(channels.feedback.rate(r.ticketId, { score: 4, channel: 'web' })).toEqual({ reopened: false });
    expect(channels.feedback.ratings(r.ticketId).map((x) => x.score)).toEqual([rating.score, 4]);
  });
});

describe('registry', () => {
  it('finds the sender a channel registered', async () => {
    const sent: string[] = [];
    expect(channels.registry.sender('email')).toBeNull();
    channels.registry.register({ channel: 'email', send: async (_to, text) => void sent.push(text) });
    await channels.registry.sender('email')!.send({ ticketId: 1, threadKey: null, contact: {} }, 'Ответ');
    expect(sent).toEqual(['Ответ']);
    expect(channels.registry.sender('telegram')).toBeNull();
  });
});
