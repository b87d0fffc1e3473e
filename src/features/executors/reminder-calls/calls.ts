// The reminder call itself: Pult rings the executor's mobile over the trunk
// with the company line's number as caller ID; when they answer they hear
// «Аварийная заявка», the address (or the request's number), «нажмите 1,
// чтобы принять», twice if need be. «1» moves the request to «Принята в
// работу» (by the executor, «принято по звонку-напоминанию») and they hear
// a confirmation; anything else ends the call and the scheduler tries again
// later. Every call is a row in reminder_calls; every one that did not
// accept is a line in the request's history.
//
// The legs enter the app as ['reminder', <call row id>] and everything runs
// in the router's serial queue (registerChannelOwner); PBX commands run in
// the background.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../log.js';
import { normalizePhone } from '../../../domain/phone.js';
import { reminderPrompt, type PromptPart } from '../../../domain/reminder-calls.js';
import { unansweredReason, type PbxChannel, type PbxPort } from '../../../telephony/ports.js';
import { trunkEndpoint } from '../../../telephony/ari/endpoints.js';
import type { LineRepository } from '../../lines/repository.js';
import type { CallRouter } from '../../routing/router.js';
import type { ReminderCallRepository, ReminderOutcome, WaitingRequest } from './repository.js';
import { historyLine } from './strings.js';
import type { OutboundRouter } from '../../trunks/index.js';

export interface ReminderCallOptions {
  trunkEndpoint: string;
  /** The trunk and caller id of a line's outbound calls (absent: trunkEndpoint and the line's first number). */
  route?: OutboundRouter;
  /** How long the mobile rings before the call counts as not answered. */
  ringSec: number;
  /** How long Pult waits for a key after the prompt ends (the prompt is said twice). */
  digitWaitSec: number;
  maxAttempts: number;
  lang: string;
}

/** The prompts installed by scripts/asterisk/prompts.sh (sounds/pult/). */
export const CONFIRMED = 'pult/request-accepted';

const channelPrefix = 'pult-reminder-';

interface Live {
  callId: number;
  requestId: number;
  executorId: number;
  media: string[];
  phase: 'ringing' | 'prompt' | 'confirm' | 'done';
  plays: number;
  playbackId: string | null;
  timer: NodeJS.Timeout | null;
}

export function toMedia(parts: PromptPart[]): string[] {
  return parts.map((p) => ('sound' in p ? `sound:${p.sound}` : 'number' in p ? `number:${p.number}` : 'digits' in p ? `digits:${p.digits}` : `sound:${p.file}`));
}

export class ReminderCalls {
  private live = new Map<string, Live>();
  private byPlayback = new Map<string, string>();

  constructor(
    private readonly d: {
      pbx: PbxPort; router: CallRouter; repo: ReminderCallRepository; lines: LineRepository; clock: Clock; logger: Logger; opts: ReminderCallOptions;
      /** Moves the request to «Принята в работу» as the executor; throws when the pipeline does not allow it. */
      accept(requestId: number, executorId: number): void;
    },
  ) {
    d.router.registerChannelOwner('reminder', {
      entered: (channel, args) => this.entered(channel, Number(args[0])),
      gone: (channelId, cause) => {
        if (this.live.has(channelId)) void d.router.enqueue('reminder-leg-gone', () => this.gone(channelId, cause));
      },
    });
    d.pbx.onEvent((e) => {
      if (e.type === 'dtmf' && this.live.has(e.channelId)) void d.router.enqueue('reminder-dtmf', () => this.dtmf(e.channelId, e.digit));
      else if (e.type === 'playbackFinished' && this.byPlayback.has(e.playbackId)) void d.router.enqueue('reminder-prompt-finished', () => this.played(e.playbackId));
    });
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }

  /** The company's line (one with a number), else the default line: its trunk and caller id are the reminder's. */
  private lineOf(tenantId: number) {
    return this.d.lines.list().find((l) => l.tenantId === tenantId && l.dids.length > 0) ?? this.d.lines.defaultLine();
  }

