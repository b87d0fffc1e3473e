// Call routing: takes every inbound call and keeps it in the queue until
// someone answers: offered to the longest-idle available operator (ring
// timeout, then the next; the queue policy in domain/queue-policy.ts decides
// who gets which caller), with the line's mobile group rung as well after N
// seconds, with nobody logged in, or out of hours (overflow.ts). Only the
// line's maximum wait turns a call nobody reached into a goodbye and a
// callback task. It acts only on the calls it controls (controller 'ari').
//
// Asterisk holds the live call; the database holds what we know of it.
// Every PBX event and timer runs through one serial queue, and every state
// change is a guarded transaction, so replays and resyncs never double-count.
// Callers arriving back to back share one step (one transaction for their
// rows, one dispatch round, every card before any PBX request about them).
//
// This class is the composition and the public surface; the work is in:
//   serial-queue.ts, intake.ts     event intake (PBX events in, one queue)
//   scheduler.ts                   the queue's timers and dispatch rounds;
//                                  domain/queue-policy.ts decides (pure)
//   arrival.ts, offer.ts, connect.ts, transfer.ts, overflow.ts,
//   goodbye.ts, callback.ts, hangups.ts, operator-release.ts   one action each
//   entry-menu.ts                  the optional per-line menu before the queue
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { PbxChannel, PbxEvent, PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { Db } from '../../store/db.js';
import { CallTimers } from './timers.js';
import { MobileOverflow } from './overflow.js';
import { MissedOffers } from './missed-offers.js';
import { callerIdOf, type RouterOptions, type RoutingContext } from './context.js';
import { SerialQueue } from './serial-queue.js';
import { EventIntake, inboundArrival, type ChannelOwner, type InboundArrival } from './intake.js';
import { OfferCooldown, Scheduler } from './scheduler.js';
import { admitCalls, lineForDid, type Arrival } from './arrival.js';
import { isBusy } from './busy-retry.js';
import { closeOffer, originate } from './offer.js';
import { connectAnswered } from './connect.js';
import { transferAnswered, transferCall, type TransferTarget } from './transfer.js';
import { channelGone, endCall, finishConnected } from './hangups.js';
import { callerAskedForCallback } from './callback.js';
import { OperatorRelease } from './operator-release.js';
import { EntryMenus } from './entry-menu.js';

export type { ChannelOwner } from './intake.js';
export type { RouterOptions } from './context.js';

export class CallRouter {
  private readonly queue: SerialQueue;
  private readonly ctx: RoutingContext;
  private readonly intake: EventIntake;
  private readonly scheduler: Scheduler;
  private readonly release: OperatorRelease;
  private readonly menus: EntryMenus;
  /** An 'operator-available' dispatch round is queued and has not started. */
  private availableRoundQueued = false;

  constructor(db: Db, pbx: PbxPort, calls: CallRepository, lines: LineRepository, operators: OperatorService, recordings: RecordingService, events: CallEvents, clock: Clock, logger: Logger, opts: RouterOptions) {
    const queue = new SerialQueue(logger);
    this.queue = queue;
    const timers = new CallTimers((what, fn) => queue.enqueue(what, fn));
    const ctx: RoutingContext = {
      db, pbx, calls, lines, operators, recordings, events, clock, logger, opts,
      timers,
      overflow: new MobileOverflow({
        calls, lines, events, clock, logger, timers, trunkEndpoint: opts.trunkEndpoint, trunkOf: opts.trunkOf,
        ring: (callId, channelId, req, who) => originate(ctx, callId, channelId, req, who),
        callerIdOf,
      }),
      missed: new MissedOffers(operators, opts.autoPauseAfterMissed ?? 0, logger),
      cooldown: new OfferCooldown(),
      playbacks: new Map(),
      now: () => clock.now().toISOString(),
      enqueue: (what, fn) => queue.enqueue(what, fn),
      background: (what, callId, p) => {
        p.catch((err: unknown) => logger.warn(`PBX command failed: ${what}`, { callId, err }));
      },
      dispatch: () => this.scheduler.dispatch(),
      enterQueue: (call, line) => this.scheduler.enterQueue(call, line),
      disarm: (callId) => {
        timers.disarm(callId);
        ctx.cooldown.forget(callId);
      },
      startOverflow: (callId, reason) => {
        // Rings the line's mobiles as well; the caller stays in the queue whatever happens.
        if (ctx.overflow.start(callId, reason) || reason === 'timeout') return;
        logger.warn('no overflow mobiles for this line; the call waits for an operator until the maximum wait', { callId, reason });
      },
      originate: (callId, channelId, req, who) => originate(ctx, callId, channelId, req, who),
      closeOffer: (channelId, result) => closeOffer(ctx, channelId, result),
      endCall: (callId, outcome, reason, callback) => endCall(ctx, callId, outcome, reason, callback),
      releaseOperator: (userId, callId, afterTalk) => this.release.release(userId, callId, afterTalk),
    };
    this.ctx = ctx;
    this.scheduler = new Scheduler(ctx);
    this.release = new OperatorRelease(ctx);
    this.menus = new EntryMenus(ctx);
    this.intake = new EventIntake(ctx, {
      inbound: (arrival) => this.onArrivals([arrival]),
      offerAnswered: (channel, callId) => connectAnswered(ctx, channel, callId),
      transferAnswered: (channel, callId) => transferAnswered(ctx, channel, callId),
      channelGone: async (channelId, cause) => {
        if (!(await this.menus.gone(channelId))) await channelGone(ctx, channelId, cause);
      },
      dtmf: async (channelId, digit) => {
        await this.menus.dtmf(channelId, digit);
      },
    });
    pbx.onEvent((e) => {
      const receivedAt = Date.now();
      const arrival = inboundArrival(e, receivedAt);
      // Callers arriving back to back (nothing else queued between them) are admitted in one step.
      if (arrival) void this.queue.enqueueBatch('pbx:arrivals', arrival, (batch) => this.onArrivals(batch));
      // Channels gone back to back (a burst of callers hanging up, their offer legs with them) share one step and one dispatch round.
      else if (e.type === 'channelDestroyed' || e.type === 'channelLeft') void this.queue.enqueueBatch('pbx:gone', { e, receivedAt }, (batch) => this.onGone(batch));
      else void this.enqueue(`pbx:${e.type}`, () => this.handle(e, receivedAt));
    });
    operators.on('changed', (op) => {
      // One queued round sees every operator freed before it starts: no second one while it waits.
      if (op.state !== 'available' || this.availableRoundQueued) return;
      this.availableRoundQueued = true;
      void this.enqueue('operator-available', () => {
        this.availableRoundQueued = false;
        return this.dispatch();
      });
    });
  }

  /**
   * Lets another feature own the channels that enter the app with its own
   * first argument (e.g. supervision's snoop and supervisor legs), handled in
   * the same serial queue.
   */
  registerChannelOwner(kind: string, owner: ChannelOwner): void {
    this.intake.registerChannelOwner(kind, owner);
  }

  /**
   * Runs work strictly one after another; a failure is logged, never fatal.
   * A step that finds the database busy (another process holding the write
   * lock past busy_timeout) is tried again a few times before giving up.
   */
  enqueue(what: string, fn: () => Promise<void> | void): Promise<void> {
    return this.queue.enqueue(what, fn);
  }

  /** Runs a step in the queue and hands back its result (API commands). */
  run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(what, fn);
  }

  /** Waits for everything queued so far (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  stop(): void {
    this.queue.stop();
    this.ctx.timers.clear();
    this.release.stop();
    this.scheduler.stop();
    this.menus.stop();
  }

  handle(e: PbxEvent, receivedAt = Date.now()): Promise<void> {
    return this.intake.handle(e, receivedAt);
  }

  /**
   * A caller entered the app (or is adopted by resync): logged and queued on
   * the line of their DID, or first through that line's entry menu.
   */
  onInbound(channel: PbxChannel, did: string, arrivedAt?: string): Promise<void> {
    return this.onArrivals([{ channel, did, arrivedAt }]);
  }

  /**
   * Callers who entered the app together: each goes to its line's entry
   * menu, or is admitted with the others (one transaction, one dispatch
   * round, the cards before any PBX request: arrival.ts admitCalls).
   */
  private async onArrivals(batch: readonly InboundArrival[]): Promise<void> {
    const admit: Arrival[] = [];
    const seen = new Set<string>();
    for (const { channel, did, arrivedAt, timing } of batch) {
      if (seen.has(channel.id)) continue;
      seen.add(channel.id);
      try {
        if (this.ctx.calls.byCallerChannel(channel.id) || this.menus.has(channel.id)) continue; // already ours (replay or resync)
        const arrival: Arrival = { channel, did, line: lineForDid(this.ctx, did, channel), arrivedAt: arrivedAt ?? this.ctx.now(), timing };
        if (!this.menus.start(arrival)) admit.push(arrival);
      } catch (err) {
        if (isBusy(err)) throw err; // the whole step is tried again
        this.ctx.logger.error('could not take an arriving call', { channelId: channel.id, err });
      }
    }
    if (admit.length > 0) await admitCalls(this.ctx, admit);
  }

  /**
   * Channels that went away back to back, handled in order in one step (each
   * as alone: a failure is logged and the next is handled), with one
   * dispatch round at the end instead of one per channel.
   */
  private onGone(batch: readonly { e: PbxEvent; receivedAt: number }[]): Promise<void> {
    return this.scheduler.holdingDispatch(async () => {
      for (const { e, receivedAt } of batch) {
        try {
          await this.handle(e, receivedAt);
        } catch (err) {
          if (isBusy(err)) throw err; // the whole step is tried again; handling a gone channel twice changes nothing
          this.ctx.logger.error('routing step failed', { what: `pbx:${e.type}`, err, stack: (err as Error).stack });
        }
      }
    });
  }

  /** Was this caller's last key pressed in the entry menu (so not a request for a callback)? Asked once per key. */
  keyTakenByEntryMenu(channelId: string): boolean {
    return this.menus.takeKeyMark(channelId);
  }

  /** Puts queued callers through to free operators, as the queue policy decides. */
  dispatch(): Promise<void> {
    return this.scheduler.dispatch();
  }

  /** Blind transfer of a connected call (transfer.ts); null when started, else why not. */
  transfer(callId: string, byUserId: number, target: TransferTarget): Promise<string | null> {
    return transferCall(this.ctx, callId, byUserId, target);
  }

  /** The waiting caller pressed 1 (wait-announcements.ts): a short confirmation, hang up, a task that keeps their place. */
  callerAskedForCallback(callId: string, prompt: string[]): Promise<void> {
    return callerAskedForCallback(this.ctx, callId, prompt);
  }

  /** Back to idle, or wrap-up first after a call they talked on. */
  releaseOperator(userId: number, callId: string, afterTalk: boolean): void {
    this.release.release(userId, callId, afterTalk);
  }

  armWrapup(userId: number, callId: string, delayMs: number): void {
    this.release.armWrapup(userId, callId, delayMs);
  }

  // ---- used by resync -----------------------------------------------------

  /** Re-adopts a waiting call after a restart: timers from its arrival time, then routing. */
  async readoptWaiting(call: CallRecord): Promise<void> {
    const line = call.lineId ? this.ctx.lines.get(call.lineId) : null;
    this.ctx.disarm(call.id);
    await this.scheduler.routeWaiting(call, line);
  }

  /** Is this caller in an entry menu now (not yet a call of any queue)? */
  inEntryMenu(channelId: string): boolean {
    return this.menus.has(channelId);
  }

  /** Callers who hung up in an entry menu while Pult was away: logged as abandoned. */
  entryMenusGone(alive: ReadonlySet<string>): Promise<number> {
    return this.menus.dropGone(alive);
  }

  answeredWhileAway(channel: PbxChannel, callId: string): Promise<void> {
    return connectAnswered(this.ctx, channel, callId);
  }

  endWhileAway(call: CallRecord): Promise<void> {
    if (call.state === 'connected') return finishConnected(this.ctx, call, 'ended while Pult was disconnected');
    return this.ctx.endCall(call.id, 'abandoned', 'caller hung up while Pult was disconnected');
  }

  /** An operator let an offer of another feature (an outbound call) ring out: same count as routing's own. */
  offerRangOut(userId: number): void {
    this.ctx.missed.rangOut(userId);
  }

  offerLost(channelId: string): Promise<void> {
    return this.ctx.closeOffer(channelId, 'lost');
  }
}
