// The report behind issue 15, replayed against the fake PBX: 40 callers
// within 20 s onto 4 operators at desk phones (answering in 1–3 s, talking
// 4–6 s) and one overflow mobile that takes one call at a time. On the old
// policy 27 of the 40 heard the goodbye 8–16 s after they called; now every
// caller stays in the queue until someone takes them.
import { describe, expect, it, vi } from 'vitest';
import { routingHarness, useRoutingClock } from '../support/routing-harness.js';
import type { OriginateRequest } from '../../src/telephony/ports.js';

useRoutingClock();

describe('a burst of callers onto a few operators and one mobile', () => {
  it('40 callers in 20 s, 4 operators, 1 mobile: nobody hears the goodbye, everybody reaches someone', async () => {
    const h = routingHarness();
    const mobile = h.lines.createOverflowGroup({ name: 'one mobile', mode: 'sequential', timeoutSec: 20, members: [{ position: 1, number: '79990000009', userId: null }] });
    h.lines.create({ name: 'Аварийная (нагрузка)', tenantId: h.tenant, dids: ['74950000077'], ringTimeoutSec: 15, overflowAfterSec: 5, overflowGroupId: mobile.id, maxWaitSec: 300, mobileRetrySec: 15, slThresholdSec: 20, waitTreatment: 'ringback', workingHours: null, isDefault: false });
    for (let i = 1; i <= 4; i++) h.addOperator(`op${i}`, `110${i}`);
    await h.settle();

    let seed = 42;
    const rand = (lo: number, hi: number) => lo + ((seed = (seed * 16807) % 2147483647) / 2147483647) * (hi - lo);
    let mobileState: 'free' | 'ringing' | 'talking' = 'free';
    /** The leg answers after `answerMs` if still ringing, talks `talkMs`, then the caller hangs up. */
    const play = (r: OriginateRequest, answerMs: number, talkMs: number, onDone: () => void) => {
      setTimeout(() => {
        if (!h.pbx.channels.has(r.channelId)) return onDone(); // cancelled: someone else answered
        h.pbx.answerLeg(r.channelId);
        setTimeout(() => {
          const offer = h.calls.offerByChannel(r.channelId);
          const call = offer ? h.calls.get(offer.callId) : null;
          if (call?.state === 'connected' && call.answeredChannelId === r.channelId) h.pbx.destroy(call.callerChannelId);
          onDone();
        }, talkMs);
      }, answerMs);
    };
    const originate = h.pbx.originate.bind(h.pbx);
    h.pbx.originate = async (r: OriginateRequest) => {
      await originate(r);
      if (r.endpoint.includes('79990000009')) {
        if (mobileState !== 'free') return void setTimeout(() => h.pbx.destroy(r.channelId, 17), 300); // busy
        mobileState = 'ringing';
        play(r, 2000, rand(4000, 6000), () => (mobileState = 'free'));
        setTimeout(() => {
          if (mobileState === 'ringing') mobileState = h.pbx.channels.has(r.channelId) ? 'talking' : 'free';
        }, 2001);
      } else {
        play(r, rand(1000, 3000), rand(4000, 6000), () => undefined);
      }
    };

    for (let i = 0; i < 40; i++) {
      h.pbx.inbound(`c${i}`, '74950000077', `7916000${String(i).padStart(4, '0')}`);
      await h.settle();
      await vi.advanceTimersByTimeAsync(500);
      await h.settle();
    }
    for (let s = 0; s < 240; s++) {
      await vi.advanceTimersByTimeAsync(1000);
      await h.settle();
    }

    const all = h.db.prepare('SELECT outcome, answered_via AS via, state FROM calls').all() as { outcome: string | null; via: string | null; state: string }[];
    expect(all).toHaveLength(40);
    expect(all.filter((c) => c.outcome === 'unanswered')).toEqual([]);
    expect(h.pbx.ops('play')).toHaveLength(0);
    expect(all.every((c) => c.state === 'ended' && (c.outcome === 'answered' || c.outcome === 'overflowed-answered'))).toBe(true);
    expect(all.filter((c) => c.via === 'mobile').length).toBeGreaterThan(0); // the mobile helped
    expect(h.calls.callbacks()).toHaveLength(0);
  });
});
