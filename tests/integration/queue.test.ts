// The queue policy against the real Asterisk (issue 15): overflow adds the
// mobile, it never takes the caller out of the queue. With the one overflow
// mobile busy on another call, a waiting caller reaches the operator who
// frees up, not the goodbye.
import { describe, expect, it } from 'vitest';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { portOffset } from './env.js';
import { deskOperator, pultRigEnv, setState, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8294 + portOffset);

interface CallItem { id: string; from: string; state: string; outcome: string | null; answeredBy: number | null; answeredVia: string | null; overflowReason: string | null }

let pult: PultProcess | null = null;

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

async function start(name: string, extra: Record<string, string> = {}): Promise<string> {
  pult = await startPultProcess({
    ...pultRigEnv(`queue-${name}`, HTTP_PORT),
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_OVERFLOW_AFTER_SEC: '2',
    PULT_RING_TIMEOUT_SEC: '10',
    PULT_OVERFLOW_TIMEOUT_SEC: '5',
    PULT_MOBILE_RETRY_SEC: '2',
    PULT_MAX_WAIT_SEC: '60',
    PULT_WRAPUP_SEC: '1',
    PULT_LOG_LEVEL: 'debug',
    ...extra,
  }, `queue-${name}`);
  return login(pult.url, 'admin', 'demo');
}

describe('queue policy through the real Asterisk', () => {
  it('the only mobile busy on another call, an operator frees up: the waiting caller reaches the operator, not the goodbye', async () => {
    const admin = await start('mobile-busy');
    const calls = async () => (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items;
    const op = await deskOperator(pult!.url, admin, 'desk21', '1121');
    sim.on('1121', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    await setState(pult!.url, op.token, 'available');

    // Caller 1 talks to the operator.
    const first = await sim.call(DID, '79161110001');
    await sim.until(() => sim.incoming('1121').some((c) => c.answeredAt), 15_000, 'operator answered caller 1');
    // Caller 2 overflows to the mobile, which answers; from then on it is busy (one call at a time).
    sim.on(MOBILE, { action: 'answer', afterMs: 300, tone: 'tone:700' });
    await sim.call(DID, '79161110002');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 15_000, 'mobile answered caller 2');
    sim.on(MOBILE, { action: 'reject' });
    // Caller 3 waits: operator and mobile both busy, well past the overflow time.
    const third = await sim.call(DID, '79161110003');
    await waitFor('caller 3 overflowed', async () => (await calls()).find((c) => c.from === '79161110003' && c.state === 'overflow'), 15_000);
    await sleep(6000);
    expect(sim.channels.get(third)!.endedAt).toBeNull();
    expect((await calls()).find((c) => c.from === '79161110003')!.state).toBe('overflow');

    // The operator finishes with caller 1 and, after wrap-up, gets caller 3.
    await sim.hangup(first);
    await sim.until(() => sim.incoming('1121').filter((c) => c.answeredAt).length >= 2, 15_000, 'operator answered caller 3');
    const c3 = await waitFor('caller 3 connected to the operator', async () => (await calls()).find((c) => c.from === '79161110003' && c.state === 'connected'), 10_000);
    expect(c3).toMatchObject({ answeredBy: op.id, answeredVia: 'console', overflowReason: 'timeout' });
    expect(sim.channels.get(third)!.endedAt).toBeNull();
    await sim.hangup(third);
    const ended = await waitFor('caller 3 ended', async () => (await calls()).find((c) => c.from === '79161110003' && c.state === 'ended'), 10_000);
    expect(ended.outcome).toBe('answered');
    const tasks = await api<{ items: unknown[] }>(pult!.url, 'GET', '/api/callbacks', undefined, admin);
    expect(tasks.body.items).toHaveLength(0);
  });

  it('nobody takes the call: the goodbye and a callback task come at the line\'s maximum wait, not before', async () => {
    const admin = await start('max-wait', { PULT_MAX_WAIT_SEC: '12' });
    sim.on(MOBILE, { action: 'reject' });
    const started = Date.now();
    const leg = await sim.call(DID, '79161110009');
    await sim.until(() => sim.incoming(MOBILE).length >= 2, 15_000, 'the mobile tried again after the pause');
    expect(sim.channels.get(leg)!.endedAt).toBeNull();
    await sim.until(() => Boolean(sim.channels.get(leg)?.endedAt), 30_000, 'PBX to end the call');
    expect(Date.now() - started).toBeGreaterThan(11_000);
    expect(sim.channels.get(leg)!.answeredAt).not.toBeNull(); // answered to play the goodbye
    const call = (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items[0]!;
    expect(call.outcome).toBe('unanswered');
    const tasks = await api<{ items: { callId: string; reason: string }[] }>(pult!.url, 'GET', '/api/callbacks?status=pending', undefined, admin);
    expect(tasks.body.items).toEqual([expect.objectContaining({ callId: call.id, reason: 'unanswered' })]);
  });
});
