// The "transfer" action: blind transfer, carried out by Pult. The
// operator's leg leaves at once (they go to wrap-up), the caller hears
// ringing, the target is rung and joins the call's bridge (the recording
// goes on) when they answer. If the target does not answer, the call ends
// with a callback task (offer.ts: closeOffer).
import type { PbxChannel } from '../../telephony/ports.js';
import { deskEndpoint, trunkEndpoint } from '../../telephony/ari/endpoints.js';
import { legVariables, transferLegId } from '../../telephony/ari/names.js';
import { callerIdOf, type RoutingContext } from './context.js';

export type TransferTarget = { userId: number; extension: string } | { number: string };

/** Starts the transfer; null when started, else why not. */
export async function transferCall(ctx: RoutingContext, callId: string, byUserId: number, target: TransferTarget): Promise<string | null> {
  const call = ctx.calls.get(callId);
  if (!call || call.controller !== 'ari' || call.state !== 'connected' || call.answeredBy !== byUserId || call.answeredVia !== 'console' || !call.answeredChannelId) {
    return 'the call is not connected to you';
  }
  const line = call.lineId ? ctx.lines.get(call.lineId) : null;
  if ('userId' in target && line?.tenantId != null && !ctx.operators.get(target.userId)?.tenantIds.includes(line.tenantId)) {
    return "the target operator does not serve the call's company";
  }
  const at = ctx.now();
  const operatorLeg = call.answeredChannelId;
  const label = 'userId' in target ? target.extension : target.number;
  const channelId = transferLegId(callId, ctx.calls.offers(callId).length + 1);
  const ok = ctx.db.transaction(() => {
    if (!ctx.calls.startTransfer(callId, byUserId, label, at)) return false;
    if ('userId' in target) {
      ctx.calls.addOffer({ callId, channelId, targetKind: 'operator', userId: target.userId, target: deskEndpoint(target.extension), offeredAt: at });
      const op = ctx.operators.get(target.userId);
      if (op?.activity === 'idle') ctx.operators.setActivity(target.userId, 'ringing', callId);
    } else {
      ctx.calls.addOffer({ callId, channelId, targetKind: 'mobile', userId: null, target: target.number, offeredAt: at });
    }
    return true;
  })();
  if (!ok) return 'the call is not connected to you';
  ctx.logger.info('blind transfer', { callId, from: byUserId, to: label });
  ctx.releaseOperator(byUserId, callId, true);
  ctx.events.emit('call.offered', { callId, kind: 'userId' in target ? 'operator' : 'mobile', userId: 'userId' in target ? target.userId : null, target: label, at });
  ctx.background('transfer: release the operator, ring for the caller', callId, Promise.all([ctx.pbx.hangup(operatorLeg), ctx.pbx.ring(call.callerChannelId)]));
  ctx.originate(callId, channelId, {
    channelId,
    endpoint: 'userId' in target ? deskEndpoint(target.extension) : trunkEndpoint(target.number, ctx.opts.trunkOf?.(call.lineId) ?? ctx.opts.trunkEndpoint),
    callerId: callerIdOf(call),
    timeoutSec: line?.ringTimeoutSec ?? 30,
    appArgs: ['transfer', callId],
    variables: legVariables(callId, { sipHeader: true }),
  }, `transfer to ${label}`);
  return null;
}

/** The transfer target answered: they join the call's bridge. */
export async function transferAnswered(ctx: RoutingContext, channel: PbxChannel, callId: string): Promise<void> {
  const offer = ctx.calls.offerByChannel(channel.id);
  const call = ctx.calls.get(callId);
  if (!offer || !call || !call.bridgeId || !ctx.calls.completeTransfer(callId, channel.id, offer.target, ctx.now())) {
    ctx.logger.info('transfer leg answered for a call that is over; hanging up', { callId, channelId: channel.id });
    return ctx.pbx.hangup(channel.id);
  }
  if (offer.targetKind === 'operator' && offer.userId !== null) ctx.operators.setActivity(offer.userId, 'oncall', callId);
  ctx.events.emit('call.answered', { callId, userId: offer.userId, via: offer.targetKind === 'operator' ? 'console' : 'mobile', at: ctx.now() });
  const bridgeId = call.bridgeId;
  ctx.background('connect the transfer target', callId, ctx.pbx.stopRing(call.callerChannelId).catch(() => undefined).then(() => ctx.pbx.addToBridge(bridgeId, [channel.id])));
}
