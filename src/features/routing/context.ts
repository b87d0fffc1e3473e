// What the routing actions share: the repositories and ports they act on,
// and the few steps they hand each other (end a call, free an operator,
// look at the queue again). CallRouter builds it and wires it; each action
// module (offer, connect, transfer, goodbye, callback, hang-ups) is a few
// functions over it.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { OriginateRequest, PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallOutcome, CallRecord, CallRepository } from '../calls/repository.js';
import type { Line, LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { Db } from '../../store/db.js';
import type { CallTimers } from './timers.js';
import type { MobileOverflow } from './overflow.js';
import type { MissedOffers } from './missed-offers.js';
import type { OfferCooldown } from './scheduler.js';

export interface RouterOptions {
  trunkEndpoint: string;
  /** The trunk a line's calls to outside numbers (mobiles, transfers) leave through; absent: trunkEndpoint. */
  trunkOf?: (lineId: number | null) => string;
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

export interface RoutingDeps {
  readonly db: Db;
  readonly pbx: PbxPort;
  readonly calls: CallRepository;
  readonly lines: LineRepository;
  readonly operators: OperatorService;
  readonly recordings: RecordingService;
  readonly events: CallEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly opts: RouterOptions;
}

export interface RoutingContext extends RoutingDeps {
  readonly timers: CallTimers;
  readonly overflow: MobileOverflow;
  readonly missed: MissedOffers;
  readonly cooldown: OfferCooldown;
  /** Resolvers waiting for a playback of ours to finish, by playback id. */
  readonly playbacks: Map<string, () => void>;
  now(): string;
  enqueue(what: string, fn: () => Promise<void> | void): Promise<void>;
  /** A PBX command whose outcome routing does not wait for: failures are logged. */
  background(what: string, callId: string, p: Promise<unknown>): void;
  /** Puts queued callers through to free operators (the scheduler). */
  dispatch(): Promise<void>;
  /** Arms a queued call's timers from its arrival and takes its first step (overflow at once, or wait); the dispatch round is the caller's (the scheduler). */
  enterQueue(call: CallRecord, line: Line | null): void;
  /** Drops a call's timers and cooldowns (answered or over). */
  disarm(callId: string): void;
  startOverflow(callId: string, reason: string): void;
  /** Rings a leg without holding the queue; a refused originate closes the offer as failed. */
  originate(callId: string, channelId: string, req: OriginateRequest, who: string): void;
  closeOffer(channelId: string, result: string): Promise<void>;
  endCall(callId: string, outcome: CallOutcome, reason: string, callback?: 'unanswered' | 'caller-requested'): Promise<void>;
  releaseOperator(userId: number, callId: string, afterTalk: boolean): void;
}

/** The caller id shown on a leg we ring for the call: «"Name" <number>». */
export function callerIdOf(call: CallRecord): string {
  const name = (call.callerName ?? '').replace(/["<>]/g, '');
  return name ? `"${name}" <${call.callerNumber}>` : call.callerNumber;
}
