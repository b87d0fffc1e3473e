// A caller arrives: the call is logged on the line of the number they
// dialled (the default line for an unknown number), announced to everyone
// (call.arrived: screen pop, wallboard), given ringback or music, and queued.
import { randomUUID } from 'node:crypto';
import type { PbxChannel } from '../../telephony/ports.js';
import type { CallRecord } from '../calls/repository.js';
import type { Line } from '../lines/repository.js';
import type { RoutingContext } from './context.js';

export interface Arrival {
  channel: PbxChannel;
  did: string;
  /** The line the call is queued on (found by DID, or chosen in the entry menu). */
  line: Line | null;
  arrivedAt: string;
  /** Latency diagnostics of the PBX event that brought it. */
  timing?: { emittedAt?: string; receivedAt: number };
  /** The entry menu the caller went through: its line and the key pressed (null: none). */
  entry?: { lineId: number; digit: string | null };
}

/** The line a dialled number belongs to; an unknown number goes to the default line. */
export function lineForDid(ctx: RoutingContext, did: string, channel: PbxChannel): Line | null {
  const line = ctx.lines.findByDid(did);
  if (line) return line;
  const fallback = ctx.lines.defaultLine();
  ctx.logger.warn('call to an unknown DID; routed to the default line', { did, channelId: channel.id, caller: channel.callerNumber, line: fallback?.name ?? null });
  return fallback;
}

/** Logs the call, tells everyone, and puts the caller in the queue. */
export async function admitCall(ctx: RoutingContext, a: Arrival): Promise<CallRecord> {
  const call = logArrival(ctx, a);
  treatWaiting(ctx, call, a.line);
  await ctx.routeWaiting(call, a.line);
  return call;
}

/** Logs the call and tells everyone (call.arrived), without queueing it. */
export function logArrival(ctx: RoutingContext, a: Arrival): CallRecord {
  const { channel, did, line, arrivedAt, timing } = a;
  const callId = randomUUID();
  const call = ctx.calls.create({
    id: callId,
    controller: 'ari',
    lineId: line?.id ?? null,
    did: did || 'unknown',
    callerNumber: channel.callerNumber || 'anonymous',
    callerName: channel.callerName || null,
    callerChannelId: channel.id,
    arrivedAt,
    entry: a.entry,
  });
  // Latency diagnostics: channel created → PBX emitted StasisStart → we received it → we process it.
  const created = parseAriTime(channel.creationTime);
  const emitted = timing?.emittedAt ? parseAriTime(timing.emittedAt) : null;
  ctx.logger.info('call arrived', {
    callId, did, caller: call.callerNumber, line: line?.name ?? null, entryDigit: a.entry?.digit,
    pbxMs: created !== null && emitted !== null ? emitted - created : null,
    transportMs: emitted !== null && timing ? timing.receivedAt - emitted : null,
    queueMs: timing ? Date.now() - timing.receivedAt : null,
  });
  ctx.events.emit('call.arrived', { callId, lineId: call.lineId, did: call.did, caller: call.callerNumber, at: arrivedAt });
  return call;
}

/** The caller hears ringback (not answered yet) or music (answered). */
function treatWaiting(ctx: RoutingContext, call: CallRecord, line: Line | null): void {
  const treat = line?.waitTreatment === 'moh'
    ? ctx.pbx.answer(call.callerChannelId).then(() => ctx.pbx.startMoh(call.callerChannelId))
    : ctx.pbx.ring(call.callerChannelId);
  ctx.background('ringback/music for the caller', call.id, treat);
}

/** ARI times look like 2026-05-01T12:00:00.123+0300. */
function parseAriTime(t: string): number | null {
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}
