// The "outbound call" action: Pult rings the operator's device first (the
// card of the number pops, as for an inbound call); when the operator
// answers, Pult dials the number over the trunk and bridges the two,
// recorded and logged as a call with direction 'outbound' (linked to its
// callback task, if any). Used by the automatic callbacks and by people's
// click-to-call alike. Its legs enter the app as ['outbound', callId, role]
// and are handled in the router's serial queue (registerChannelOwner).
//
// A call the operator places from their own phone (the console's dial pad:
// a sip.js INVITE, or a desk phone) enters Pult through the dialplan
// (['dial', …], see dial-in.ts): that channel is the operator's leg, already
// "answered" by its owner; Pult rings it back while it dials the number, and
// from there the call is the same as above.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { unansweredReason, type PbxChannel, type PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import type { LineRepository, Line } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { CallRouter } from '../routing/router.js';
import type { CallbackRepository } from './repository.js';
import { deskEndpoint, trunkEndpoint } from '../../telephony/ari/endpoints.js';
import type { OutboundRouter } from '../trunks/index.js';
import { bridgeName, legVariables, outboundLegOf, outboundNumberLeg, outboundOperatorLeg, recordingName } from '../../telephony/ari/names.js';

export type OutboundResult = 'connected' | 'operator-missed' | 'number-failed' | 'operator-left';

export interface OutboundOptions {
  trunkEndpoint: string;
  /** The trunk and caller id of a line's outbound calls (absent: trunkEndpoint and the line's first number). */
  route?: OutboundRouter;
  /** How long the number rings before the attempt counts as no answer. */
  numberRingSec: number;
}

export interface StartOutbound {
  userId: number;
  number: string;
  taskId: number | null;
  lineId: number | null;
}

const operatorLeg = outboundOperatorLeg;
const numberLeg = outboundNumberLeg;

export class OutboundCalls {
  private finishedHandlers: ((r: { callId: string; taskId: number | null; userId: number; result: OutboundResult }) => void)[] = [];
  /** Operator legs that came in from their own phones (channel id → call id). */
  private readonly phoneLegs = new Map<string, string>();

  constructor(
    private readonly d: {
      db: Db; pbx: PbxPort; router: CallRouter; calls: CallRepository; lines: LineRepository; operators: OperatorService;
      callbacks: CallbackRepository; recordings: RecordingService; events: CallEvents; clock: Clock; logger: Logger; opts: OutboundOptions;
    },
  ) {
    d.router.registerChannelOwner('outbound', {
      entered: (channel, args) => this.entered(channel, args[0] ?? '', args[1] ?? ''),
      gone: (channelId, cause) => {
        if (!outboundLegOf(channelId) && !this.phoneLegs.has(channelId)) return;
        void d.router.enqueue('outbound-leg-gone', () => this.legGone(channelId, cause));
      },
    });
  }

  /** Told after every outbound call ends (the scheduler learns about operators who did not answer). */
  onFinished(h: (r: { callId: string; taskId: number | null; userId: number; result: OutboundResult }) => void): void {
    this.finishedHandlers.push(h);
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }

  /** The line an operator's outbound call is logged on: the task's, else the first line of their companies. */
  lineFor(userId: number, lineId: number | null): Line | null {
    if (lineId !== null) return this.d.lines.get(lineId);
    const op = this.d.operators.get(userId);
    return this.d.lines.list().find((l) => l.tenantId !== null && op?.tenantIds.includes(l.tenantId)) ?? this.d.lines.defaultLine();
  }

  /** Is a callback already being dialled for this task? */
  inProgress(taskId: number): boolean {
    return this.d.calls.openOutbound().some((c) => c.callbackTaskId === taskId);
  }

