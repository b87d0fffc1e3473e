// Reminder calls through the real Asterisk (issue 11, item 6): a resident's
// call is answered and an emergency request registered for their building;
// Pult assigns it automatically to the on-shift plumber whose zone holds the
// building; nobody accepts it in the (shortened) N minutes, so Pult rings the
// plumber's mobile over the carrier trunk with the company line's number,
// says the prompt (Pult's espeak-ng prompts, ru digits, the street spoken at
// call time) and «1» makes the request «Принята в работу» with its history
// line. A mobile that does not answer is rung again and every call is
// logged. Another executor gets 404 on the request.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { portOffset, stateDir } from './env.js';
import { deskOperator, pultRigEnv, setState, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const CALLER = '79161234567'; // demo account 1000001: ул. Ленина, д. 5, кв. 12 (building 1, company 1)
const HTTP_PORT = String(8302 + portOffset);

interface Detail { id: number; number: string; stage: { code: string; name: string }; assignee: { id: number } | null; history: { comment: string | null; to: string; by: { id: number } | null }[] }
interface ReminderCall { attempt: number; number: string; callerId: string; answeredAt: string | null; digit: string | null; outcome: string | null; executorId: number }

let pult: PultProcess | null = null;
let admin = '';
let url = '';

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

async function start(name: string): Promise<void> {
  pult = await startPultProcess({
    ...pultRigEnv(`reminder-${name}`, HTTP_PORT),
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_OVERFLOW_AFTER_SEC: '60',
    PULT_RING_TIMEOUT_SEC: '20',
    PULT_WRAPUP_SEC: '1',
    PULT_CALLBACK_AUTO: 'off',
    PULT_ANNOUNCE_EVERY_SEC: '0',
    PULT_LOG_LEVEL: 'debug',
    // The scan every 2 s; the company's N is set to 6 s below; a retry 15 s after a failed call; 2 calls at most.
    PULT_REMINDER_CALL_SCHEDULE: '*/2 * * * * *',
    PULT_REMINDER_CALL_RETRY_MIN: '0.25',
    PULT_REMINDER_CALL_ATTEMPTS: '2',
    PULT_REMINDER_CALL_RING_SEC: '8',
    PULT_REMINDER_SPEECH_DIR: path.join(stateDir, `speech-${name}`),
  }, `reminder-${name}`);
  url = pult.url;
  admin = await login(url, 'admin', 'demo');
}

/** A plumber of company 1 on shift round the clock, serving building 1 through a zone; the company's pipeline assigns automatically; N = 6 s. */
async function setUp(mobile: string): Promise<{ plumber: number; other: string; leak: number }> {
  const spec = (await api<{ items: { id: number; code: string }[] }>(url, 'GET', '/api/specialities', undefined, admin)).body.items.find((s) => s.code === 'plumber')!;
  const mk = async (login_: string, number: string) => {
    const r = await api<{ executor: { id: number } }>(url, 'POST', '/api/executors', { login: login_, password: 'executor-pass-1', fullName: `Сантехник ${login_}`, mobileNumber: number, tenantIds: [1], specialityIds: [spec.id] }, admin);
    expect(r.status).toBe(201);
    return r.body.executor.id;
  };
  const plumber = await mk(`plumber-${mobile.slice(-4)}`, mobile);
  await mk(`other-${mobile.slice(-4)}`, '79990009999'); // serves nothing: never chosen
  const b = (await api<{ items: { id: number; lat: number; lon: number }[] }>(url, 'GET', '/api/buildings/points?tenantId=1', undefined, admin)).body.items.find((x) => x.id === 1)!;
  const d = 0.002;
  const zone = await api<{ zone: { id: number } }>(url, 'POST', '/api/zones', { tenantId: 1, city: 'Вологда', name: 'Ленина', polygon: [[b.lon - d, b.lat - d], [b.lon + d, b.lat - d], [b.lon + d, b.lat + d], [b.lon - d, b.lat + d]] }, admin);
  expect(zone.status).toBe(201);
  expect((await api(url, 'PUT', `/api/zones/${zone.body.zone.id}/executors`, { userIds: [plumber] }, admin)).status).toBe(200);
  expect((await api(url, 'POST', `/api/executors/${plumber}/schedules`, { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }, admin)).status).toBe(201);
  const pipe = await api<{ pipeline: { stages: { code: string; rules: { type: string }[] }[]; transitions: [string, string][] } }>(url, 'GET', '/api/pipelines/1/emergency', undefined, admin);
  const stages = pipe.body.pipeline.stages.map((s) => (s.code === 'new' ? { ...s, rules: [{ type: 'assign', to: 'auto' }] } : s));
  expect((await api(url, 'PUT', '/api/pipelines/1/emergency', { stages, transitions: pipe.body.pipeline.transitions }, admin)).status).toBe(200);
  expect((await api(url, 'PUT', '/api/reminder-calls/settings/1', { enabled: true, afterMinutes: 0.1 }, admin)).status).toBe(200);
  const cats = (await api<{ items: { id: number; code: string }[] }>(url, 'GET', '/api/ticket-categories', undefined, admin)).body.items;
  const other = await login(url, `other-${mobile.slice(-4)}`, 'executor-pass-1');
  return { plumber, other, leak: cats.find((c) => c.code === 'water-leak')!.id };
}

/** The resident calls; the desk operator answers and registers an emergency request for their account, linked to the call. */
async function registerFromCall(ext: string, leak: number): Promise<Detail> {
  const op = await deskOperator(url, admin, `desk${ext}`, ext);
  sim.on(ext, { action: 'answer', afterMs: 300, tone: 'tone:1000' });
  await setState(url, op.token, 'available');
  const leg = await sim.call(DID, CALLER);
  await sim.until(() => sim.incoming(ext).some((c) => c.answeredAt), 20_000, 'the operator to answer the resident');
  const call = await waitFor('the call connected in Pult', async () => (await api<{ items: { id: string; from: string; state: string }[] }>(url, 'GET', '/api/calls', undefined, admin)).body.items.find((c) => c.from === CALLER && c.state === 'connected'), 15_000);
  const r = await api<{ request: { id: number } }>(url, 'POST', '/api/requests', { kind: 'emergency', categoryId: leak, description: 'Течь стояка холодной воды в квартире', accountNumber: '1000001', callId: call.id, channel: 'call' }, op.token);
  expect(r.status).toBe(201);
  await sim.hangup(leg);
  return detail(r.body.request.id);
}

const detail = async (id: number, token = admin) => (await api<{ request: Detail }>(url, 'GET', `/api/requests/${id}`, undefined, token)).body.request;
const reminderCalls = async (id: number) => (await api<{ items: ReminderCall[] }>(url, 'GET', `/api/requests/${id}/reminder-calls`, undefined, admin)).body.items;

describe('reminder calls to the executor through the real Asterisk', () => {
  it('not accepted in N: Pult rings the plumber’s mobile with the line’s number, the prompt plays, «1» puts the request «Принята в работу»', async () => {
    await start('accept');
    const MOBILE = '79990001171';
    const s = await setUp(MOBILE);
    sim.on(MOBILE, { action: 'answer', afterMs: 500, tone: 'tone:700' });
    const req = await registerFromCall('1171', s.leak);
    expect(req.assignee?.id).toBe(s.plumber); // chosen automatically: the on-shift plumber of the building's zone
    expect(req.stage.code).toBe('new');
    // Another executor cannot see it.
    expect((await api(url, 'GET', `/api/requests/${req.id}`, undefined, s.other)).status).toBe(404);

    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 60_000, 'Pult to ring the plumber’s mobile and the mobile to answer');
    const leg = sim.incoming(MOBILE)[0]!;
    expect(leg.callerNumber).toBe(DID); // the company line's number
    // The mobile hears the prompt (audio flows from Pult's side) before pressing 1.
    await waitFor('the prompt to be heard on the mobile', async () => ((await sim.rtpStats(leg.id))?.rxPackets ?? 0) > 150, 20_000);
    expect((await reminderCalls(req.id))[0]).toMatchObject({ attempt: 1, number: MOBILE, callerId: DID, outcome: null, answeredAt: expect.any(String) });
    await sim.dtmf(leg.id, '1');

    const accepted = await waitFor('the request accepted', async () => {
      const d = await detail(req.id);
      return d.stage.code === 'in_work' ? d : null;
    }, 20_000);
    expect(accepted.stage.name).toBe('Принята в работу');
    expect(accepted.history.at(-1)).toMatchObject({ to: 'in_work', comment: 'принято по звонку-напоминанию', by: { id: s.plumber } });
    expect(await reminderCalls(req.id)).toEqual([expect.objectContaining({ attempt: 1, digit: '1', outcome: 'accepted', executorId: s.plumber })]);
    // Pult says the confirmation and hangs up.
    await sim.until(() => Boolean(sim.incoming(MOBILE)[0]!.endedAt), 20_000, 'Pult to hang up after the confirmation');
    expect((await api(url, 'GET', `/api/requests/${req.id}`, undefined, s.other)).status).toBe(404);
  });

  it('the mobile does not answer: rung again after the retry time, every call logged in the call log and the history', async () => {
    await start('no-answer');
    const MOBILE = '79990001172';
    const s = await setUp(MOBILE);
    sim.on(MOBILE, { action: 'ignore' });
    const req = await registerFromCall('1172', s.leak);
    expect(req.assignee?.id).toBe(s.plumber);

    const calls = await waitFor('two unanswered reminder calls', async () => {
      const items = await reminderCalls(req.id);
      return items.length === 2 && items.every((c) => c.outcome !== null) ? items : null;
    }, 120_000);
    expect(calls.map((c) => [c.attempt, c.outcome, c.answeredAt])).toEqual([[1, 'no-answer', null], [2, 'no-answer', null]]);
    expect(sim.incoming(MOBILE)).toHaveLength(2);
    expect(sim.incoming(MOBILE).every((c) => c.callerNumber === DID && c.answeredAt === null)).toBe(true);
    const d = await detail(req.id);
    expect(d.stage.code).toBe('new');
    expect(d.history.map((h) => h.comment).filter((c) => c?.startsWith('звонок-напоминание'))).toEqual([
      `звонок-напоминание исполнителю Сантехник plumber-1172 (${MOBILE}), попытка 1 из 2: не ответил, будет повторный звонок`,
      `звонок-напоминание исполнителю Сантехник plumber-1172 (${MOBILE}), попытка 2 из 2: не ответил, попытки исчерпаны`,
    ]);
    // No third call: the attempts are used up.
    await new Promise((r) => setTimeout(r, 20_000));
    expect(sim.incoming(MOBILE)).toHaveLength(2);
  });
});
