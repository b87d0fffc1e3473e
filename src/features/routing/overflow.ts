// Overflow to the line's mobile group. Overflow adds destinations: the
// caller stays in the queue and is still offered to operators as they free
// up; whoever answers first wins (the router cancels the other legs).
// A mobile that is busy, declines or does not answer is rung again after the
// line's mobile_retry_sec while the caller waits; only the line's maximum
// wait (the router's timer) ends the call.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { OriginateRequest } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRecord, CallRepository, Offer } from '../calls/repository.js';
import type { LineRepository, OverflowGroup } from '../lines/repository.js';
import type { CallTimers } from './timers.js';
import { trunkEndpoint } from '../../telephony/ari/endpoints.js';
import { legVariables, mobileLegId } from '../../telephony/ari/names.js';

export interface OverflowDeps {
  calls: CallRepository;
  lines: LineRepository;
  events: CallEvents;
  clock: Clock;
  logger: Logger;
  timers: CallTimers;
  trunkEndpoint: string;
  /** The line's trunk (absent: trunkEndpoint). */
  trunkOf?: (lineId: number | null) => string;
  /** Rings a leg without holding the queue (the router's originate). */
  ring(callId: string, channelId: string, req: OriginateRequest, who: string): void;
  callerIdOf(call: CallRecord): string;
}

/** Never re-ring a mobile faster than this, whatever the line says. */
const MIN_RETRY_SEC = 1;

export class MobileOverflow {
  constructor(private readonly d: OverflowDeps) {}

  private groupOf(call: CallRecord): OverflowGroup | null {
    const line = call.lineId ? this.d.lines.get(call.lineId) : null;
    const group = line?.overflowGroupId ? this.d.lines.overflowGroup(line.overflowGroupId) : null;
    return group && group.members.length > 0 ? group : null;
  }

  /** Marks a waiting call overflowed and rings the mobiles; false when the line has none. */
  start(callId: string, reason: string): boolean {
    const call = this.d.calls.get(callId);
    if (!call || call.state !== 'waiting') return false;
    const group = this.groupOf(call);
    if (!group) return false;
    const at = this.d.clock.now().toISOString();
    if (!this.d.calls.markOverflow(callId, at, reason)) return false;
    this.d.logger.info('overflowing call to mobiles (it stays in the queue)', { callId, reason, group: group.name, mode: group.mode });
    this.d.events.emit('call.overflowed', { callId, reason, at });
    this.startRound(callId, group);
    return true;
  }

  /** After a restart: an overflowed call with no mobile ringing starts a new round. */
  resume(call: CallRecord): void {
    const group = this.groupOf(call);
    if (call.state !== 'overflow' || !group) return;
    if (this.d.calls.openOffers(call.id).some((o) => o.targetKind === 'mobile')) return;
    this.startRound(call.id, group);
  }

  private startRound(callId: string, group: OverflowGroup): void {
    if (group.mode === 'simultaneous') group.members.forEach((_, i) => this.ringMember(callId, i));
    else this.ringMember(callId, 0);
  }

  /** A mobile leg ended without an answer: the next member, or the same one again after the pause. */
  legEnded(offer: Offer): void {
    const call = this.d.calls.get(offer.callId);
    if (call?.state !== 'overflow') return;
    const group = this.groupOf(call);
    if (!group) return;
    this.missed(call, group, group.members.findIndex((m) => m.number === offer.target));
  }

  /** The member at `index` did not take the call (no answer, busy, declined, or on another call). */
  private missed(call: CallRecord, group: OverflowGroup, index: number): void {
    if (group.mode === 'sequential') {
      if (this.d.calls.openOffers(call.id).some((o) => o.targetKind === 'mobile')) return;
      if (index + 1 < group.members.length) this.ringMember(call.id, index + 1);
      else this.retryLater(call, 0);
    } else if (index >= 0) {
      this.retryLater(call, index);
    }
  }

  private retryLater(call: CallRecord, index: number): void {
    const line = call.lineId ? this.d.lines.get(call.lineId) : null;
    const pause = Math.max(MIN_RETRY_SEC, line?.mobileRetrySec ?? 15);
    this.d.timers.arm(call.id, pause, 'mobile-retry', () => {
      this.ringMember(call.id, index);
    });
  }

  /** Rings the group's member at `index` for a call still in overflow; false when not rung. */
  ringMember(callId: string, index: number): boolean {
    const call = this.d.calls.get(callId);
    if (!call || call.state !== 'overflow') return false;
    const group = this.groupOf(call);
    const member = group?.members[index];
    if (!group || !member) return false;
    const offers = this.d.calls.offers(callId);
    if (offers.some((o) => o.targetKind === 'mobile' && o.endedAt === null && o.target === member.number)) return false; // still ringing
    if (this.d.calls.mobileInUse(member.number)) {
      // They are talking on another of our calls: no point ringing, try again later.
      this.d.logger.info('overflow mobile is on another call; not ringing it now', { callId, number: member.number });
      this.missed(call, group, index);
      return false;
    }
    const channelId = mobileLegId(callId, offers.filter((o) => o.targetKind === 'mobile').length + 1);
    const at = this.d.clock.now().toISOString();
    this.d.calls.addOffer({ callId, channelId, targetKind: 'mobile', userId: member.userId, target: member.number, offeredAt: at });
    this.d.events.emit('call.offered', { callId, kind: 'mobile', userId: member.userId, target: member.number, at });
    this.d.ring(callId, channelId, {
      channelId,
      endpoint: trunkEndpoint(member.number, this.d.trunkOf?.(call.lineId) ?? this.d.trunkEndpoint),
      callerId: this.d.callerIdOf(call),
      timeoutSec: group.timeoutSec,
      appArgs: ['offer', callId],
      variables: legVariables(callId, { sipHeader: false }),
    }, `mobile ${member.number}`);
    return true;
  }
}
