// Pushes the wallboard to supervisors and admins: the full snapshot right
// after they connect (and when they ask: `wallboard.resync`), then
// `wallboard.patch` with only what changed, at most every 100 ms after any
// call event or operator change (250 ms when whole snapshots went out; a
// patch is a few KB), and every second while a call waits (so the waits
// tick up on screen).
//
// Viewers see only their own companies: each socket joins a room per scope
// (its set of companies). One database read per push; each scope gets its
// own projection, diffed once against that scope's previous one, and the
// patch goes to the scope's room (not built per socket). Versions come from
// one counter: a client whose version is not the patch's `from` resyncs.
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import type { OperatorService } from '../operators/service.js';
import type { RealtimeServer, RealtimeSocket } from '../../realtime/server.js';
import type { Scope, WallboardService } from './service.js';
import type { WallboardSnapshot } from './contract.js';
import { diffWallboard } from './patch.js';

export const scopeKey = (scope: Scope) => (scope === null ? 'all' : [...scope].sort((a, b) => a - b).join(',') || 'none');
export const wallboardRoom = (key: string) => `wallboard:${key}`;

interface ScopeEntry {
  scope: Scope;
  sockets: number;
  /** What the scope's sockets hold now (its `version` is the next patch's `from`). */
  state: WallboardSnapshot;
}

export class WallboardPublisher {
  private scopes = new Map<string, ScopeEntry>();
  private version = 0;
  private timer: NodeJS.Timeout | null = null;
  private tick: NodeJS.Timeout | null = null;
  private lastPush = 0;
  private stopped = false;

  constructor(
    private readonly io: RealtimeServer,
    private readonly service: WallboardService,
    private readonly logger: Logger,
    private readonly opts: { minIntervalMs?: number; coalesceMs?: number; tickMs?: number } = {},
  ) {}

  attach(events: CallEvents, operators: OperatorService): void {
    const poke = () => this.poke();
    for (const e of ['call.arrived', 'call.offered', 'call.offerEnded', 'call.answered', 'call.ended', 'call.overflowed', 'callback.created'] as const) events.on(e, poke);
    operators.on('changed', poke);
  }

  /** A supervisor's or admin's socket: its scope room, and the snapshot at once. */
  onConnect(socket: RealtimeSocket): void {
    const { role, tenantIds } = socket.data;
    if (role !== 'supervisor' && role !== 'admin') return;
    const scope: Scope = role === 'admin' ? null : tenantIds;
    const key = scopeKey(scope);
    this.safely(() => {
      let entry = this.scopes.get(key);
      if (!entry) {
        entry = { scope, sockets: 0, state: { ...this.service.snapshot(scope), version: ++this.version } };
        this.scopes.set(key, entry);
      } else this.poke(); // the held state may be up to one push old: a patch follows soon
      entry.sockets++;
      void socket.join(wallboardRoom(key));
      socket.emit('wallboard.snapshot', entry.state);
    });
    socket.on('wallboard.resync', () => {
      const e = this.scopes.get(key);
      if (e) socket.emit('wallboard.snapshot', e.state);
    });
    socket.on('disconnect', () => {
      const e = this.scopes.get(key);
      if (e && --e.sockets <= 0) this.scopes.delete(key);
    });
  }

  /** Something changed: push soon (coalesced, at most every minIntervalMs, default 100). */
  poke(): void {
    if (this.stopped || this.timer || this.scopes.size === 0) return;
    const min = this.opts.minIntervalMs ?? 100;
    const delay = Math.max(this.opts.coalesceMs ?? 20, this.lastPush + min - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.push();
    }, delay);
  }

  /** Reads once, diffs each scope's projection against what its sockets hold, sends the patch to its room. */
  push(): void {
    if (this.stopped) return;
    this.lastPush = Date.now();
    if (this.tick) clearTimeout(this.tick);
    this.tick = null;
    if (this.scopes.size === 0) return;
    let anyWaiting = false;
    this.safely(() => {
      const base = this.service.base();
      anyWaiting = base.anyWaiting;
      for (const [key, entry] of this.scopes) {
        const next: WallboardSnapshot = { ...this.service.scoped(base, entry.scope), version: ++this.version };
        const patch = diffWallboard(entry.state, next, entry.state.version!, next.version!);
        entry.state = next;
        this.io.to(wallboardRoom(key)).emit('wallboard.patch', patch);
      }
    });
    if (anyWaiting) this.tick = setTimeout(() => this.poke(), this.opts.tickMs ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.tick) clearTimeout(this.tick);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error('wallboard push failed', { err, stack: (err as Error).stack });
    }
  }
}
