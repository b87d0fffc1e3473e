// The per-line entry menu over ARI (issue 15, item 3): a call to a line with
// a menu is answered and hears the prompt («аварийная — 1, плановая — 2»);
// one key moves it to the chosen line of the same company, where it is
// queued, announced, overflowed and logged as that line's call (the screen
// pop shows that line). No key within the timeout, or a key the menu does
// not know, plays the prompt again; after the second try the call stays on
// the menu's own line. The rules are pure (domain/entry-menu.ts); this
// module plays the prompt, waits, and hands the caller to the queue. A
// caller who hangs up in the menu is logged as an abandoned call of the
// menu's line (a callback task, as for any caller we lost).
import type { EntryMenu, MenuInput } from '../../domain/entry-menu.js';
import { entryMenuStep } from '../../domain/entry-menu.js';
import { entryMenuPlaybackId } from '../../telephony/ari/names.js';
import type { Line } from '../lines/repository.js';
import type { RoutingContext } from './context.js';
import { admitCall, logArrival, type Arrival } from './arrival.js';

interface Session {
  arrival: Arrival & { line: Line };
  menu: EntryMenu;
  /** Tries (prompt + wait) started so far. */
  tries: number;
  playbackId: string | null;
  timer: NodeJS.Timeout | null;
}

export class EntryMenus {
  private sessions = new Map<string, Session>();
  /** Channels whose last key the menu took (so the wait announcements do not read it as "1 = call me back"). */
  private tookKey = new Set<string>();

  constructor(private readonly ctx: RoutingContext) {}

  has(channelId: string): boolean {
    return this.sessions.has(channelId);
  }

  /** Starts the menu when the caller's line has one; false: it has none, queue the call as it is. */
  start(a: Arrival): boolean {
    const line = a.line;
    const menu = line ? this.ctx.lines.entryMenu(line.id) : null;
    if (!line || !menu) return false;
    const s: Session = { arrival: { ...a, line }, menu, tries: 0, playbackId: null, timer: null };
    this.sessions.set(a.channel.id, s);
    this.ctx.logger.info('entry menu for the caller', { channelId: a.channel.id, line: line.name, keys: menu.options.map((o) => o.digit).join('') });
    this.play(s);
    return true;
  }

  /** Was the caller's last key the menu's? Asked once per key (wait-announcements.ts). */
  takeKeyMark(channelId: string): boolean {
    return this.tookKey.delete(channelId);
  }

  /** A key from a caller; false when the caller is not in a menu. */
  async dtmf(channelId: string, digit: string): Promise<boolean> {
    const s = this.sessions.get(channelId);
    if (!s) return false;
    this.tookKey.add(channelId);
    await this.step(s, { kind: 'digit', digit });
    return true;
  }

  /** The caller hung up; false when they were not in a menu. */
  async gone(channelId: string): Promise<boolean> {
    this.tookKey.delete(channelId);
    const s = this.sessions.get(channelId);
    if (!s) return false;
    this.close(s);
    const call = logArrival(this.ctx, { ...s.arrival, entry: { lineId: s.arrival.line.id, digit: null } });
    await this.ctx.endCall(call.id, 'abandoned', 'caller hung up in the entry menu');
    return true;
  }

  /** After a reconnect: callers who hung up in a menu while we were away are logged as abandoned. */
  async dropGone(alive: ReadonlySet<string>): Promise<number> {
    const gone = [...this.sessions.keys()].filter((id) => !alive.has(id));
    for (const id of gone) await this.gone(id);
    return gone.length;
  }

  stop(): void {
    for (const s of this.sessions.values()) if (s.timer) clearTimeout(s.timer);
    this.sessions.clear();
  }

  private play(s: Session): void {
    const { ctx } = this;
    const channelId = s.arrival.channel.id;
    s.tries++;
    const playbackId = entryMenuPlaybackId(channelId, s.tries);
    s.playbackId = playbackId;
    // Called in the serial queue when the PBX says the prompt is over.
    ctx.playbacks.set(playbackId, () => this.promptDone(s, playbackId));
    const first = s.tries === 1;
    ctx.background('play the entry menu', channelId, (async () => {
      if (first) await ctx.pbx.answer(channelId);
      await ctx.pbx.play(channelId, playbackId, s.menu.prompt.map((p) => `sound:${p}`), ctx.opts.promptLang ?? 'ru');
    })().catch((err: unknown) => {
      // No PlaybackFinished will come: wait for a key from now.
      void ctx.enqueue('entry-menu-prompt-failed', () => this.promptDone(s, playbackId));
      throw err;
    }));
  }

  /** The prompt is over: the caller has timeoutSec to press a key. */
  private promptDone(s: Session, playbackId: string): void {
    if (this.sessions.get(s.arrival.channel.id) !== s || s.playbackId !== playbackId) return;
    s.playbackId = null;
    const tryNo = s.tries;
    s.timer = setTimeout(() => {
      void this.ctx.enqueue('entry-menu-timeout', async () => {
        if (this.sessions.get(s.arrival.channel.id) === s && s.tries === tryNo) await this.step(s, { kind: 'timeout' });
      });
    }, s.menu.timeoutSec * 1000);
  }

  private async step(s: Session, input: MenuInput): Promise<void> {
    this.stopPrompt(s);
    const next = entryMenuStep(s.menu, s.tries, input);
    if (next.kind === 'replay') return this.play(s);
    const own = s.arrival.line;
    const target = next.kind === 'route' ? (this.ctx.lines.get(next.lineId) ?? own) : own;
    const digit = next.kind === 'route' ? next.digit : null;
    this.close(s);
    this.ctx.logger.info('entry menu: the caller goes to a line', { channelId: s.arrival.channel.id, digit, line: target.name, menuLine: own.name });
    await admitCall(this.ctx, { ...s.arrival, line: target, entry: { lineId: own.id, digit } });
  }

  private stopPrompt(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    if (!s.playbackId) return;
    this.ctx.playbacks.delete(s.playbackId);
    this.ctx.background('stop the entry menu prompt', s.arrival.channel.id, this.ctx.pbx.stopPlayback(s.playbackId));
    s.playbackId = null;
  }

  private close(s: Session): void {
    this.stopPrompt(s);
    this.sessions.delete(s.arrival.channel.id);
  }
}
