// The "offer" action: ring an operator's phone with a queued caller, and
// what happens when an offer ends without an answer (the operator cools
// down for that caller and the queue is looked at again; a mobile that did
// not take it is rung again later by the overflow; a transfer target that
// did not answer ends the call with a callback task).
import type { OriginateRequest } from '../../telephony/ports.js';
import { deskEndpoint } from '../../telephony/ari/endpoints.js';
import { legVariables, operatorLegId } from '../../telephony/ari/names.js';
import type { CallRecord, Offer } from '../calls/repository.js';
import type { Operator } from '../operators/service.js';
import { callerIdOf, type RoutingContext } from './context.js';

/**
 * The offers of one dispatch round: stored in one transaction, then every
 * card goes out (call.offered), then the phones are rung. A caller's card
 * never waits for another caller's PBX request.
 */
export function offerToOperators(ctx: RoutingContext, offers: readonly { call: CallRecord; op: Operator }[]): void {
  if (offers.length === 0) return;
  const at = ctx.now();
  const legs = offers.map(({ call, op }) => ({ call, op, channelId: operatorLegId(call.id, ctx.calls.offers(call.id).length + 1) }));
  ctx.db.transaction(() => {
    for (const { call, op, channelId } of legs) {
      ctx.calls.addOffer({ callId: call.id, channelId, targetKind: 'operator', userId: op.userId, target: deskEndpoint(op.extension), offeredAt: at });
      ctx.operators.setActivity(op.userId, 'ringing', call.id);
    }
  })();
  for (const { call, op } of legs) ctx.events.emit('call.offered', { callId: call.id, kind: 'operator', userId: op.userId, target: op.extension, at });
  // The screen pop builds the round's cards together in a microtask it
  // queued at the first of them; the phones are rung in the next one, so
  // building the PBX requests does not hold the cards back either.
  queueMicrotask(() => {
    try {
      ringOperators(ctx, legs);
    } catch (err) {
      // As when this failed inside the routing step: the offers are stored, the phones not rung.
      ctx.logger.error('could not ring the operators of a dispatch round', { err, stack: (err as Error).stack });
    }
  });
}

function ringOperators(ctx: RoutingContext, legs: readonly { call: CallRecord; op: Operator; channelId: string }[]): void {
  for (const { call, op, channelId } of legs) {
    ctx.logger.info('offering call to operator', { callId: call.id, operator: op.login, extension: op.extension });
    const line = call.lineId ? ctx.lines.get(call.lineId) : null;
    ctx.originate(call.id, channelId, {
      channelId,
      endpoint: deskEndpoint(op.extension),
      callerId: callerIdOf(call),
      timeoutSec: line?.ringTimeoutSec ?? 15,
      appArgs: ['offer', call.id],
      // The softphone matches the ringing SIP call to its card by this header.
      variables: legVariables(call.id, { sipHeader: true }),
    }, `operator ${op.login}`);
  }
}

/** Rings a leg without holding the queue; a refused originate closes the offer as failed. */
export function originate(ctx: RoutingContext, callId: string, channelId: string, req: OriginateRequest, who: string): void {
  ctx.pbx.originate(req).catch((err: unknown) => {
    ctx.logger.warn('could not ring', { callId, who, err });
    void ctx.enqueue('originate-failed', () => ctx.closeOffer(channelId, 'failed'));
  });
}

/** Another leg answered first (or the call ended): this one is hung up. */
export async function cancelOffer(ctx: RoutingContext, o: Offer): Promise<void> {
  if (!ctx.calls.endOffer(o.channelId, 'cancelled', ctx.now())) return;
  if (o.targetKind === 'operator' && o.userId !== null) ctx.releaseOperator(o.userId, o.callId, false);
  ctx.background('cancel an offer leg', o.callId, ctx.pbx.hangup(o.channelId));
}

/** An offer that ended without an answer: free the operator, try the next. */
export async function closeOffer(ctx: RoutingContext, channelId: string, result: string): Promise<void> {
  const offer = ctx.calls.offerByChannel(channelId);
  if (!offer || !ctx.calls.endOffer(channelId, result, ctx.now())) return;
  ctx.events.emit('call.offerEnded', { callId: offer.callId, kind: offer.targetKind, userId: offer.userId, result, at: ctx.now() });
  const call = ctx.calls.get(offer.callId);
  if (call?.state === 'connected' && call.answeredChannelId === null && ctx.calls.openOffers(call.id).length === 0) {
    // The transfer target did not answer: the caller must not be lost.
    if (offer.targetKind === 'operator' && offer.userId !== null) ctx.releaseOperator(offer.userId, offer.callId, false);
    await ctx.endCall(call.id, 'answered', 'transfer target did not answer', 'unanswered');
    return;
  }
  if (offer.targetKind === 'operator' && offer.userId !== null) {
    ctx.cooldown.coolDown(offer.callId, offer.userId, ctx.clock.now().getTime() + (ctx.opts.retryCooldownMs ?? 2000));
    // Paused before the release, so the operator goes straight to "paused", never "available".
    if (result === 'noanswer') ctx.missed.rangOut(offer.userId);
    ctx.releaseOperator(offer.userId, offer.callId, false);
    await ctx.dispatch();
    return;
  }
  // A mobile that did not take it: rung again later; the caller stays in the queue.
  ctx.overflow.legEnded(offer);
}
