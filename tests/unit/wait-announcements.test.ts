// Issue 15, item 2: waiting callers hear their place and "press 1 for a
// callback"; 1 ends the call with a task that keeps their place. Fake PBX.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routingHarness } from '../support/routing-harness.js';
import { WaitAnnouncements } from '../../src/features/routing/wait-announcements.js';
import { translateAriEvent } from '../../src/telephony/ari/adapter.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/clock.js';
import type { NewLine } from '../../src/features/lines/repository.js';

const T0 = new Date('2026-11-23T09:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function harness(line: Partial<NewLine> = {}) {
  const h = routingHarness({ overflowGroupId: null, announceEverySec: 30, ...line });
  h.addOperator('busy', '1001', false); // logged out: nobody takes the calls
  const ann = new WaitAnnouncements({ pbx: h.pbx, router: h.router, calls: h.calls, lines: h.lines, events: h.events, clock: systemClock, logger: silentLogger });
  ann.start();
  const plays = (ch: string) => h.pbx.ops('play').filter((c) => c.args[0] === ch).map((c) => ({ id: c.args[1] as string, media: c.args[2] as string[] }));
  const tick = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await h.settle();
  };
  return { ...h, ann, plays, tick };
}

describe('announcements to waiting callers (issue 15, item 2)', () => {
  it('every announce_every_sec: the place in the queue and "press 1"; music between announcements, ringback until the first', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001', '79160000001');
    await h.settle();
    vi.setSystemTime(new Date(T0.getTime() + 500));
    h.pbx.inbound('c2', '74950000001', '79160000002');
    await h.settle();
    expect(h.pbx.ops('ring').map((c) => c.args[0])).toEqual(['c1', 'c2']);
    await h.tick(29_000);
    expect(h.pbx.ops('play')).toHaveLength(0);
    await h.tick(1_500);
    expect(h.plays('c1')[0]!.media).toEqual(['sound:queue-youarenext', 'sound:vm-tocallback', 'sound:vm-press', 'sound:digits/1']);
    expect(h.plays('c2')[0]!.media).toEqual(['sound:queue-thereare', 'sound:digits/1', 'sound:queue-callswaiting', 'sound:vm-tocallback', 'sound:vm-press', 'sound:digits/1']);
    expect(h.pbx.ops('answer').map((c) => c.args[0])).toEqual(['c1', 'c2']); // audio needs an answered call
    h.pbx.playbackDone(h.plays('c1')[0]!.id);
    await h.settle();
    expect(h.pbx.ops('startMoh').map((c) => c.args[0])).toEqual(['c1']);
    // The first caller leaves: the second is next at the following announcement.
    h.pbx.destroy('c1');
    await h.settle();
    // The interval counts from the end of an announcement: none piles up while one plays.
    await h.tick(60_000);
    expect(h.plays('c2')).toHaveLength(1);
    h.pbx.playbackDone(h.plays('c2')[0]!.id);
    await h.settle();
    await h.tick(30_000);
    expect(h.plays('c1')).toHaveLength(1);
    expect(h.plays('c2')[1]!.media[0]).toBe('sound:queue-youarenext');
  });

  it('1 from a waiting caller: confirmation, hang-up, a caller-requested task that keeps the arrival time as its place', async () => {
    const h = harness({ callbackDueMin: 10 });
    h.pbx.inbound('c1', '74950000001', '79160000001');
    await h.tick(31_000);
    h.pbx.dtmf('c1', '1');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    const task = h.db.prepare('SELECT reason, due_at AS dueAt, status FROM callback_tasks WHERE call_id = ?').get(call.id);
    expect(task).toEqual({ reason: 'caller-requested', dueAt: new Date(T0.getTime() + 10 * 60_000).toISOString(), status: 'pending' });
    expect(h.pbx.ops('stopPlayback').map((c) => c.args[0])).toEqual([`${call.id}-ann1`]);
    const bye = h.plays('c1').at(-1)!;
    expect(bye.media).toEqual(['sound:auth-thankyou', 'sound:goodbye']);
    h.pbx.playbackDone(bye.id);
    await h.settle();
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain('c1');
    // No more announcements for a call that is over.
    await h.tick(60_000);
    expect(h.plays('c1').filter((p) => p.id.includes('-ann'))).toHaveLength(1);
  });

  it('other keys, and 1 on a line without announcements, change nothing', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.dtmf('c1', '2');
    h.pbx.dtmf('c1', '#');
    await h.settle();
    expect(h.calls.byCallerChannel('c1')!.state).not.toBe('ended');
    const off = harness({ announceEverySec: 0 });
    off.pbx.inbound('c9', '74950000001');
    await off.tick(120_000);
    off.pbx.dtmf('c9', '1');
    await off.settle();
    expect(off.pbx.ops('play')).toHaveLength(0);
    expect(off.calls.byCallerChannel('c9')!.state).not.toBe('ended');
  });

  it('the ARI adapter turns ChannelDtmfReceived into a dtmf event and drops a malformed digit', () => {
    const channel = { id: 'c1', name: 'PJSIP/carrier-1', state: 'Up' };
    expect(translateAriEvent({ type: 'ChannelDtmfReceived', channel, digit: '1', duration_ms: 100 }, silentLogger)).toEqual({ type: 'dtmf', channelId: 'c1', digit: '1' });
    expect(translateAriEvent({ type: 'ChannelDtmfReceived', channel, digit: '1; DROP' }, silentLogger)).toBeNull();
  });
});
