// Waiting callers are told what happens (issue 15, item 2): every
// line.announceEverySec (counted from the end of the previous one) a caller still in the queue hears their place
// («перед вами N звонков» / «вы следующий») and "press 1 to be called
// back"; pressing 1 at any moment ends the call with a short confirmation
// and a callback task that keeps the caller's place (their arrival time).
//
// Ringback and music: a ringback line's caller is not answered while they
// wait; the first announcement answers the call (audio needs it), and from
// then on the caller hears music between announcements, like a music line.
// Music is stopped for an announcement and started again when it finishes
// (PlaybackFinished), unless the call was taken meanwhile. Everything runs in
// the router's serial queue; PBX commands run in the background.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { CallRouter } from './router.js';
import { announcementPlaybackId } from '../../telephony/ari/names.js';

/** The prompts, from Asterisk's ru sound set (see README: which file says what). */
export interface AnnouncementSounds {
  ahead: (n: number) => string[];
  next: string[];
  pressOne: string[];
  confirmed: string[];
}

export const ruSounds: AnnouncementSounds = {
  // «Перед вами» N «звонков ожидают»; past 20 only «все операторы заняты».
  ahead: (n) => (n <= 20 ? ['sound:queue-thereare', `sound:digits/${n}`, 'sound:queue-callswaiting'] : ['sound:all-circuits-busy-now']),
  next: ['sound:queue-youarenext'],
  // «Чтобы вам перезвонили» … «нажмите» «1».
  pressOne: ['sound:vm-tocallback', 'sound:vm-press', 'sound:digits/1'],
  // «Спасибо» «до свидания».
  confirmed: ['sound:auth-thankyou', 'sound:goodbye'],
};

interface Waiting {
  timer: NodeJS.Timeout | null;
  playbackId: string | null;
  count: number;
}

export class WaitAnnouncements {
  private waiting = new Map<string, Waiting>();
  private byPlayback = new Map<string, string>();

  constructor(
    private readonly d: { pbx: PbxPort; router: CallRouter; calls: CallRepository; lines: LineRepository; events: CallEvents; clock: Clock; logger: Logger; lang?: string; sounds?: AnnouncementSounds },
  ) {}

  start(): void {
    this.d.events.on('call.arrived', (e) => this.arm(e.callId));
    this.d.events.on('call.answered', (e) => this.forget(e.callId, true));
    this.d.events.on('call.ended', (e) => this.forget(e.callId, true));
    this.d.pbx.onEvent((e) => {
      if (e.type === 'dtmf') void this.d.router.enqueue('caller-dtmf', () => this.onDtmf(e.channelId, e.digit));
      else if (e.type === 'playbackFinished' && this.byPlayback.has(e.playbackId)) void this.d.router.enqueue('announcement-finished', () => this.finished(e.playbackId));
    });
  }

  stop(): void {
    for (const w of this.waiting.values()) if (w.timer) clearTimeout(w.timer);
    this.waiting.clear();
  }

  private get sounds(): AnnouncementSounds {
    return this.d.sounds ?? ruSounds;
  }

  private everySec(call: CallRecord): number {
    return call.lineId ? (this.d.lines.get(call.lineId)?.announceEverySec ?? 0) : 0;
  }

  private arm(callId: string): void {
    const call = this.d.calls.get(callId);
    if (!call || call.controller !== 'ari' || call.direction !== 'inbound') return;
    const every = this.everySec(call);
    if (every <= 0) return;
    const w = this.waiting.get(callId) ?? { timer: null, playbackId: null, count: 0 };
    this.waiting.set(callId, w);
    this.armNext(callId, w, every);
  }

  private forget(callId: string, stopPlayback: boolean): void {
    const w = this.waiting.get(callId);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    if (w.playbackId) {
      this.byPlayback.delete(w.playbackId);
      if (stopPlayback) this.background(callId, 'stop the announcement', this.d.pbx.stopPlayback(w.playbackId));
    }
    this.waiting.delete(callId);
  }

  private isWaiting(call: CallRecord | null): call is CallRecord {
    return call !== null && call.controller === 'ari' && call.direction === 'inbound' && (call.state === 'waiting' || call.state === 'overflow');
  }

