// The "goodbye" action: nobody could take the call (the line's maximum
// wait), or the caller asked to be called back. The call ends with a
// callback task, the caller hears a short prompt, and we hang up (at the
// latest 15 s later, whatever the PBX says about the playback).
import { goodbyePlaybackId } from '../../telephony/ari/names.js';
import type { RoutingContext } from './context.js';

const DEFAULT_PROMPT = ['sound:im-sorry', 'sound:tt-allbusy', 'sound:goodbye'];

export async function sayGoodbye(ctx: RoutingContext, callId: string, reason: string, o: { prompt?: string[]; callback?: 'caller-requested' } = {}): Promise<void> {
  const call = ctx.calls.get(callId);
  if (!call || call.state === 'ended' || call.state === 'connected') return;
  await ctx.endCall(callId, 'unanswered', reason, o.callback);
  const channelId = call.callerChannelId;
  const prompt = o.prompt ?? ctx.opts.unansweredPrompt ?? DEFAULT_PROMPT;
  const hangupLater = setTimeout(() => void ctx.pbx.hangup(channelId).catch(() => undefined), 15_000);
  const playbackId = goodbyePlaybackId(callId);
  const done = new Promise<void>((resolve) => ctx.playbacks.set(playbackId, resolve));
  void (async () => {
    try {
      await ctx.pbx.answer(channelId);
      await ctx.pbx.play(channelId, playbackId, prompt, ctx.opts.promptLang ?? 'ru');
      await done;
    } catch (err) {
      ctx.logger.warn('could not play the goodbye prompt; hanging up', { callId, err });
    }
    clearTimeout(hangupLater);
    ctx.playbacks.delete(playbackId);
    await ctx.pbx.hangup(channelId).catch(() => undefined);
  })();
}
