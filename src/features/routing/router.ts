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
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { isOpen } from '../../domain/working-hours.js';
import { assignOperators, type QueuedCall } from '../../domain/queue-policy.js';
import { unansweredReason, type OriginateRequest, type PbxChannel, type PbxEvent, type PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallOutcome, CallRecord, CallRepository, Offer } from '../calls/repository.js';
import type { Line, LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { Db } from '../../store/db.js';
import { retryBusy } from './busy-retry.js';
import { CallTimers } from './timers.js';
import { MobileOverflow } from './overflow.js';
import { MissedOffers } from './missed-offers.js';
import { deskEndpoint, trunkEndpoint } from '../../telephony/ari/endpoints.js';

export interface ChannelOwner {
  entered(channel: PbxChannel, args: string[]): Promise<void> | void;
  gone?(channelId: string, cause: number): void;
}

export interface RouterOptions {
  trunkEndpoint: string;
  timeZone: string;
  wrapupSec: number;
  /** An operator who failed or did not answer is not offered the same call again for this long, ms. */
  retryCooldownMs?: number;
  /** The prompt a caller hears before we hang up on a call nobody could take. */
  unansweredPrompt?: string[];
  promptLang?: string;
  /** Pause an operator (reason «Не отвечает») after this many offers in a row rang out; 0 or unset = never. */
  autoPauseAfterMissed?: number;
}

const recordingName = (callId: string) => `pult-${callId}`;
const bridgeName = (callId: string) => `${callId}-b`;

export class CallRouter {
  private queue: Promise<void> = Promise.resolve();
  private readonly timers: CallTimers;
  private readonly overflow: MobileOverflow;
  private readonly missed: MissedOffers;
  private cooldown = new Map<string, Map<number, number>>();
  private dispatchTimer: NodeJS.Timeout | null = null;
  private wrapupTimers = new Map<number, NodeJS.Timeout>();
  private stopped = false;
  private playbacks = new Map<string, () => void>();
  private channelOwners = new Map<string, ChannelOwner>();

  constructor(
    private readonly db: Db,
    private readonly pbx: PbxPort,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly operators: OperatorService,
    private readonly recordings: RecordingService,
    private readonly events: CallEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: RouterOptions,
  ) {
    this.timers = new CallTimers((what, fn) => this.enqueue(what, fn));
    this.overflow = new MobileOverflow({
      calls, lines, events, clock, logger, timers: this.timers, trunkEndpoint: opts.trunkEndpoint,
      ring: (callId, channelId, req, who) => this.originate(callId, channelId, req, who),
      callerIdOf,
    });
    this.missed = new MissedOffers(operators, opts.autoPauseAfterMissed ?? 0, logger);
    pbx.onEvent((e) => {
      const receivedAt = Date.now();
      void this.enqueue(`pbx:${e.type}`, () => this.handle(e, receivedAt));
    });
    operators.on('changed', (op) => {
      if (op.state === 'available') void this.enqueue('operator-available', () => this.dispatch());
    });
  }

  /**
   * Lets another feature own the channels that enter the app with its own
   * first argument (e.g. supervision's snoop and supervisor legs), handled in
   * the same serial queue.
   */
  registerChannelOwner(kind: string, owner: ChannelOwner): void {
    if (kind === 'inbound' || kind === 'offer' || kind === 'transfer') throw new Error(`"${kind}" belongs to routing`);
    this.channelOwners.set(kind, owner);
  }

  /**
   * Runs work strictly one after another; a failure is logged, never fatal.
   * A step that finds the database busy (another process holding the write
   * lock past busy_timeout) is tried again a few times before giving up.
   */
  enqueue(what: string, fn: () => Promise<void> | void): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await this.retryBusy(what, fn);
      } catch (err) {
        this.logger.error('routing step failed', { what, err, stack: (err as Error).stack });
      }
    });
    this.queue = next;
    return next;
  }

  /** Runs a step in the queue and hands back its result (API commands). */
  run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.enqueue(what, async () => {
        try {
          resolve(await this.retryBusy(what, fn));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  private retryBusy<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
    return retryBusy(fn, { onRetry: (attempt) => this.logger.warn('database busy: retrying the routing step', { what, attempt }), giveUp: () => this.stopped });
  }

  /** Waits for everything queued so far (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.stopped = true;
    this.timers.clear();
    for (const t of this.wrapupTimers.values()) clearTimeout(t);
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  // ---- PBX events ---------------------------------------------------------

  async handle(e: PbxEvent, receivedAt = Date.now()): Promise<void> {
    switch (e.type) {
      case 'channelEntered': {
        const [kind, ...rest] = e.args;
        if (kind === 'inbound') return this.onInbound(e.channel, rest[0] ?? '', undefined, { emittedAt: e.at, receivedAt });
        if (kind === 'offer') return this.onOfferAnswered(e.channel, rest[0] ?? '');
        if (kind === 'transfer') return this.onTransferAnswered(e.channel, rest[0] ?? '');
        const owner = kind ? this.channelOwners.get(kind) : undefined;
        if (owner) return owner.entered(e.channel, rest);
        this.logger.warn('channel entered the app with unknown arguments; hanging up', { channelId: e.channel.id, args: e.args });
        return this.pbx.hangup(e.channel.id);
      }
      case 'channelDestroyed':
        for (const o of this.channelOwners.values()) o.gone?.(e.channelId, e.cause);
        return this.onChannelGone(e.channelId, e.cause);
      case 'channelLeft':
        for (const o of this.channelOwners.values()) o.gone?.(e.channelId, 16);
        // Asterisk stops telling an app about a channel once it leaves the
        // app, so a hang-up in Stasis may bring StasisEnd and no ChannelDestroyed.
        return this.onChannelGone(e.channelId, 16);
      case 'recordingFinished':
        if (this.calls.recordingByName(e.name)) this.recordings.fetch(e.name);
        return;
      case 'recordingFailed': {
        const rec = this.calls.recordingByName(e.name);
        if (rec) {
          this.calls.recordingFailed(e.name, `PBX: ${e.cause}`);
          this.events.emit('recording.failed', { callId: rec.callId, error: e.cause, at: this.now() });
          this.logger.error('recording failed on the PBX', { callId: rec.callId, cause: e.cause });
        }
        return;
      }
      case 'playbackFinished':
        this.playbacks.get(e.playbackId)?.();
        this.playbacks.delete(e.playbackId);
        return;
      default:
        return;
    }
  }

  async onInbound(channel: PbxChannel, did: string, arrivedAt = this.now(), timing?: { emittedAt?: string; receivedAt: number }): Promise<void> {
    if (this.calls.byCallerChannel(channel.id)) return; // already ours (replay or resync)
    let line = this.lines.findByDid(did);
    if (!line) {
      line = this.lines.defaultLine();
      this.logger.warn('call to an unknown DID; routed to the default line', { did, channelId: channel.id, caller: channel.callerNumber, line: line?.name ?? null });
    }
    const callId = randomUUID();
    const call = this.calls.create({
      id: callId,
      controller: 'ari',
      lineId: line?.id ?? null,
      did: did || 'unknown',
      callerNumber: channel.callerNumber || 'anonymous',
      callerName: channel.callerName || null,
      callerChannelId: channel.id,
      arrivedAt,
    });
    // Latency diagnostics: channel created → PBX emitted StasisStart → we received it → we process it.
    const created = parseAriTime(channel.creationTime);
    const emitted = timing?.emittedAt ? parseAriTime(timing.emittedAt) : null;
    this.logger.info('call arrived', {
      callId, did, caller: call.callerNumber, line: line?.name ?? null,
      pbxMs: created !== null && emitted !== null ? emitted - created : null,
      transportMs: emitted !== null && timing ? timing.receivedAt - emitted : null,
      queueMs: timing ? Date.now() - timing.receivedAt : null,
    });
    this.events.emit('call.arrived', { callId, lineId: call.lineId, did: call.did, caller: call.callerNumber, at: arrivedAt });
    this.treatWaiting(call, line);
    await this.routeWaiting(call, line);
  }

  /** The caller hears ringback (not answered yet) or music (answered). */
  private treatWaiting(call: CallRecord, line: Line | null): void {
    const treat = line?.waitTreatment === 'moh'
      ? this.pbx.answer(call.callerChannelId).then(() => this.pbx.startMoh(call.callerChannelId))
      : this.pbx.ring(call.callerChannelId);
    this.background('ringback/music for the caller', call.id, treat);
  }

  /**
   * PBX commands whose outcome the routing state does not wait for run
   * outside the serial queue, so one slow round trip never holds up the
   * next call; failures are logged (and events tell us what happened).
   */
  private background(what: string, callId: string, p: Promise<unknown>): void {
    p.catch((err: unknown) => this.logger.warn(`PBX command failed: ${what}`, { callId, err }));
  }

  /**
   * Arms the max-wait (and overflow) timers from the call's arrival and
   * decides the first step; also re-adopts a queued call after a restart.
   */
  private async routeWaiting(call: CallRecord, line: Line | null): Promise<void> {
    const at = this.clock.now();
    const elapsed = (at.getTime() - new Date(call.arrivedAt).getTime()) / 1000;
    this.timers.arm(call.id, Math.max(0, (line?.maxWaitSec ?? 300) - elapsed), 'max-wait', () => this.onMaxWait(call.id));
    if (call.state === 'overflow') this.overflow.resume(call);
    else if (line && !isOpen(line.workingHours, at, this.opts.timeZone)) this.startOverflow(call.id, 'after-hours');
    else if (this.operators.loggedInCount(line?.tenantId ?? null) === 0) this.startOverflow(call.id, 'no-operators');
    else this.timers.arm(call.id, Math.max(0, (line?.overflowAfterSec ?? 20) - elapsed), 'overflow-timer', () => this.startOverflow(call.id, 'timeout'));
    await this.dispatch();
  }

  private disarm(callId: string): void {
    this.timers.disarm(callId);
    this.cooldown.delete(callId);
  }

  /** Rings the line's mobiles as well; the caller stays in the queue whatever happens. */
  private startOverflow(callId: string, reason: string): void {
    if (this.overflow.start(callId, reason) || reason === 'timeout') return;
    this.logger.warn('no overflow mobiles for this line; the call waits for an operator until the maximum wait', { callId, reason });
  }

  // ---- offering to operators ---------------------------------------------

  /**
   * Puts queued calls (waiting or overflowed: mobiles ringing does not take
   * a caller out of the queue) through to free operators, as the queue
   * policy decides: highest-priority line first, oldest caller first,
   * longest-idle operator first.
   */
  async dispatch(): Promise<void> {
    const queued = this.calls.open('ari').filter((c) => c.state === 'waiting' || c.state === 'overflow');
    if (queued.length === 0) return;
    const nowMs = this.clock.now().getTime();
    let nextRetry = Infinity;
    const loggedIn = new Map<number | null, number>();
    const ringing = this.calls.callsWithOperatorRinging();
    const input: QueuedCall[] = [];
    for (const call of queued) {
      const line = call.lineId ? this.lines.get(call.lineId) : null;
      const tenantId = line?.tenantId ?? null;
      let count = loggedIn.get(tenantId);
      if (count === undefined) loggedIn.set(tenantId, (count = this.operators.loggedInCount(tenantId)));
      if (count === 0) {
        if (call.state === 'waiting') this.startOverflow(call.id, 'no-operators');
        continue;
      }
      const excluded = new Set<number>();
      for (const [userId, until] of this.cooldown.get(call.id) ?? []) {
        if (until <= nowMs) continue;
        excluded.add(userId);
        nextRetry = Math.min(nextRetry, until);
      }
      const operatorRinging = ringing.has(call.id);
      input.push({ callId: call.id, priority: line?.priority ?? 0, arrivedAt: call.arrivedAt, tenantId, operatorRinging, excluded });
    }
    if (input.some((c) => !c.operatorRinging)) {
      const byId = new Map(queued.map((c) => [c.id, c]));
      for (const d of assignOperators(input, this.operators.takingCalls())) await this.offerToOperator(byId.get(d.callId)!, d.userId);
    }
    if (nextRetry !== Infinity) this.scheduleDispatch(nextRetry - nowMs);
  }

  private scheduleDispatch(delayMs: number): void {
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
    this.dispatchTimer = setTimeout(() => {
      this.dispatchTimer = null;
      void this.enqueue('dispatch-retry', () => this.dispatch());
    }, Math.max(50, delayMs));
  }

  private async offerToOperator(call: CallRecord, userId: number): Promise<void> {
    const op = this.operators.mustGet(userId);
    const line = call.lineId ? this.lines.get(call.lineId) : null;
    const channelId = `${call.id}-o${this.calls.offers(call.id).length + 1}`;
    const at = this.now();
    this.db.transaction(() => {
      this.calls.addOffer({ callId: call.id, channelId, targetKind: 'operator', userId, target: deskEndpoint(op.extension), offeredAt: at });
      this.operators.setActivity(userId, 'ringing', call.id);
    })();
    this.events.emit('call.offered', { callId: call.id, kind: 'operator', userId, target: op.extension, at });
    this.logger.info('offering call to operator', { callId: call.id, operator: op.login, extension: op.extension });
    this.originate(call.id, channelId, {
      channelId,
      endpoint: deskEndpoint(op.extension),
      callerId: callerIdOf(call),
      timeoutSec: line?.ringTimeoutSec ?? 15,
      appArgs: ['offer', call.id],
      // The softphone matches the ringing SIP call to its card by this header.
      variables: { PULT_CALL_ID: call.id, 'PJSIP_HEADER(add,X-Pult-Call-Id)': call.id },
    }, `operator ${op.login}`);
  }

  /** Rings a leg without holding the queue; a refused originate closes the offer as failed. */
  private originate(callId: string, channelId: string, req: OriginateRequest, who: string): void {
    this.pbx.originate(req).catch((err: unknown) => {
      this.logger.warn('could not ring', { callId, who, err });
      void this.enqueue('originate-failed', () => this.closeOffer(channelId, 'failed'));
    });
  }

  /** The line's maximum wait: the only moment the router gives up on a caller. */
  private async onMaxWait(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call || (call.state !== 'waiting' && call.state !== 'overflow')) return;
    return this.endUnanswered(callId, 'nobody answered within the maximum wait');
  }

  // ---- answer, hang-ups ---------------------------------------------------

  private async onOfferAnswered(channel: PbxChannel, callId: string): Promise<void> {
    const offer = this.calls.offerByChannel(channel.id);
    const call = this.calls.get(callId);
    if (!offer || !call || offer.callId !== callId || call.controller !== 'ari') {
      this.logger.warn('answered leg belongs to no call we know; hanging up', { channelId: channel.id, callId });
      return this.pbx.hangup(channel.id);
    }
    if (call.state !== 'waiting' && call.state !== 'overflow') {
      this.logger.info('late answer after the call was taken or ended; hanging up that leg', { callId, channelId: channel.id });
      await this.closeOffer(channel.id, 'late');
      return this.pbx.hangup(channel.id);
    }
    const at = this.now();
    const via = offer.targetKind === 'operator' ? 'console' : 'mobile';
    const bridgeId = bridgeName(callId);
    const ok = this.db.transaction(() => {
      if (!this.calls.connect(callId, { bridgeId, answeredAt: at, answeredBy: offer.userId, answeredVia: via, answeredChannelId: channel.id, answeredNumber: offer.target })) return false;
      if (offer.targetKind === 'operator' && offer.userId !== null) {
        this.operators.setActivity(offer.userId, 'oncall', callId);
        this.missed.answered(offer.userId);
      }
      this.calls.startRecording(callId, recordingName(callId), 'wav', at);
      return true;
    })();
    if (!ok) return this.pbx.hangup(channel.id);
    this.disarm(callId);
    this.logger.info('call answered', { callId, via, userId: offer.userId, target: offer.target });
    this.events.emit('call.answered', { callId, userId: offer.userId, via, at });
    for (const o of this.calls.openOffers(callId)) await this.cancelOffer(o);
    // Most often a failure here means the caller hung up in the same instant; the hang-up event ends the call.
    this.background('connect the answered call', callId, (async () => {
      await this.pbx.answer(call.callerChannelId);
      await this.pbx.createBridge(bridgeId);
      await this.pbx.addToBridge(bridgeId, [call.callerChannelId, channel.id]);
      await this.pbx.recordBridge(bridgeId, recordingName(callId), 'wav');
    })());
  }

  /**
   * Blind transfer, carried out by Pult: the operator's leg leaves at once
   * (they go to wrap-up), the caller hears ringing, the target is rung and
   * joins the call's bridge (the recording goes on) when they answer. If the
   * target does not answer, the call ends with a callback task.
   */
  async transfer(callId: string, byUserId: number, target: { userId: number; extension: string } | { number: string }): Promise<string | null> {
    const call = this.calls.get(callId);
    if (!call || call.controller !== 'ari' || call.state !== 'connected' || call.answeredBy !== byUserId || call.answeredVia !== 'console' || !call.answeredChannelId) {
      return 'the call is not connected to you';
    }
    const line = call.lineId ? this.lines.get(call.lineId) : null;
    if ('userId' in target && line?.tenantId != null && !this.operators.get(target.userId)?.tenantIds.includes(line.tenantId)) {
      return "the target operator does not serve the call's company";
    }
    const at = this.now();
    const operatorLeg = call.answeredChannelId;
    const label = 'userId' in target ? target.extension : target.number;
    const channelId = `${callId}-t${this.calls.offers(callId).length + 1}`;
    const ok = this.db.transaction(() => {
      if (!this.calls.startTransfer(callId, byUserId, label, at)) return false;
      if ('userId' in target) {
        this.calls.addOffer({ callId, channelId, targetKind: 'operator', userId: target.userId, target: deskEndpoint(target.extension), offeredAt: at });
        const op = this.operators.get(target.userId);
        if (op?.activity === 'idle') this.operators.setActivity(target.userId, 'ringing', callId);
      } else {
        this.calls.addOffer({ callId, channelId, targetKind: 'mobile', userId: null, target: target.number, offeredAt: at });
      }
      return true;
    })();
    if (!ok) return 'the call is not connected to you';
    this.logger.info('blind transfer', { callId, from: byUserId, to: label });
    this.releaseOperator(byUserId, callId, true);
    this.events.emit('call.offered', { callId, kind: 'userId' in target ? 'operator' : 'mobile', userId: 'userId' in target ? target.userId : null, target: label, at });
    this.background('transfer: release the operator, ring for the caller', callId, Promise.all([this.pbx.hangup(operatorLeg), this.pbx.ring(call.callerChannelId)]));
    this.originate(callId, channelId, {
      channelId,
      endpoint: 'userId' in target ? deskEndpoint(target.extension) : trunkEndpoint(target.number, this.opts.trunkEndpoint),
      callerId: callerIdOf(call),
      timeoutSec: line?.ringTimeoutSec ?? 30,
      appArgs: ['transfer', callId],
      variables: { PULT_CALL_ID: callId, 'PJSIP_HEADER(add,X-Pult-Call-Id)': callId },
    }, `transfer to ${label}`);
    return null;
  }

  private async onTransferAnswered(channel: PbxChannel, callId: string): Promise<void> {
    const offer = this.calls.offerByChannel(channel.id);
    const call = this.calls.get(callId);
    if (!offer || !call || !call.bridgeId || !this.calls.completeTransfer(callId, channel.id, offer.target, this.now())) {
      this.logger.info('transfer leg answered for a call that is over; hanging up', { callId, channelId: channel.id });
      return this.pbx.hangup(channel.id);
    }
    if (offer.targetKind === 'operator' && offer.userId !== null) this.operators.setActivity(offer.userId, 'oncall', callId);
    this.events.emit('call.answered', { callId, userId: offer.userId, via: offer.targetKind === 'operator' ? 'console' : 'mobile', at: this.now() });
    const bridgeId = call.bridgeId;
    this.background('connect the transfer target', callId, this.pbx.stopRing(call.callerChannelId).catch(() => undefined).then(() => this.pbx.addToBridge(bridgeId, [channel.id])));
  }

  private async onChannelGone(channelId: string, cause: number): Promise<void> {
    const asCaller = this.calls.byCallerChannel(channelId);
    // Outbound calls (callbacks, click-to-call) belong to their own channel owner.
    if (asCaller) return asCaller.controller === 'ari' && asCaller.direction === 'inbound' ? this.onCallerGone(asCaller) : undefined;
    const offer = this.calls.offerByChannel(channelId);
    if (!offer) return;
    const call = this.calls.get(offer.callId);
    if (call?.controller !== 'ari' || call.direction !== 'inbound') return;
    if (call && call.state === 'connected' && call.answeredChannelId === channelId) {
      return this.finishConnected(call, offer.targetKind === 'operator' ? 'operator hung up' : 'mobile hung up');
    }
    await this.closeOffer(channelId, unansweredReason(cause));
  }

  private async onCallerGone(call: CallRecord): Promise<void> {
    if (call.state === 'ended') return;
    if (call.state === 'connected') return this.finishConnected(call, 'caller hung up');
    await this.endCall(call.id, 'abandoned', 'caller hung up while waiting');
  }

  private async finishConnected(call: CallRecord, reason: string): Promise<void> {
    const outcome: CallOutcome = call.answeredVia === 'mobile' ? 'overflowed-answered' : 'answered';
    await this.endCall(call.id, outcome, reason);
  }

  /** Ends the call once: records it, releases everyone, frees the PBX side. */
  private async endCall(callId: string, outcome: CallOutcome, reason: string, callback?: 'unanswered' | 'caller-requested'): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) return;
    const at = this.now();
    const open = this.calls.openOffers(callId);
    if (!this.calls.end(callId, { endedAt: at, outcome, endReason: reason, callback })) return;
    this.disarm(callId);
    this.logger.info('call ended', { callId, outcome, reason });
    this.events.emit('call.ended', { callId, outcome, reason, at });
    if (outcome === 'abandoned' || outcome === 'unanswered' || callback) this.events.emit('callback.created', { callId, caller: call.callerNumber, reason: callback ?? outcome, at });
    for (const o of open) {
      if (o.targetKind === 'operator' && o.userId !== null) this.releaseOperator(o.userId, callId, false);
      this.background('hang up an offer leg', callId, this.pbx.hangup(o.channelId));
    }
    if (call.answeredBy !== null && call.answeredVia === 'console') this.releaseOperator(call.answeredBy, callId, true);
    // After a transfer, the operator now talking is the one on the answered leg.
    const talking = call.answeredChannelId ? this.calls.offerByChannel(call.answeredChannelId) : null;
    if (talking?.userId != null && talking.userId !== call.answeredBy && talking.targetKind === 'operator') this.releaseOperator(talking.userId, callId, true);
    if (call.state === 'connected') {
      const legs = [call.callerChannelId, call.answeredChannelId].filter((x): x is string => Boolean(x));
      // Destroying the bridge finishes its recording; RecordingFinished fetches the file.
      // The bridge goes whatever happened to the legs: destroying it finishes the recording.
      const bridgeId = call.bridgeId;
      this.background('release the call', callId, Promise.allSettled(legs.map((l) => this.pbx.hangup(l))).then(() => (bridgeId ? this.pbx.destroyBridge(bridgeId) : undefined)));
      // Do not depend on RecordingFinished alone: fetch (with retries) shortly after in any case.
      if (this.calls.recordingForCall(callId)) {
        const t = setTimeout(() => this.recordings.fetch(recordingName(callId)), 3000);
        t.unref();
      }
    }
    await this.dispatch();
  }

  /** The waiting caller pressed 1 (wait-announcements.ts): a short confirmation, hang up, a task that keeps their place. */
  callerAskedForCallback(callId: string, prompt: string[]): Promise<void> {
    return this.endUnanswered(callId, 'the caller asked to be called back', { prompt, callback: 'caller-requested' });
  }

  /** Nobody could take the call: say so politely, hang up, leave a callback task. */
  private async endUnanswered(callId: string, reason: string, o: { prompt?: string[]; callback?: 'caller-requested' } = {}): Promise<void> {
    const call = this.calls.get(callId);
    if (!call || call.state === 'ended' || call.state === 'connected') return;
    await this.endCall(callId, 'unanswered', reason, o.callback);
    const channelId = call.callerChannelId;
    const prompt = o.prompt ?? this.opts.unansweredPrompt ?? ['sound:im-sorry', 'sound:tt-allbusy', 'sound:goodbye'];
    const hangupLater = setTimeout(() => void this.pbx.hangup(channelId).catch(() => undefined), 15_000);
    const playbackId = `${callId}-bye`;
    const done = new Promise<void>((resolve) => this.playbacks.set(playbackId, resolve));
    void (async () => {
      try {
        await this.pbx.answer(channelId);
        await this.pbx.play(channelId, playbackId, prompt, this.opts.promptLang ?? 'ru');
        await done;
      } catch (err) {
        this.logger.warn('could not play the goodbye prompt; hanging up', { callId, err });
      }
      clearTimeout(hangupLater);
      this.playbacks.delete(playbackId);
      await this.pbx.hangup(channelId).catch(() => undefined);
    })();
  }

  private async cancelOffer(o: Offer): Promise<void> {
    if (!this.calls.endOffer(o.channelId, 'cancelled', this.now())) return;
    if (o.targetKind === 'operator' && o.userId !== null) this.releaseOperator(o.userId, o.callId, false);
    this.background('cancel an offer leg', o.callId, this.pbx.hangup(o.channelId));
  }

  /** An offer that ended without an answer: free the operator, try the next. */
  private async closeOffer(channelId: string, result: string): Promise<void> {
    const offer = this.calls.offerByChannel(channelId);
    if (!offer || !this.calls.endOffer(channelId, result, this.now())) return;
    this.events.emit('call.offerEnded', { callId: offer.callId, kind: offer.targetKind, userId: offer.userId, result, at: this.now() });
    const call = this.calls.get(offer.callId);
    if (call?.state === 'connected' && call.answeredChannelId === null && this.calls.openOffers(call.id).length === 0) {
      // The transfer target did not answer: the caller must not be lost.
      if (offer.targetKind === 'operator' && offer.userId !== null) this.releaseOperator(offer.userId, offer.callId, false);
      await this.endCall(call.id, 'answered', 'transfer target did not answer', 'unanswered');
      return;
    }
    if (offer.targetKind === 'operator' && offer.userId !== null) {
      const cool = this.cooldown.get(offer.callId) ?? new Map<number, number>();
      cool.set(offer.userId, this.clock.now().getTime() + (this.opts.retryCooldownMs ?? 2000));
      this.cooldown.set(offer.callId, cool);
      // Paused before the release, so the operator goes straight to "paused", never "available".
      if (result === 'noanswer') this.missed.rangOut(offer.userId);
      this.releaseOperator(offer.userId, offer.callId, false);
      await this.dispatch();
      return;
    }
    // A mobile that did not take it: rung again later; the caller stays in the queue.
    this.overflow.legEnded(offer);
  }

  /** Back to idle, or wrap-up first after a call they talked on. */
  releaseOperator(userId: number, callId: string, afterTalk: boolean): void {
    const op = this.operators.get(userId);
    if (!op || op.activityCallId !== callId) return;
    if (afterTalk && this.opts.wrapupSec > 0) {
      const until = new Date(this.clock.now().getTime() + this.opts.wrapupSec * 1000).toISOString();
      this.operators.setActivity(userId, 'wrapup', callId, until);
      this.armWrapup(userId, callId, this.opts.wrapupSec * 1000);
    } else {
      this.operators.setActivity(userId, 'idle', null);
    }
  }

  armWrapup(userId: number, callId: string, delayMs: number): void {
    const prev = this.wrapupTimers.get(userId);
    if (prev) clearTimeout(prev);
    this.wrapupTimers.set(
      userId,
      setTimeout(() => {
        this.wrapupTimers.delete(userId);
        void this.enqueue('wrapup-end', () => {
          const op = this.operators.get(userId);
          if (op?.activity === 'wrapup' && op.activityCallId === callId) this.operators.setActivity(userId, 'idle', null);
        });
      }, Math.max(0, delayMs)),
    );
  }

  // ---- used by resync -----------------------------------------------------

  /** Re-adopts a waiting call after a restart: timers from its arrival time, then routing. */
  async readoptWaiting(call: CallRecord): Promise<void> {
    const line = call.lineId ? this.lines.get(call.lineId) : null;
    this.disarm(call.id);
    await this.routeWaiting(call, line);
  }

  answeredWhileAway(channel: PbxChannel, callId: string): Promise<void> {
    return this.onOfferAnswered(channel, callId);
  }

  endWhileAway(call: CallRecord): Promise<void> {
    if (call.state === 'connected') return this.finishConnected(call, 'ended while Pult was disconnected');
    return this.endCall(call.id, 'abandoned', 'caller hung up while Pult was disconnected');
  }

  /** An operator let an offer of another feature (an outbound call) ring out: same count as routing's own. */
  offerRangOut(userId: number): void {
    this.missed.rangOut(userId);
  }

  offerLost(channelId: string): Promise<void> {
    return this.closeOffer(channelId, 'lost');
  }
}

/** ARI times look like 2026-05-01T12:00:00.123+0300. */
function parseAriTime(t: string): number | null {
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

function callerIdOf(call: CallRecord): string {
  const name = (call.callerName ?? '').replace(/["<>]/g, '');
  return name ? `"${name}" <${call.callerNumber}>` : call.callerNumber;
}