  /** The caller ID: the line's outbound one (or its trunk's), else its first number. */
  private callerId(tenantId: number): string {
    const line = this.lineOf(tenantId);
    return this.d.opts.route?.(line?.id ?? null).callerId ?? line?.dids[0] ?? '';
  }

  private trunkOf(tenantId: number): string {
    return this.d.opts.route?.(this.lineOf(tenantId)?.id ?? null).trunk ?? this.d.opts.trunkEndpoint;
  }

  /**
   * Places attempt `attempt` for a waiting request (run in the router's
   * queue; the caller checked it is due). `streetFile`: the spoken street, if any.
   */
  place(w: WaitingRequest, attempt: number, streetFile: string | null): number {
    const { repo, logger, opts } = this.d;
    const number = normalizePhone(w.mobile) ?? '';
    const callId = repo.start({ requestId: w.id, tenantId: w.tenantId, executorId: w.assigneeId, number, callerId: this.callerId(w.tenantId), attempt, at: this.now() });
    if (!number) {
      this.finish(callId, 'failed');
      return callId;
    }
    const channelId = `${channelPrefix}${callId}-${randomBytes(4).toString('hex')}`;
    const media = toMedia(reminderPrompt({ requestNumber: w.number, house: w.house, flat: w.flat, streetFile }));
    this.live.set(channelId, { callId, requestId: w.id, executorId: w.assigneeId, media, phase: 'ringing', plays: 0, playbackId: null, timer: null });
    logger.info('reminder call: ringing the executor', { callId, requestId: w.id, executorId: w.assigneeId, number, attempt });
    this.d.pbx.originate({
      channelId,
      endpoint: trunkEndpoint(number, this.trunkOf(w.tenantId)),
      callerId: repo.call(callId)!.callerId,
      timeoutSec: opts.ringSec,
      appArgs: ['reminder', String(callId)],
      variables: { PULT_REMINDER_CALL_ID: String(callId) },
    }).catch((err: unknown) => {
      logger.warn('reminder call: could not dial the executor', { callId, err });
      void this.d.router.enqueue('reminder-originate-failed', () => this.gone(channelId, 0));
    });
    return callId;
  }

  private entered(channel: PbxChannel, callId: number): void {
    const l = this.live.get(channel.id);
    const call = Number.isInteger(callId) ? this.d.repo.call(callId) : null;
    if (!l || !call || call.id !== l.callId || call.outcome !== null) {
      this.d.logger.info('reminder leg answered for a call that is over; hanging up', { channelId: channel.id, callId });
      return this.background(this.d.pbx.hangup(channel.id), 'hang up a stale reminder leg');
    }
    this.d.repo.answered(callId, this.now());
    if (!this.d.repo.stillWaiting(l.requestId, l.executorId)) {
      // Accepted or reassigned while the phone rang: nothing to ask.
      this.finish(callId, 'stale');
      return this.hangup(channel.id);
    }
    this.d.logger.info('reminder call answered: saying the prompt', { callId, requestId: l.requestId });
    this.prompt(channel.id, l);
  }

  private prompt(channelId: string, l: Live): void {
    l.phase = 'prompt';
    l.plays++;
    this.play(channelId, l, l.media);
  }

  private play(channelId: string, l: Live, media: string[]): void {
    if (l.playbackId) this.byPlayback.delete(l.playbackId);
    const playbackId = `${channelId}-p${l.plays}-${l.phase}`;
    l.playbackId = playbackId;
    this.byPlayback.set(playbackId, channelId);
    this.background(this.d.pbx.play(channelId, playbackId, media, this.d.opts.lang), 'play the reminder prompt');
  }

  private played(playbackId: string): void {
    const channelId = this.byPlayback.get(playbackId);
    this.byPlayback.delete(playbackId);
    const l = channelId ? this.live.get(channelId) : undefined;
    if (!channelId || !l || l.playbackId !== playbackId) return;
    l.playbackId = null;
    if (l.phase === 'confirm') return this.hangup(channelId);
    if (l.phase !== 'prompt') return;
    this.arm(l, this.d.opts.digitWaitSec * 1000, () => {
      if (l.phase !== 'prompt') return;
      if (l.plays < 2) return this.prompt(channelId, l);
      this.finish(l.callId, 'no-digit');
      this.hangup(channelId);
    });
  }

