// The "connect" action: a leg we rang (operator or mobile) answered. The
// first answer wins: the call is connected and recorded, the other legs are
// cancelled, and the caller and the answering leg are bridged. A late answer
// (the call was taken or ended meanwhile) is hung up.
import type { PbxChannel } from '../../telephony/ports.js';
import { bridgeName, recordingName } from '../../telephony/ari/names.js';
import type { RoutingContext } from './context.js';
import { cancelOffer } from './offer.js';

export async function connectAnswered(ctx: RoutingContext, channel: PbxChannel, callId: string): Promise<void> {
  const offer = ctx.calls.offerByChannel(channel.id);
  const call = ctx.calls.get(callId);
  if (!offer || !call || offer.callId !== callId || call.controller !== 'ari') {
    ctx.logger.warn('answered leg belongs to no call we know; hanging up', { channelId: channel.id, callId });
    return ctx.pbx.hangup(channel.id);
  }
  if (call.state !== 'waiting' && call.state !== 'overflow') {
    ctx.logger.info('late answer after the call was taken or ended; hanging up that leg', { callId, channelId: channel.id });
    await ctx.closeOffer(channel.id, 'late');
    return ctx.pbx.hangup(channel.id);
  }
  const at = ctx.now();
  const via = offer.targetKind === 'operator' ? 'console' : 'mobile';
  const bridgeId = bridgeName(callId);
  const ok = ctx.db.transaction(() => {
    if (!ctx.calls.connect(callId, { bridgeId, answeredAt: at, answeredBy: offer.userId, answeredVia: via, answeredChannelId: channel.id, answeredNumber: offer.target })) return false;
    if (offer.targetKind === 'operator' && offer.userId !== null) {
      ctx.operators.setActivity(offer.userId, 'oncall', callId);
      ctx.missed.answered(offer.userId);
    }
    ctx.calls.startRecording(callId, recordingName(callId), 'wav', at);
    return true;
  })();
  if (!ok) return ctx.pbx.hangup(channel.id);
  ctx.disarm(callId);
  ctx.logger.info('call answered', { callId, via, userId: offer.userId, target: offer.target });
  ctx.events.emit('call.answered', { callId, userId: offer.userId, via, at });
  for (const o of ctx.calls.openOffers(callId)) await cancelOffer(ctx, o);
  // Most often a failure here means the caller hung up in the same instant; the hang-up event ends the call.
  ctx.background('connect the answered call', callId, (async () => {
    await ctx.pbx.answer(call.callerChannelId);
    await ctx.pbx.createBridge(bridgeId);
    await ctx.pbx.addToBridge(bridgeId, [call.callerChannelId, channel.id]);
    await ctx.pbx.recordBridge(bridgeId, recordingName(callId), 'wav');
  })());
}