  /**
   * Rings the operator for `number`. Runs in the router's queue. Returns the
   * new call's id, or why it cannot start (the operator is busy…).
   */
  start(s: StartOutbound): { callId: string } | { problem: string } {
    const { calls, operators, events } = this.d;
    const op = operators.get(s.userId);
    if (!op) return { problem: 'you have no operator phone' };
    if (op.presence === 'offline') return { problem: 'log in to take calls first' };
    if (op.activity !== 'idle') return { problem: 'you are on a call' };
    if (s.taskId !== null && this.inProgress(s.taskId)) return { problem: 'this callback is being dialled already' };
    const line = this.lineFor(s.userId, s.lineId);
    const callId = randomUUID();
    const leg = operatorLeg(callId);
    const at = this.now();
    this.d.db.transaction(() => {
      calls.createOutbound({ id: callId, lineId: line?.id ?? null, did: line?.dids[0] ?? 'outbound', number: s.number, partyChannelId: numberLeg(callId), at, callbackTaskId: s.taskId });
      calls.addOffer({ callId, channelId: leg, targetKind: 'operator', userId: s.userId, target: deskEndpoint(op.extension), offeredAt: at });
      operators.setActivity(s.userId, 'ringing', callId);
    })();
    this.d.logger.info('outbound call: ringing the operator first', { callId, operator: op.login, number: s.number, taskId: s.taskId });
    events.emit('call.offered', { callId, kind: 'operator', userId: s.userId, target: op.extension, at });
    this.d.pbx.originate({
      channelId: leg,
      endpoint: deskEndpoint(op.extension),
      callerId: s.number,
      timeoutSec: line?.ringTimeoutSec ?? 15,
      appArgs: ['outbound', callId, 'operator'],
      // The softphone matches the ringing SIP call to its card by this header.
      variables: legVariables(callId, { sipHeader: true }),
    }).catch((err: unknown) => {
      this.d.logger.warn('outbound call: could not ring the operator', { callId, err });
      void this.d.router.enqueue('outbound-originate-failed', () => this.legGone(leg, 0));
    });
    return { callId };
  }

  /**
   * The operator dialled `number` from their own phone: `leg` is their
   * channel, waiting in the app. Runs in the router's queue. The caller
   * (dial-in.ts) has checked the operator, the number and the line.
   */
  startFromPhone(s: { leg: string; userId: number; number: string; line: Line }): { callId: string } | { problem: string } {
    const { calls, operators, events } = this.d;
    const op = operators.get(s.userId);
    if (!op) return { problem: 'you have no operator phone' };
    if (op.presence === 'offline') return { problem: 'log in to take calls first' };
    if (op.activity !== 'idle') return { problem: 'you are on a call' };
    const callId = randomUUID();
    const at = this.now();
    this.d.db.transaction(() => {
      calls.createOutbound({ id: callId, lineId: s.line.id, did: s.line.dids[0] ?? 'outbound', number: s.number, partyChannelId: numberLeg(callId), at, callbackTaskId: null });
      calls.addOffer({ callId, channelId: s.leg, targetKind: 'operator', userId: s.userId, target: deskEndpoint(op.extension), offeredAt: at });
      // The operator placed it: their leg is theirs from the start.
      calls.endOffer(s.leg, 'answered', at);
      operators.setActivity(s.userId, 'oncall', callId);
    })();
    this.phoneLegs.set(s.leg, callId);
    this.d.logger.info('outbound call from the operator\'s phone: dialling the number', { callId, operator: op.login, number: s.number, line: s.line.id });
    events.emit('call.offered', { callId, kind: 'operator', userId: s.userId, target: op.extension, at });
    this.background(callId, 'ringback for the operator', this.d.pbx.ring(s.leg));
    this.dialNumber(callId, s.number, s.line.dids[0] ?? '', s.line.id);
    return { callId };
  }

