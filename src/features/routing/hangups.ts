// Channels that went away, and the end of a call. A caller hanging up while
// queued is an abandoned call; a leg of a connected call hanging up ends
// it; an offer leg that ended unanswered is closed (offer.ts). endCall ends
// a call exactly once: logs it, releases every operator and leg, finishes
// the recording, and looks at the queue again.
import { recordingName } from '../../telephony/ari/names.js';
import { unansweredReason } from '../../telephony/ports.js';
import type { CallOutcome, CallRecord } from '../calls/repository.js';
import type { RoutingContext } from './context.js';

export async function channelGone(ctx: RoutingContext, channelId: string, cause: number): Promise<void> {
  const asCaller = ctx.calls.byCallerChannel(channelId);
  // Outbound calls (callbacks, click-to-call) belong to their own channel owner.
  if (asCaller) return asCaller.controller === 'ari' && asCaller.direction === 'inbound' ? callerGone(ctx, asCaller) : undefined;
  const offer = ctx.calls.offerByChannel(channelId);
  if (!offer) return;
  const call = ctx.calls.get(offer.callId);
  if (call?.controller !== 'ari' || call.direction !== 'inbound') return;
  if (call && call.state === 'connected' && call.answeredChannelId === channelId) {
    return finishConnected(ctx, call, offer.targetKind === 'operator' ? 'operator hung up' : 'mobile hung up');
  }
  await ctx.closeOffer(channelId, unansweredReason(cause));
}

async function callerGone(ctx: RoutingContext, call: CallRecord): Promise<void> {
  if (call.state === 'ended') return;
  if (call.state === 'connected') return finishConnected(ctx, call, 'caller hung up');
  await ctx.endCall(call.id, 'abandoned', 'caller hung up while waiting');
}

export async function finishConnected(ctx: RoutingContext, call: CallRecord, reason: string): Promise<void> {
  const outcome: CallOutcome = call.answeredVia === 'mobile' ? 'overflowed-answered' : 'answered';
  await ctx.endCall(call.id, outcome, reason);
}

/** Ends the call once: records it, releases everyone, frees the PBX side. */
export async function endCall(ctx: RoutingContext, callId: string, outcome: CallOutcome, reason: string, callback?: 'unanswered' | 'caller-requested'): Promise<void> {
  const call = ctx.calls.get(callId);
  if (!call) return;
  const at = ctx.now();
  const open = ctx.calls.openOffers(callId);
  if (!ctx.calls.end(callId, { endedAt: at, outcome, endReason: reason, callback })) return;
  ctx.disarm(callId);
  ctx.logger.info('call ended', { callId, outcome, reason });
  ctx.events.emit('call.ended', { callId, outcome, reason, at });
  if (outcome === 'abandoned' || outcome === 'unanswered' || callback) ctx.events.emit('callback.created', { callId, caller: call.callerNumber, reason: callback ?? outcome, at });
  for (const o of open) {
    if (o.targetKind === 'operator' && o.userId !== null) ctx.releaseOperator(o.userId, callId, false);
    ctx.background('hang up an offer leg', callId, ctx.pbx.hangup(o.channelId));
  }
  if (call.answeredBy !== null && call.answeredVia === 'console') ctx.releaseOperator(call.answeredBy, callId, true);
  // After a transfer, the operator now talking is the one on the answered leg.
  const talking = call.answeredChannelId ? ctx.calls.offerByChannel(call.answeredChannelId) : null;
  if (talking?.userId != null && talking.userId !== call.answeredBy && talking.targetKind === 'operator') ctx.releaseOperator(talking.userId, callId, true);
  if (call.state === 'connected') {
    const legs = [call.callerChannelId, call.answeredChannelId].filter((x): x is string => Boolean(x));
    // Destroying the bridge finishes its recording; RecordingFinished fetches the file.
    // The bridge goes whatever happened to the legs: destroying it finishes the recording.
    const bridgeId = call.bridgeId;
    ctx.background('release the call', callId, Promise.allSettled(legs.map((l) => ctx.pbx.hangup(l))).then(() => (bridgeId ? ctx.pbx.destroyBridge(bridgeId) : undefined)));
    // Do not depend on RecordingFinished alone: fetch (with retries) shortly after in any case.
    if (ctx.calls.recordingForCall(callId)) {
      const t = setTimeout(() => ctx.recordings.fetch(recordingName(callId)), 3000);
      t.unref();
    }
  }
  await ctx.dispatch();
}
