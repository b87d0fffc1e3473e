// Reminder calls end to end on the fake PBX: the scheduler rings the
// executor's mobile N minutes after the assignment, «1» accepts the request
// with history, no answer / busy / another key are logged and retried, a
// restart logs the cut call and carries on from the database.
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { TicketService } from '../../../src/features/tickets/service.js';
import { RequestRepository, RequestService } from '../../../src/features/requests/index.js';
import { attachReminderCalls, ACCEPTED_COMMENT } from '../../../src/features/executors/reminder-calls/index.js';
import type { OriginateRequest } from '../../../src/telephony/ports.js';
import { routingHarness, useRoutingClock } from '../../support/routing-harness.js';

useRoutingClock();
const T0 = new Date('2026-11-23T09:00:00Z').getTime();
const at = (min: number) => vi.setSystemTime(new Date(T0 + min * 60_000));

function rig(o: { afterMin?: number; companyAfterMin?: number | null; enabled?: boolean } = {}) {
  const h = routingHarness();
  const { db, auth, tenant } = h;
  const plumber = auth.createUser({ login: 'plumber', password: 'secret1', role: 'executor', fullName: 'Петров П.', mobileNumber: '+7 (999) 000-00-09', tenantIds: [tenant] }).id;
  const other = auth.createUser({ login: 'plumber2', password: 'secret1', role: 'executor', fullName: 'Сидоров С.', mobileNumber: '89990000010', tenantIds: [tenant] }).id;
  const operator = auth.createUser({ login: 'op', password: 'secret1', role: 'operator', fullName: 'Оператор', tenantIds: [tenant] }).id;
  const building = Number(db.prepare("INSERT INTO buildings (tenant_id, street, house, address, street_key, house_key, house_num, addr_key, default_executor_id) VALUES (?, 'ул. Ленина', '5', 'ул. Ленина, д. 5', 'ленина', '5', 5, '|ленина|5', ?)").run(tenant, plumber).lastInsertRowid);
  const leak = db.prepare("SELECT id FROM ticket_categories WHERE code = 'water-leak'").pluck().get() as number;
  const tickets = new TicketService(db, systemClock);
  const requests = new RequestRepository(db);
  const svc = new RequestService(requests, systemClock, 'Europe/Moscow', { toUser() {}, toSupervisors() {}, changed() {} }, silentLogger);
  const create = (kind: 'emergency' | 'planned' = 'emergency') => {
    const t = tickets.create({ tenantId: tenant, kind, categoryId: leak, description: 'Течёт стояк', accountId: null, buildingId: building, flat: '12', address: 'ул. Ленина, д. 5', callerName: null, callerPhone: null, anonymousCallerId: null, callIds: [], createdBy: operator });
    svc.started(t.id, operator, 'call'); // «Новая»: the building's executor is assigned now
    return t.id;
  };
  const attach = () => attachReminderCalls({ db, pbx: h.pbx, router: h.router, lines: h.lines, clock: systemClock, logger: silentLogger, tenantExists: () => true, accept: (id, by) => svc.transition(id, 'in_work', { comment: ACCEPTED_COMMENT }, by) }, {
    enabled: o.enabled ?? false, schedule: '* * * * *', timeZone: 'Europe/Moscow', defaultAfterMin: o.afterMin ?? 10, retryMin: 5, maxAttempts: 3,
    trunkEndpoint: 'carrier', ringSec: 30, digitWaitSec: 8, lang: 'ru', speechDir: null,
  });
  const feature = attach();
  if (o.companyAfterMin !== undefined) feature.repo.saveSettings({ tenantId: tenant, enabled: true, afterMin: o.companyAfterMin });
  const originates = () => h.pbx.ops('originate').map((c) => c.args[0] as OriginateRequest);
  const plays = (channelId: string) => h.pbx.ops('play').filter((c) => c.args[0] === channelId).map((c) => ({ id: c.args[1] as string, media: c.args[2] as string[] }));
  const history = (id: number) => requests.history(id);
  return { ...h, plumber, other, svc, requests, create, feature, attach, originates, plays, history };
}

/** The executor's mobile answers an originated leg. */
function answer(r: ReturnType<typeof rig>, leg: string): void {
  r.pbx.channels.set(leg, { id: leg, name: `PJSIP/carrier-${leg}`, state: 'Ring', callerNumber: '', callerName: '', creationTime: '', dialplanApp: '', dialplanAppData: '' });
  r.pbx.answerLeg(leg);
}