  /** Dials the number through the line's trunk, showing the line's outbound caller id (else `callerId`). */
  private dialNumber(callId: string, number: string, callerId: string, lineId: number | null): void {
    const route = this.d.opts.route?.(lineId) ?? { trunk: this.d.opts.trunkEndpoint, callerId: null };
    this.d.pbx.originate({
      channelId: numberLeg(callId),
      endpoint: trunkEndpoint(number, route.trunk),
      callerId: route.callerId ?? callerId,
      timeoutSec: this.d.opts.numberRingSec,
      appArgs: ['outbound', callId, 'number'],
      variables: legVariables(callId, { sipHeader: false }),
    }).catch((err: unknown) => {
      this.d.logger.warn('outbound call: could not dial the number', { callId, err });
      void this.d.router.enqueue('outbound-originate-failed', () => this.legGone(numberLeg(callId), 0));
    });
  }

  /** The operator's leg of a call: Pult's own (…-o1) or the one their phone brought in. */
  private operatorLegOf(callId: string): string {
    return this.d.calls.offers(callId)[0]?.channelId ?? operatorLeg(callId);
  }

  private async entered(channel: PbxChannel, callId: string, role: string): Promise<void> {
    const call = this.d.calls.get(callId);
    const expected = role === 'operator' ? operatorLeg(callId) : role === 'number' ? numberLeg(callId) : null;
    if (!call || call.direction !== 'outbound' || call.state !== 'waiting' || channel.id !== expected) {
      this.d.logger.info('outbound leg answered for a call that is over; hanging up', { callId, channelId: channel.id });
      return this.d.pbx.hangup(channel.id);
    }
    if (role === 'operator') return this.operatorAnswered(call, channel.id);
    return this.numberAnswered(call);
  }

  private operatorAnswered(call: CallRecord, leg: string): void {
    const { calls, operators, callbacks } = this.d;
    const offer = calls.offerByChannel(leg);
    if (!offer || offer.userId === null || !calls.endOffer(leg, 'answered', this.now())) return;
    const at = this.now();
    if (call.callbackTaskId !== null && callbacks.get(call.callbackTaskId)?.status === 'done') {
      // The caller called in (or someone closed the task) while the operator's phone rang: do not dial.
      return this.end(call, offer.userId, 'unanswered', 'the callback task was closed meanwhile', false, null);
    }
    const line = call.lineId ? this.d.lines.get(call.lineId) : null;
    this.d.db.transaction(() => {
      operators.setActivity(offer.userId!, 'oncall', call.id);
      // Only a number actually dialled counts as an attempt (the operator not answering does not).
      if (call.callbackTaskId !== null) callbacks.attemptDialled(call.callbackTaskId, at, line?.callbackRetrySec ?? 120);
    })();
    this.d.logger.info('outbound call: operator answered, dialling the number', { callId: call.id, number: call.callerNumber });
    this.background(call.id, 'ringback for the operator', this.d.pbx.ring(leg));
    this.dialNumber(call.id, call.callerNumber, call.did, call.lineId);
  }

  private numberAnswered(call: CallRecord): void {
    const { calls, callbacks, events } = this.d;
    const offer = calls.offers(call.id)[0];
    if (!offer || offer.userId === null) return;
    const at = this.now();
    const bridgeId = bridgeName(call.id);
    const leg = offer.channelId;
    const fromPhone = this.phoneLegs.has(leg);
    const ok = this.d.db.transaction(() => {
      if (!calls.connect(call.id, { bridgeId, answeredAt: at, answeredBy: offer.userId, answeredVia: 'console', answeredChannelId: leg, answeredNumber: offer.target })) return false;
      calls.startRecording(call.id, recordingName(call.id), 'wav', at);
      if (call.callbackTaskId !== null) callbacks.done(call.callbackTaskId, 'connected', at);
      return true;
    })();
    if (!ok) return;
    this.d.logger.info('outbound call connected', { callId: call.id, number: call.callerNumber, taskId: call.callbackTaskId });
    events.emit('call.answered', { callId: call.id, userId: offer.userId, via: 'console', at });
    this.background(call.id, 'bridge the outbound call', (async () => {
      await this.d.pbx.stopRing(leg).catch(() => undefined);
      // A leg from the operator's phone is still ringing back: answer it now.
      if (fromPhone) await this.d.pbx.answer(leg);
      await this.d.pbx.createBridge(bridgeId);
      await this.d.pbx.addToBridge(bridgeId, [leg, numberLeg(call.id)]);
      await this.d.pbx.recordBridge(bridgeId, recordingName(call.id), 'wav');
    })());
    this.notify(call, offer.userId, 'connected');
  }

