// A caller arrives: the call is logged on the line of the number they
// dialled (the default line for an unknown number), announced to everyone
// (call.arrived: screen pop, wallboard), queued, and given ringback or
// music. Callers arriving in the same instant are admitted together.
import { randomUUID } from 'node:crypto';
import type { PbxChannel } from '../../telephony/ports.js';
import type { CallRecord } from '../calls/repository.js';
import type { Line } from '../lines/repository.js';
import type { RoutingContext } from './context.js';
import { isBusy } from './busy-retry.js';

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
export async function admitCall(ctx: RoutingContext, a: Arrival): Promise<CallRecord | null> {
  return (await admitCalls(ctx, [a]))[0] ?? null;
}

/**
 * Callers who arrived together (one step of the serial queue): their calls
 * are stored in one transaction, announced, queued with their timers, and
 * then one dispatch round rings operators and sends the cards. Ringback or
 * music follows the cards: each caller's row is stored before any PBX
 * command about it, and no card waits for another caller's PBX request.
 */
export async function admitCalls(ctx: RoutingContext, arrivals: readonly Arrival[]): Promise<CallRecord[]> {
  const admitted = logArrivals(ctx, arrivals);
  try {
    for (const { call, arrival } of admitted) {
      try {
        ctx.enterQueue(call, arrival.line);
      } catch (err) {
        // The call is stored and waiting: the next dispatch round still finds it.
        ctx.logger.error('could not queue the call', { callId: call.id, err });
      }
    }
    await ctx.dispatch();
  } finally {
    for (const { call, arrival } of admitted) treatWaiting(ctx, call, arrival.line);
  }
  return admitted.map((x) => x.call);
}

/** Logs the call and tells everyone (call.arrived), without queueing it. */
export function logArrival(ctx: RoutingContext, a: Arrival): CallRecord {
  return logArrivals(ctx, [a])[0]!.call;
}

/**
 * Stores the calls (one transaction for all), then logs and announces each
 * (call.arrived) once committed. An arrival whose row cannot be written does
 * not keep the others out: they are then stored one by one. A busy database
 * fails the whole step, which the serial queue tries again.
 */
function logArrivals(ctx: RoutingContext, arrivals: readonly Arrival[]): { call: CallRecord; arrival: Arrival }[] {
  const store = (arrival: Arrival) => ({ arrival, call: ctx.calls.create(newCall(arrival)) });
  let admitted: { call: CallRecord; arrival: Arrival }[];
  try {
    admitted = ctx.db.transaction(() => arrivals.map(store))();
  } catch (err) {
    if (arrivals.length === 1 || isBusy(err)) throw err;
    admitted = arrivals.flatMap((arrival) => {
      try {
        return [store(arrival)];
      } catch (e) {
        ctx.logger.error('could not store an arriving call', { channelId: arrival.channel.id, err: e });
        return [];
      }
    });
  }
  for (const { call, arrival } of admitted) {
    const { channel, did, line, timing } = arrival;
    // Latency diagnostics: channel created → PBX emitted StasisStart → we received it → we process it.
    const created = parseAriTime(channel.creationTime);
    const emitted = timing?.emittedAt ? parseAriTime(timing.emittedAt) : null;
    ctx.logger.info('call arrived', {
      callId: call.id, did, caller: call.callerNumber, line: line?.name ?? null, entryDigit: arrival.entry?.digit,
      pbxMs: created !== null && emitted !== null ? emitted - created : null,
      transportMs: emitted !== null && timing ? timing.receivedAt - emitted : null,
      queueMs: timing ? Date.now() - timing.receivedAt : null,
      batch: arrivals.length,
    });
    ctx.events.emit('call.arrived', { callId: call.id, lineId: call.lineId, did: call.did, caller: call.callerNumber, at: call.arrivedAt });
  }
  return admitted;
}

function newCall(a: Arrival): Parameters<RoutingContext['calls']['create']>[0] {
  const { channel, did, line, arrivedAt } = a;
  return {
    id: randomUUID(),
    controller: 'ari',
    lineId: line?.id ?? null,
    did: did || 'unknown',
    callerNumber: channel.callerNumber || 'anonymous',
    callerName: channel.callerName || null,
    callerChannelId: channel.id,
    arrivedAt,
    entry: a.entry,
  };
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
