// Callbacks through the real Asterisk (issue 15, item 4): Pult dials a task
// itself (the operator's desk phone first, then the caller over the
// carrier trunk), bridged with audio both ways and recorded; a busy caller
// is tried again; a caller who calls in closes their own task.
import { describe, expect, it } from 'vitest';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { portOffset } from './env.js';
import { deskOperator, pultRigEnv, setState, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8295 + portOffset);

interface CallItem { id: string; from: string; state: string; outcome: string | null; direction: string; callbackTaskId: number | null; answeredBy: number | null; recording: { state: string } | null }
interface TaskItem { id: number; callId: string; callerNumber: string; status: string; doneReason: string | null; attempts: number; dueAt: string; callable: boolean }

let pult: PultProcess | null = null;
let admin = '';

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

async function start(name: string, extra: Record<string, string> = {}): Promise<void> {
  pult = await startPultProcess({
    ...pultRigEnv(`callbacks-${name}`, HTTP_PORT),
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_OVERFLOW_AFTER_SEC: '30',
    PULT_RING_TIMEOUT_SEC: '10',
    PULT_MAX_WAIT_SEC: '120',
    PULT_WRAPUP_SEC: '1',
    PULT_LOG_LEVEL: 'debug',
    ...extra,
  }, `callbacks-${name}`);
  admin = await login(pult.url, 'admin', 'demo');
}