  /** One of the two legs is gone (hung up, rang out, refused). */
  private legGone(channelId: string, cause: number): void {
    const fromPhone = this.phoneLegs.get(channelId);
    const leg = outboundLegOf(channelId);
    if (fromPhone === undefined && !leg) return;
    const isOperator = fromPhone !== undefined || leg?.role === 'operator';
    const callId = fromPhone ?? leg?.callId ?? '';
    const call = this.d.calls.get(callId);
    if (!call || call.direction !== 'outbound' || call.state === 'ended') return;
    const offer = this.d.calls.offers(callId)[0];
    const userId = offer?.userId ?? null;
    if (call.state === 'connected') {
      return this.end(call, userId, 'answered', isOperator ? 'operator hung up' : 'number hung up', true, null);
    }
    if (isOperator && offer?.endedAt === null) {
      // The operator did not take it: not an attempt against the caller; the operator's missed-offer count applies.
      const result = unansweredReason(cause);
      this.d.calls.endOffer(channelId, result, this.now());
      if (userId !== null && result === 'noanswer') this.d.router.offerRangOut(userId);
      return this.end(call, userId, 'unanswered', `operator did not answer (${result})`, false, 'operator-missed');
    }
    if (isOperator) return this.end(call, userId, 'unanswered', 'operator hung up before the number answered', false, 'operator-left');
    return this.end(call, userId, 'unanswered', `number did not answer (${unansweredReason(cause)})`, false, 'number-failed');
  }

  private end(call: CallRecord, userId: number | null, outcome: 'answered' | 'unanswered', reason: string, afterTalk: boolean, result: OutboundResult | null): void {
    const at = this.now();
    if (!this.d.calls.end(call.id, { endedAt: at, outcome, endReason: reason })) return;
    this.d.logger.info('outbound call ended', { callId: call.id, outcome, reason });
    this.d.events.emit('call.ended', { callId: call.id, outcome, reason, at });
    if (userId !== null) this.d.router.releaseOperator(userId, call.id, afterTalk);
    const opLeg = this.operatorLegOf(call.id);
    this.phoneLegs.delete(opLeg);
    const legs = [opLeg, numberLeg(call.id)];
    const bridgeId = call.bridgeId;
    this.background(call.id, 'release the outbound call', Promise.allSettled(legs.map((l) => this.d.pbx.hangup(l))).then(() => (bridgeId ? this.d.pbx.destroyBridge(bridgeId) : undefined)));
    if (this.d.calls.recordingForCall(call.id)) {
      // Do not depend on RecordingFinished alone.
      const t = setTimeout(() => this.d.recordings.fetch(recordingName(call.id)), 3000);
      t.unref();
    }
    if (result && userId !== null) this.notify(call, userId, result);
  }

  private notify(call: CallRecord, userId: number, result: OutboundResult): void {
    for (const h of this.finishedHandlers) h({ callId: call.id, taskId: call.callbackTaskId, userId, result });
  }

  private background(callId: string, what: string, p: Promise<unknown>): void {
    p.catch((err: unknown) => this.d.logger.warn(`PBX command failed: ${what}`, { callId, err }));
  }

  /** After an ARI reconnect: outbound calls whose legs are gone are ended (Asterisk holds the live call). */
  async resync(): Promise<void> {
    const alive = new Set((await this.d.pbx.listChannels()).map((c) => c.id));
    for (const call of this.d.calls.openOutbound()) {
      const op = this.operatorLegOf(call.id);
      if (op !== operatorLeg(call.id)) this.phoneLegs.set(op, call.id);
      if (!alive.has(op)) this.legGone(op, 16);
      else if (call.state === 'connected' && !alive.has(numberLeg(call.id))) this.legGone(numberLeg(call.id), 16);
    }
  }
}