  /** How many callers of the same company are ahead of this one (higher-priority line, or same priority and earlier). */
  position(call: CallRecord): number {
    const lineOf = (c: CallRecord) => (c.lineId ? this.d.lines.get(c.lineId) : null);
    const mine = lineOf(call);
    return this.d.calls.open('ari').filter((c) => {
      if (c.id === call.id || (c.state !== 'waiting' && c.state !== 'overflow')) return false;
      const l = lineOf(c);
      if ((l?.tenantId ?? null) !== (mine?.tenantId ?? null)) return false;
      const p = l?.priority ?? 0;
      const myP = mine?.priority ?? 0;
      return p > myP || (p === myP && c.arrivedAt < call.arrivedAt);
    }).length;
  }

  private announce(callId: string): void {
    const w = this.waiting.get(callId);
    const call = this.d.calls.get(callId);
    if (!w || !this.isWaiting(call)) return this.forget(callId, false);
    w.timer = null;
    w.count++;
    const ahead = this.position(call);
    const media = [...(ahead === 0 ? this.sounds.next : this.sounds.ahead(ahead)), ...this.sounds.pressOne];
    const playbackId = announcementPlaybackId(callId, w.count);
    w.playbackId = playbackId;
    this.byPlayback.set(playbackId, callId);
    const ch = call.callerChannelId;
    const line = call.lineId ? this.d.lines.get(call.lineId) : null;
    const firstOnRingback = w.count === 1 && line?.waitTreatment !== 'moh';
    this.d.logger.info('announcement to a waiting caller', { callId, ahead, n: w.count });
    this.background(callId, 'play the announcement', (async () => {
      if (firstOnRingback) {
        await this.d.pbx.stopRing(ch).catch(() => undefined);
        await this.d.pbx.answer(ch);
      } else {
        await this.d.pbx.stopMoh(ch).catch(() => undefined);
      }
      await this.d.pbx.play(ch, playbackId, media, this.d.lang ?? 'ru');
    })().catch((err: unknown) => {
      // No PlaybackFinished will come: try again at the next interval.
      void this.d.router.enqueue('announcement-failed', () => this.finished(playbackId));
      throw err;
    }));
  }

  private armNext(callId: string, w: Waiting, everySec: number): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => void this.d.router.enqueue('announcement', () => this.announce(callId)), everySec * 1000);
  }

  /** The announcement is over: music again, unless the caller was taken meanwhile. */
  private finished(playbackId: string): void {
    const callId = this.byPlayback.get(playbackId);
    this.byPlayback.delete(playbackId);
    if (!callId) return;
    const w = this.waiting.get(callId);
    if (w?.playbackId === playbackId) w.playbackId = null;
    const call = this.d.calls.get(callId);
    if (!w || !this.isWaiting(call)) return;
    this.background(callId, 'music after the announcement', this.d.pbx.startMoh(call.callerChannelId));
    // The interval counts from the end of the announcement: they never pile up.
    this.armNext(callId, w, this.everySec(call));
  }

  /** '1' from a waiting caller on a line with announcements: called back, place kept. Other keys are ignored. */
  private async onDtmf(channelId: string, digit: string): Promise<void> {
    // A key pressed in the entry menu chose the line; it is no request for a callback.
    if (this.d.router.keyTakenByEntryMenu(channelId) || digit !== '1') return;
    const call = this.d.calls.byCallerChannel(channelId);
    if (!this.isWaiting(call) || this.everySec(call) <= 0) return;
    this.d.logger.info('the waiting caller pressed 1: callback task', { callId: call.id });
    const w = this.waiting.get(call.id);
    if (w?.playbackId) await this.d.pbx.stopPlayback(w.playbackId).catch(() => undefined);
    this.forget(call.id, false);
    await this.d.pbx.stopMoh(call.callerChannelId).catch(() => undefined);
    await this.d.router.callerAskedForCallback(call.id, this.sounds.confirmed);
  }

  private background(callId: string, what: string, p: Promise<unknown>): void {
    p.catch((err: unknown) => this.d.logger.warn(`PBX command failed: ${what}`, { callId, err }));
  }
}