const calls = async () => (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items;
const tasks = async () => (await api<{ items: TaskItem[] }>(pult!.url, 'GET', '/api/callbacks', undefined, admin)).body.items;

/** A caller rings and hangs up before anyone answers: a callback task. */
async function abandon(caller: string): Promise<TaskItem> {
  const leg = await sim.call(DID, caller);
  await waitFor('the call to be waiting', async () => (await calls()).find((c) => c.from === caller && c.state !== 'ended'), 15_000);
  await sim.hangup(leg);
  return waitFor('a callback task', async () => (await tasks()).find((t) => t.callerNumber === caller && t.status === 'pending'), 15_000);
}

describe('callbacks through the real Asterisk', () => {
  it('an operator frees up: Pult rings their phone, then the caller; audio both ways, recorded, logged as outbound, task done', async () => {
    await start('auto');
    const op = await deskOperator(pult!.url, admin, 'desk31', '1131');
    const caller = '79161130001';
    const task = await abandon(caller);
    expect(task.callable).toBe(true);
    expect(Date.parse(task.dueAt)).toBeGreaterThan(Date.now() + 8 * 60_000);

    sim.on('1131', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on(caller, { action: 'answer', afterMs: 500, tone: 'tone:600' });
    await setState(pult!.url, op.token, 'available');
    await sim.until(() => sim.incoming('1131').some((c) => c.answeredAt), 20_000, 'the operator phone to answer the callback');
    expect(sim.incoming('1131')[0]!.callerNumber).toBe(caller); // the phone shows whom it is calling
    await sim.until(() => sim.incoming(caller).some((c) => c.answeredAt), 20_000, 'the caller to answer');
    const out = await waitFor('the outbound call connected', async () => (await calls()).find((c) => c.direction === 'outbound' && c.state === 'connected'), 10_000);
    expect(out).toMatchObject({ from: caller, answeredBy: op.id, callbackTaskId: task.id });
    await sleep(3000);
    const callerLeg = sim.incoming(caller)[0]!.id;
    const opLeg = sim.incoming('1131')[0]!.id;
    const callerRtp = await sim.rtpStats(callerLeg);
    const opRtp = await sim.rtpStats(opLeg);
    expect(callerRtp!.rxPackets).toBeGreaterThan(50); // the caller hears the operator
    expect(opRtp!.rxPackets).toBeGreaterThan(50); // the operator hears the caller
    await sim.hangup(callerLeg);

    const ended = await waitFor('the outbound call ended with a stored recording', async () => {
      const c = (await calls()).find((x) => x.id === out.id);
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    }, 20_000);
    expect(ended.outcome).toBe('answered');
    expect((await tasks()).find((t) => t.id === task.id)).toMatchObject({ status: 'done', doneReason: 'connected', attempts: 1 });
  });

  it('the caller is busy: tried again after the retry time, then connected', async () => {
    await start('retry', { PULT_CALLBACK_RETRY_SEC: '3' });
    const op = await deskOperator(pult!.url, admin, 'desk32', '1132');
    const caller = '79161130002';
    const task = await abandon(caller);
    sim.on('1132', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on(caller, { action: 'reject' });
    await setState(pult!.url, op.token, 'available');
    await waitFor('one attempt that found the caller busy', async () => {
      const t = (await tasks()).find((x) => x.id === task.id);
      const failed = (await calls()).filter((c) => c.direction === 'outbound' && c.state === 'ended');
      return t?.attempts === 1 && failed.length === 1 ? t : null;
    }, 30_000);
    expect((await tasks()).find((t) => t.id === task.id)!.status).toBe('pending');
    sim.on(caller, { action: 'answer', afterMs: 300, tone: 'tone:600' });
    const done = await waitFor('the second attempt connected', async () => (await tasks()).find((t) => t.id === task.id && t.status === 'done'), 40_000);
    expect(done).toMatchObject({ doneReason: 'connected', attempts: 2 });
    const outbound = (await calls()).filter((c) => c.direction === 'outbound');
    expect(outbound.map((c) => c.outcome).sort()).toEqual([null, 'unanswered'].sort());
  });

  it('a caller who calls in and is answered closes their own open task', async () => {
    await start('called-in', { PULT_CALLBACK_AUTO: 'off' });
    const op = await deskOperator(pult!.url, admin, 'desk33', '1133');
    const caller = '79161130003';
    const task = await abandon(caller);
    sim.on('1133', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    await setState(pult!.url, op.token, 'available');
    await sim.call(DID, caller);
    await sim.until(() => sim.incoming('1133').some((c) => c.answeredAt), 20_000, 'the operator to answer the caller');
    const closed = await waitFor('the task closed', async () => (await tasks()).find((t) => t.id === task.id && t.status === 'done'), 10_000);
    expect(closed.doneReason).toBe('called-in');
    expect((await calls()).every((c) => c.direction === 'inbound')).toBe(true); // Pult dialled nobody
  });

  it('a waiting caller hears the announcement and presses 1: the call ends, a task keeps their place', async () => {
    await start('press-1', { PULT_ANNOUNCE_EVERY_SEC: '3' });
    const caller = '79161130004';
    const leg = await sim.call(DID, caller);
    const arrivedAt = Date.now();
    // Nobody is logged in; the first announcement answers the call.
    await sim.until(() => Boolean(sim.channels.get(leg)?.answeredAt), 20_000, 'the PBX to answer for the announcement');
    await sleep(1500);
    expect((await sim.rtpStats(leg))!.rxPackets).toBeGreaterThan(20); // the caller hears it
    await sim.dtmf(leg, '1');
    await sim.until(() => Boolean(sim.channels.get(leg)?.endedAt), 20_000, 'the call to end after the confirmation');
    const task = await waitFor('a caller-requested task', async () => (await api<{ items: (TaskItem & { reason: string })[] }>(pult!.url, 'GET', '/api/callbacks', undefined, admin)).body.items.find((t) => t.callerNumber === caller), 10_000);
    expect(task).toMatchObject({ reason: 'caller-requested', status: 'pending', callable: true });
    // The place is the arrival: due 10 minutes after the call came, not after the key press.
    expect(Math.abs(Date.parse(task.dueAt) - (arrivedAt + 10 * 60_000))).toBeLessThan(3000);
    expect((await calls()).find((c) => c.from === caller)).toMatchObject({ state: 'ended', outcome: 'unanswered' });
  });

  it('an operator frees up during the announcements: the caller is put through at once, audio both ways', async () => {
    await start('announce-connect', { PULT_ANNOUNCE_EVERY_SEC: '2' });
    const op = await deskOperator(pult!.url, admin, 'desk35', '1135');
    const caller = '79161130005';
    const leg = await sim.call(DID, caller);
    await sim.until(() => Boolean(sim.channels.get(leg)?.answeredAt), 20_000, 'the PBX to answer for the announcement');
    await sleep(3000); // an announcement or music is playing now
    sim.on('1135', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    const freed = Date.now();
    await setState(pult!.url, op.token, 'available');
    await sim.until(() => sim.incoming('1135').some((c) => c.answeredAt), 20_000, 'the operator to answer');
    const connected = await waitFor('the call connected', async () => (await calls()).find((c) => c.from === caller && c.state === 'connected'), 10_000);
    // Not held back until the announcement ends (the prompts last several seconds).
    expect(Date.now() - freed).toBeLessThan(5000);
    await sleep(2500);
    const opLeg = sim.incoming('1135')[0]!.id;
    const before = (await sim.rtpStats(opLeg))!.rxPackets;
    await sleep(1500);
    expect((await sim.rtpStats(opLeg))!.rxPackets - before).toBeGreaterThan(40); // the operator hears the caller
    expect(connected.answeredBy).toBe(op.id);
  });
});
