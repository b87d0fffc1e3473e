// Event intake: what the PBX tells us, sorted to whoever handles it. A
// channel entering the app names its purpose in its first argument:
// 'inbound' (a caller), 'offer' (an operator's or mobile's leg answered),
// 'transfer' (a transfer target answered), or a kind another feature
// registered (supervision, outbound calls…). Keys go to the entry menu;
// recording and playback events
// go to the recordings and whoever waits for the playback. The router runs
// every event through its serial queue; callers arriving back to back
// (inboundArrival) share one step.
import type { PbxChannel, PbxEvent } from '../../telephony/ports.js';
import type { RoutingContext } from './context.js';

export interface ChannelOwner {
  entered(channel: PbxChannel, args: string[]): Promise<void> | void;
  gone?(channelId: string, cause: number): void;
}

export interface IntakeHandlers {
  inbound(arrival: InboundArrival): Promise<void>;
  offerAnswered(channel: PbxChannel, callId: string): Promise<void>;
  transferAnswered(channel: PbxChannel, callId: string): Promise<void>;
  channelGone(channelId: string, cause: number): Promise<void>;
  /** A caller pressed a key (the entry menu reads it; wait-announcements.ts listens on its own). */
  dtmf(channelId: string, digit: string): Promise<void>;
}

const ROUTING_KINDS = new Set(['inbound', 'offer', 'transfer']);

/** A caller entering the app, as the router admits it. */
export interface InboundArrival {
  channel: PbxChannel;
  did: string;
  /** ISO time of arrival; now when not given (resync gives the channel's creation). */
  arrivedAt?: string;
  timing?: { emittedAt?: string; receivedAt: number };
}

/** The caller an event brings ('inbound' channel entering the app), or null for any other event. */
export function inboundArrival(e: PbxEvent, receivedAt: number): InboundArrival | null {
  if (e.type !== 'channelEntered' || e.args[0] !== 'inbound') return null;
  return { channel: e.channel, did: e.args[1] ?? '', timing: { emittedAt: e.at, receivedAt } };
}

export class EventIntake {
  private owners = new Map<string, ChannelOwner>();

  constructor(private readonly ctx: RoutingContext, private readonly h: IntakeHandlers) {}

  registerChannelOwner(kind: string, owner: ChannelOwner): void {
    if (ROUTING_KINDS.has(kind)) throw new Error(`"${kind}" belongs to routing`);
    this.owners.set(kind, owner);
  }

  async handle(e: PbxEvent, receivedAt = Date.now()): Promise<void> {
    const { ctx } = this;
    switch (e.type) {
      case 'channelEntered': {
        const [kind, ...rest] = e.args;
        if (kind === 'inbound') return this.h.inbound(inboundArrival(e, receivedAt)!);
        if (kind === 'offer') return this.h.offerAnswered(e.channel, rest[0] ?? '');
        if (kind === 'transfer') return this.h.transferAnswered(e.channel, rest[0] ?? '');
        const owner = kind ? this.owners.get(kind) : undefined;
        if (owner) return owner.entered(e.channel, rest);
        ctx.logger.warn('channel entered the app with unknown arguments; hanging up', { channelId: e.channel.id, args: e.args });
        return ctx.pbx.hangup(e.channel.id);
      }
      case 'channelDestroyed':
        for (const o of this.owners.values()) o.gone?.(e.channelId, e.cause);
        return this.h.channelGone(e.channelId, e.cause);
      case 'channelLeft':
        for (const o of this.owners.values()) o.gone?.(e.channelId, 16);
        // Asterisk stops telling an app about a channel once it leaves the
        // app, so a hang-up in Stasis may bring StasisEnd and no ChannelDestroyed.
        return this.h.channelGone(e.channelId, 16);
      case 'recordingFinished':
        if (ctx.calls.recordingByName(e.name)) ctx.recordings.fetch(e.name);
        return;
      case 'recordingFailed': {
        const rec = ctx.calls.recordingByName(e.name);
        if (rec) {
          ctx.calls.recordingFailed(e.name, `PBX: ${e.cause}`);
          ctx.events.emit('recording.failed', { callId: rec.callId, error: e.cause, at: ctx.now() });
          ctx.logger.error('recording failed on the PBX', { callId: rec.callId, cause: e.cause });
        }
        return;
      }
      case 'dtmf':
        return this.h.dtmf(e.channelId, e.digit);
      case 'playbackFinished':
        ctx.playbacks.get(e.playbackId)?.();
        ctx.playbacks.delete(e.playbackId);
        return;
      default:
        return;
    }
  }
}