  private dtmf(channelId: string, digit: string): void {
    const l = this.live.get(channelId);
    if (!l || l.phase !== 'prompt') return;
    if (l.timer) clearTimeout(l.timer);
    this.d.repo.setDigit(l.callId, digit);
    if (l.playbackId) this.background(this.d.pbx.stopPlayback(l.playbackId), 'stop the reminder prompt');
    if (digit !== '1') {
      this.finish(l.callId, 'other-digit');
      return this.hangup(channelId);
    }
    if (!this.d.repo.stillWaiting(l.requestId, l.executorId)) {
      this.finish(l.callId, 'stale');
      return this.hangup(channelId);
    }
    try {
      this.d.accept(l.requestId, l.executorId);
    } catch (err) {
      this.d.logger.warn('reminder call: «1» pressed but the request could not be accepted', { callId: l.callId, requestId: l.requestId, err: (err as Error).message });
      this.finish(l.callId, 'failed');
      return this.hangup(channelId);
    }
    this.finish(l.callId, 'accepted');
    this.d.logger.info('reminder call: the executor accepted the request', { callId: l.callId, requestId: l.requestId, executorId: l.executorId });
    l.phase = 'confirm';
    this.play(channelId, l, [`sound:${CONFIRMED}`]);
    // Hang up even if the confirmation's end never comes.
    this.arm(l, 10_000, () => this.hangup(channelId));
  }

  private gone(channelId: string, cause: number): void {
    const l = this.live.get(channelId);
    if (!l) return;
    this.forget(channelId, l);
    const call = this.d.repo.call(l.callId);
    if (!call || call.outcome !== null) return;
    const why = unansweredReason(cause);
    this.finish(l.callId, call.answeredAt ? 'hung-up' : why === 'busy' || why === 'rejected' ? 'busy' : why === 'noanswer' ? 'no-answer' : 'failed');
  }

  /** Records how a call ended (and, unless it accepted, a line in the request's history). */
  private finish(callId: number, outcome: ReminderOutcome): void {
    const c = this.d.repo.call(callId);
    if (!c) return;
    const line = historyLine(outcome, { executorName: c.executorName, number: c.number, attempt: c.attempt, maxAttempts: this.d.opts.maxAttempts, digit: c.digit });
    if (this.d.repo.finish(callId, outcome, this.now(), line)) this.d.logger.info('reminder call ended', { callId, requestId: c.requestId, outcome });
  }

  private hangup(channelId: string): void {
    const l = this.live.get(channelId);
    if (l) l.phase = 'done';
    this.background(this.d.pbx.hangup(channelId), 'hang up the reminder call');
  }

  private arm(l: Live, ms: number, fn: () => void): void {
    if (l.timer) clearTimeout(l.timer);
    l.timer = setTimeout(() => void this.d.router.enqueue('reminder-timer', fn), ms);
    l.timer.unref();
  }

  private forget(channelId: string, l: Live): void {
    if (l.timer) clearTimeout(l.timer);
    if (l.playbackId) this.byPlayback.delete(l.playbackId);
    this.live.delete(channelId);
  }

  /**
   * After a start: calls the log still shows in progress were cut by the
   * restart (an attempt, logged as interrupted); after a PBX (re)connect:
   * reminder legs nobody here knows are hung up.
   */
  interrupted(): number {
    const open = this.d.repo.open().filter((c) => ![...this.live.values()].some((l) => l.callId === c.id));
    for (const c of open) this.finish(c.id, 'interrupted');
    return open.length;
  }

  async resync(): Promise<void> {
    const strays = (await this.d.pbx.listChannels()).filter((c) => c.id.startsWith(channelPrefix) && !this.live.has(c.id));
    await Promise.allSettled(strays.map((c) => this.d.pbx.hangup(c.id)));
  }

  stop(): void {
    for (const [id, l] of this.live) this.forget(id, l);
  }

  private background(p: Promise<unknown>, what: string): void {
    p.catch((err: unknown) => this.d.logger.warn(`PBX command failed: ${what}`, { err }));
  }
}