describe('reminder calls', () => {
  it('N minutes after the assignment Pult rings the mobile over the trunk with the line’s number; «1» accepts the request with history', async () => {
    const r = rig();
    const id = r.create();
    at(9.9);
    expect(await r.feature.scheduler.tick()).toBe(0);
    at(10);
    expect(await r.feature.scheduler.tick()).toBe(1);
    const o = r.originates()[0]!;
    expect(o).toMatchObject({ endpoint: 'PJSIP/79990000009@carrier', callerId: '74950000001', appArgs: ['reminder', expect.any(String)], timeoutSec: 30 });
    answer(r, o.channelId);
    await r.settle();
    const prompt = r.plays(o.channelId)[0]!;
    expect(prompt.media).toEqual(['sound:pult/emergency-request', 'sound:pult/request-number', `number:${Number(r.requests.state(id)!.number.split('-').at(-1))}`, 'sound:pult/house', 'number:5', 'sound:pult/flat', 'number:12', 'sound:pult/press-1-to-accept']);
    r.pbx.dtmf(o.channelId, '1');
    await r.settle();
    expect(r.requests.state(id)).toMatchObject({ stage: 'in_work' });
    expect(r.history(id).at(-1)).toMatchObject({ from: 'new', to: 'in_work', comment: 'принято по звонку-напоминанию', by: { id: r.plumber } });
    expect(r.feature.repo.forRequest(id)).toEqual([expect.objectContaining({ executorId: r.plumber, number: '79990000009', callerId: '74950000001', attempt: 1, digit: '1', outcome: 'accepted', answeredAt: expect.any(String) })]);
    expect(r.plays(o.channelId).at(-1)!.media).toEqual(['sound:pult/request-accepted']);
    r.pbx.playbackDone(r.plays(o.channelId).at(-1)!.id);
    await r.settle();
    expect(r.pbx.ops('hangup').map((c) => c.args[0])).toContain(o.channelId);
    at(60);
    expect(await r.feature.scheduler.tick()).toBe(0); // accepted: nobody is rung again
  });

  it('no answer, busy, another key: each logged in the call log and the history, retried every 5 minutes, 3 attempts at most', async () => {
    const r = rig();
    const id = r.create();
    at(10);
    await r.feature.scheduler.tick();
    r.pbx.destroy(r.originates()[0]!.channelId, 19); // rang out
    await r.settle();
    at(14);
    expect(await r.feature.scheduler.tick()).toBe(0);
    at(15);
    expect(await r.feature.scheduler.tick()).toBe(1);
    r.pbx.destroy(r.originates()[1]!.channelId, 17); // busy
    await r.settle();
    at(20);
    await r.feature.scheduler.tick();
    const third = r.originates()[2]!.channelId;
    answer(r, third);
    await r.settle();
    r.pbx.dtmf(third, '2');
    await r.settle();
    r.pbx.destroy(third);
    await r.settle();
    at(90);
    expect(await r.feature.scheduler.tick()).toBe(0);
    expect(r.originates()).toHaveLength(3);
    expect(r.feature.repo.forRequest(id).map((c) => [c.attempt, c.outcome, c.digit])).toEqual([[1, 'no-answer', null], [2, 'busy', null], [3, 'other-digit', '2']]);
    expect(r.requests.state(id)!.stage).toBe('new');
    expect(r.history(id).map((h) => h.comment).filter((c) => c?.startsWith('звонок-напоминание'))).toEqual([
      'звонок-напоминание исполнителю Петров П. (79990000009), попытка 1 из 3: не ответил, будет повторный звонок',
      'звонок-напоминание исполнителю Петров П. (79990000009), попытка 2 из 3: занято, будет повторный звонок',
      'звонок-напоминание исполнителю Петров П. (79990000009), попытка 3 из 3: нажал 2 вместо 1, попытки исчерпаны',
    ]);
  });

  it('answered but silent: the prompt is said twice, then the call ends as no-digit', async () => {
    const r = rig();
    const id = r.create();
    at(10);
    await r.feature.scheduler.tick();
    const leg = r.originates()[0]!.channelId;
    answer(r, leg);
    await r.settle();
    r.pbx.playbackDone(r.plays(leg)[0]!.id);
    await r.settle();
    await vi.advanceTimersByTimeAsync(8000);
    await r.settle();
    expect(r.plays(leg)).toHaveLength(2);
    r.pbx.playbackDone(r.plays(leg)[1]!.id);
    await r.settle();
    await vi.advanceTimersByTimeAsync(8000);
    await r.settle();
    expect(r.pbx.ops('hangup').map((c) => c.args[0])).toContain(leg);
    expect(r.feature.repo.forRequest(id)[0]).toMatchObject({ outcome: 'no-digit', answeredAt: expect.any(String) });
  });

  it('a restart: the call cut mid-way is logged as interrupted and counts; the next one follows from the database', async () => {
    const r = rig();
    const id = r.create();
    at(10);
    await r.feature.scheduler.tick();
    expect(r.feature.repo.forRequest(id)[0]!.outcome).toBeNull();
    await r.feature.stop();
    const again = r.attach(); // a new Pult on the same database
    expect(again.repo.forRequest(id)[0]).toMatchObject({ outcome: 'interrupted', endedAt: expect.any(String) });
    expect(r.history(id).at(-1)!.comment).toContain('звонок прерван перезапуском Пульта');
    at(14);
    expect(await again.scheduler.tick()).toBe(0);
    at(15);
    expect(await again.scheduler.tick()).toBe(1);
    expect(again.repo.forRequest(id).map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('the company’s own N; a company that turned calls off; a planned request; a request reassigned starts the clock again', async () => {
    const r = rig({ companyAfterMin: 2 });
    const id = r.create();
    const planned = r.create('planned');
    at(2);
    expect(await r.feature.scheduler.tick()).toBe(1);
    expect(r.feature.repo.forRequest(planned)).toEqual([]);
    r.pbx.destroy(r.originates()[0]!.channelId, 19);
    await r.settle();
    at(3);
    r.svc.edit(id, { assigneeId: r.other }, r.plumber);
    at(4.9);
    expect(await r.feature.scheduler.tick()).toBe(0);
    at(5);
    expect(await r.feature.scheduler.tick()).toBe(1);
    expect(r.originates()[1]!.endpoint).toBe('PJSIP/79990000010@carrier');
    r.pbx.destroy(r.originates()[1]!.channelId, 19);
    await r.settle();
    r.feature.repo.saveSettings({ tenantId: r.tenant, enabled: false, afterMin: 2 });
    at(60);
    expect(await r.feature.scheduler.tick()).toBe(0);
  });
});
