// Issue 15 (screen pop at 20 simultaneous calls): callers who arrive in the
// same instant are admitted together — their rows in one transaction, one
// dispatch round, every card out before any PBX request about them — and
// nothing is acknowledged to the PBX about a call before its row is stored.
import { describe, expect, it, vi } from 'vitest';
import { routingHarness, useRoutingClock } from '../support/routing-harness.js';
import type { OriginateRequest } from '../../src/telephony/ports.js';

useRoutingClock();

async function burst(n: number) {
  const h = routingHarness();
  const ops: number[] = [];
  for (let i = 1; i <= n; i++) {
    ops.push(h.addOperator(`op${i}`, `10${String(i).padStart(2, '0')}`));
    vi.advanceTimersByTime(1000); // op1 has been idle longest, then op2…
  }
  await h.settle();
  const timeline: string[] = [];
  const problems: string[] = [];
  const stored = (channelId: string, what: string) => {
    if (h.db.inTransaction) problems.push(`${what} inside a transaction`);
    if (!h.calls.byCallerChannel(channelId)) problems.push(`${what} before the call of ${channelId} was stored`);
  };
  h.events.on('call.offered', (e) => {
    const call = h.calls.get(e.callId)!;
    stored(call.callerChannelId, `card ${call.callerChannelId}`);
    if (!h.calls.offers(e.callId).some((o) => o.userId === e.userId && o.endedAt === null)) problems.push(`card ${call.callerChannelId} before its offer was stored`);
    timeline.push(`card ${call.callerChannelId}`);
  });
  const ring = h.pbx.ring.bind(h.pbx);
  h.pbx.ring = async (id: string) => {
    stored(id, `ring ${id}`);
    timeline.push(`ring ${id}`);
    return ring(id);
  };
  const originate = h.pbx.originate.bind(h.pbx);
  h.pbx.originate = async (r: OriginateRequest) => {
    const call = h.calls.get(r.appArgs[1]!)!;
    stored(call.callerChannelId, `originate for ${call.callerChannelId}`);
    timeline.push(`originate ${call.callerChannelId}`);
    return originate(r);
  };
  let dispatchRounds = 0;
  const open = h.calls.open.bind(h.calls);
  h.calls.open = (controller) => {
    dispatchRounds++;
    return open(controller);
  };
  const channels = Array.from({ length: n }, (_, i) => `c${i + 1}`);
  for (const [i, ch] of channels.entries()) h.pbx.inbound(ch, '74950000001', `7916000000${i}`); // one burst, as the PBX's events come in one read
  await h.settle();
  return { h, ops, channels, timeline, problems, dispatchRounds };
}

describe('a burst of callers arriving together', () => {
  it('every card goes out before any PBX request about them, each after its call and offer are stored', async () => {
    const { timeline, problems, channels } = await burst(5);
    expect(problems).toEqual([]);
    expect(timeline.slice(0, 5)).toEqual(channels.map((c) => `card ${c}`));
    expect(timeline.slice(5).sort()).toEqual([...channels.map((c) => `originate ${c}`), ...channels.map((c) => `ring ${c}`)].sort());
  });

  it('one dispatch round for the burst; the oldest caller still gets the longest-idle operator, each a different one', async () => {
    const { h, ops, channels, dispatchRounds } = await burst(5);
    expect(dispatchRounds).toBe(1);
    const ringing = channels.map((ch) => {
      const call = h.calls.byCallerChannel(ch)!;
      expect(call.state).toBe('waiting');
      return h.calls.openOffers(call.id).map((o) => o.userId);
    });
    expect(ringing).toEqual(ops.map((u) => [u]));
    expect(h.seen.filter((e) => e.type === 'call.arrived')).toHaveLength(5);
  });
});

describe('a burst of callers hanging up together', () => {
  it('is handled in one step with one dispatch round (plus one for the freed operators), and the waiting caller gets an operator', async () => {
    const { h, ops, channels } = await burst(3);
    // A fourth caller waits: every operator is ringing.
    h.pbx.inbound('c4', '74950000001', '79160000004');
    await h.settle();
    const waiting = h.calls.byCallerChannel('c4')!;
    expect(h.calls.openOffers(waiting.id)).toEqual([]);
    let rounds = 0;
    const open = h.calls.open.bind(h.calls);
    h.calls.open = (controller) => {
      rounds++;
      return open(controller);
    };
    for (const ch of channels) h.pbx.destroy(ch); // three callers hang up in the same instant
    await h.settle();
    for (const ch of channels) expect(h.calls.byCallerChannel(ch)).toMatchObject({ state: 'ended', outcome: 'abandoned' });
    // One round after the hang-ups and one for the operators they freed (not one per hang-up and one per operator).
    expect(rounds).toBe(2);
    // The waiting caller rings exactly one of the freed operators.
    expect(h.calls.openOffers(waiting.id).map((o) => o.userId)).toEqual([ops[0]]);
    expect(ops.map((u) => h.operators.get(u)!.activity)).toEqual(['ringing', 'idle', 'idle']);
  });
});
