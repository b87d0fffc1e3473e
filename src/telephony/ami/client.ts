// A small Asterisk Manager Interface client over node:net, for the observer
// mode (Pult watching an Asterisk it does not drive: app_queue events).
//
// - logs in with `Action: Login` (Events: on), and reconnects forever with
//   backoff (0.5 s doubling to 15 s, with jitter) after a drop or a failed login;
// - action() sends an action and resolves with its response, correlated by
//   ActionID, rejected on `Response: Error`, a timeout or a disconnect;
// - every other message is emitted as 'event';
// - after every (re)connect it re-reads the queues with `QueueStatus`
//   (QueueParams / QueueMember / QueueEntry … QueueStatusComplete) and emits
//   'queueStatus', so a consumer can rebuild its state from scratch: events
//   sent while we were away are gone for good.
//
// The npm `asterisk-manager` lowercases every key, drops reconnects on the
// floor in several versions and cannot parse out of a socket; this is ~300
// lines we own, on our own parser.
import { backoffDelay } from '../backoff.js';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.js';
import { AmiParser, formatAmiMessage, type AmiMessage, type AmiParseError } from './parser.js';

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  logger: Logger;
  /** A response later than this rejects the action. Default 10 s. */
  actionTimeoutMs?: number;
  /** TCP connect + login deadline. Default 5 s. */
  connectTimeoutMs?: number;
  /** Backoff bounds for reconnects, ms. Defaults 500 and 15,000. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Send `Ping` this often and drop the connection when it goes unanswered (half-open TCP). 0 = off (default 30 s). */
  pingIntervalMs?: number;
}

export type AmiActionFields = { Action: string } & Record<string, string | number | boolean | readonly (string | number)[] | undefined>;

export class AmiError extends Error {
  constructor(
    message: string,
    /** The `Response: Error` message, when Asterisk sent one. */
    readonly response: AmiMessage | null = null,
  ) {
    super(message);
    this.name = 'AmiError';
  }
}

export interface QueueStatusSnapshot {
  /** `QueueParams`, one per queue. */
  queues: AmiMessage[];
  /** `QueueMember`, one per member per queue. */
  members: AmiMessage[];
  /** `QueueEntry`, one per waiting caller. */
  entries: AmiMessage[];
  /** When the snapshot completed (ms since epoch). */
  at: number;
}

export interface AmiClientEvents {
  /** Logged in (after every reconnect). */
  connected: [];
  /** The connection is gone (a reconnect is scheduled unless stopped). */
  disconnected: [reason: string];
  /** Login refused: wrong user/secret or not permitted from this address. Retried with backoff. */
  loginFailed: [err: AmiError];
  /** An AMI event (not the ones collected by an action's event list). */
  event: [msg: AmiMessage];
  /** The queues as read after a (re)connect. */
  queueStatus: [snapshot: QueueStatusSnapshot];
  /** A malformed frame from the server (dropped; parsing went on). */
  parseError: [err: AmiParseError];
}

interface Pending {
  resolve: (v: { response: AmiMessage; events: AmiMessage[] }) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  /** Event-list actions: events are collected until this event (or `EventList: Complete`). */
  completeEvent: string | null;
  response: AmiMessage | null;
  events: AmiMessage[];
}

export class AmiClient extends EventEmitter<AmiClientEvents> {
  private socket: net.Socket | null = null;
  private parser: AmiParser;
  private stopped = true;
  private loggedIn = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly idPrefix = randomBytes(4).toString('hex');
  private seq = 0;
  private bannerVersion: string | null = null;

  constructor(private readonly opts: AmiClientOptions) {
    super();
    this.parser = new AmiParser({ onMessage: (m) => this.onMessage(m), onError: (e) => this.onParseError(e) });
  }

  /** Logged in and usable. */
  get connected(): boolean {
    return this.loggedIn;
  }

  /** `11.0.0` from the banner of the current connection. */
  get protocolVersion(): string | null {
    return this.bannerVersion;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const s = this.socket;
    if (s && !s.destroyed) {
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      });
    }
  }

  /** Sends an action; resolves with its response (rejects on `Response: Error`, timeout, disconnect). */
  async action(fields: AmiActionFields, opts: { timeoutMs?: number } = {}): Promise<AmiMessage> {
    if (!this.loggedIn) throw new AmiError(`AMI ${fields.Action}: not connected`);
    return (await this.send(fields, null, opts.timeoutMs)).response;
  }

  /**
   * Sends an action that answers with an event list (QueueStatus, Status, …);
   * resolves once `completeEvent` (or any event with `EventList: Complete`) arrives.
   */
  async actionList(fields: AmiActionFields, completeEvent: string, opts: { timeoutMs?: number } = {}): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    if (!this.loggedIn) throw new AmiError(`AMI ${fields.Action}: not connected`);
    return this.send(fields, completeEvent, opts.timeoutMs);
  }

  /** Queues, members and waiting callers (all queues, or one). */
  async queueStatus(queue?: string): Promise<QueueStatusSnapshot> {
    const { events } = await this.actionList({ Action: 'QueueStatus', Queue: queue }, 'QueueStatusComplete');
    const snap: QueueStatusSnapshot = { queues: [], members: [], entries: [], at: Date.now() };
    for (const e of events) {
      const name = e.event?.toLowerCase();
      if (name === 'queueparams') snap.queues.push(e);
      else if (name === 'queuemember') snap.members.push(e);
      else if (name === 'queueentry') snap.entries.push(e);
    }
    return snap;
  }

  /** Pauses or unpauses a member: in one queue, or in every queue (`queue` null). */
  queuePause(queue: string | null, iface: string, paused: boolean, reason?: string): Promise<AmiMessage> {
    return this.action({ Action: 'QueuePause', Interface: iface, Paused: paused ? 'true' : 'false', Queue: queue ?? undefined, Reason: reason || undefined });
  }

  // ---------------------------------------------------------------- connection

  private connect(): void {
    if (this.stopped) return;
    this.parser.reset();
    this.bannerVersion = null;
    const socket = net.connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    const deadline = setTimeout(() => socket.destroy(new Error('connect/login timed out')), this.opts.connectTimeoutMs ?? 5000);
    let closeReason = 'connection closed';
    socket.on('connect', () => {
      this.send({ Action: 'Login', Username: this.opts.username, Secret: this.opts.secret, Events: 'on' }, null, this.opts.connectTimeoutMs ?? 5000, true).then(
        () => {
          clearTimeout(deadline);
          if (this.socket !== socket) return;
          this.loggedIn = true;
          this.attempt = 0;
          this.opts.logger.info('AMI connected', { host: this.opts.host, port: this.opts.port, version: this.bannerVersion });
          this.startPing(socket);
          this.safeEmit('connected');
          this.queueStatus().then(
            (snap) => this.safeEmit('queueStatus', snap),
            (err: Error) => this.opts.logger.warn('AMI QueueStatus after connect failed', { err: err.message }),
          );
        },
        (err: Error) => {
          clearTimeout(deadline);
          if (err instanceof AmiError && err.response) {
            closeReason = `login refused: ${err.response.get('Message') ?? 'error'}`;
            this.opts.logger.error('AMI login refused', { user: this.opts.username, message: err.response.get('Message') });
            this.safeEmit('loginFailed', err);
          } else closeReason = `login failed: ${err.message}`;
          socket.destroy();
        },
      );
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
      } catch (err) {
        this.opts.logger.error('AMI message handler threw', { err });
      }
    });
    socket.on('error', (err) => {
      closeReason = err.message;
      this.opts.logger.debug('AMI socket error', { err: err.message });
    });
    socket.on('close', () => {
      clearTimeout(deadline);
      this.stopPing();
      if (this.socket === socket) this.socket = null;
      const wasUp = this.loggedIn;
      this.loggedIn = false;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new AmiError(`AMI connection lost before the response (${closeReason})`));
        this.pending.delete(id);
      }
      if (wasUp) {
        this.opts.logger.warn('AMI disconnected', { reason: closeReason });
        this.safeEmit('disconnected', closeReason);
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.opts.minBackoffMs, this.opts.maxBackoffMs);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private startPing(socket: net.Socket): void {
    const every = this.opts.pingIntervalMs ?? 30_000;
    if (every <= 0) return;
    this.pingTimer = setInterval(() => {
      this.action({ Action: 'Ping' }, { timeoutMs: every }).catch((err: Error) => {
        if (this.socket !== socket || !this.loggedIn) return;
        this.opts.logger.warn('AMI Ping unanswered, reconnecting', { err: err.message });
        socket.destroy();
      });
    }, every);
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  // ---------------------------------------------------------------- actions

  private send(fields: AmiActionFields, completeEvent: string | null, timeoutMs?: number, beforeLogin = false): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    const socket = this.socket;
    if (!socket || socket.destroyed || (!beforeLogin && !this.loggedIn)) return Promise.reject(new AmiError(`AMI ${fields.Action}: not connected`));
    const id = `${this.idPrefix}-${++this.seq}`;
    let wire: string;
    try {
      wire = formatAmiMessage({ ...fields, ActionID: id });
    } catch (err) {
      return Promise.reject(new AmiError(`AMI ${fields.Action}: ${(err as Error).message}`));
    }
    return new Promise((resolve, reject) => {
      const ms = timeoutMs ?? this.opts.actionTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AmiError(`AMI ${fields.Action}: no response in ${ms} ms`));
      }, ms);
      this.pending.set(id, { resolve, reject, timer, completeEvent: completeEvent?.toLowerCase() ?? null, response: null, events: [] });
      socket.write(wire);
    });
  }

  private onMessage(msg: AmiMessage): void {
    if (msg.type === 'banner') {
      this.bannerVersion = msg.get('Version') ?? null;
      return;
    }
    const id = msg.get('ActionID');
    const p = id === undefined ? undefined : this.pending.get(id);
    if (msg.type === 'response') {
      if (!p || id === undefined) {
        this.opts.logger.debug('AMI response to no pending action', { actionId: id });
        return;
      }
      const status = msg.get('Response')?.toLowerCase();
      if (status === 'error') {
        this.settle(id, p, new AmiError(`AMI: ${msg.get('Message') ?? 'error'}`, msg));
      } else if (p.completeEvent === null) {
        this.settle(id, p, null, msg);
      } else p.response = msg;
      return;
    }
    if (p && id !== undefined && p.completeEvent !== null) {
      const name = msg.event?.toLowerCase();
      if (name === p.completeEvent || msg.get('EventList')?.toLowerCase() === 'complete') {
        this.settle(id, p, null, p.response ?? msg);
      } else p.events.push(msg);
      return;
    }
    this.safeEmit('event', msg);
  }

  private settle(id: string, p: Pending, err: Error | null, response?: AmiMessage): void {
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (err) p.reject(err);
    else p.resolve({ response: response!, events: p.events });
  }

  private onParseError(e: AmiParseError): void {
    this.opts.logger.warn('AMI sent a malformed frame; dropped', { reason: e.reason, detail: e.detail, line: e.line });
    this.safeEmit('parseError', e);
  }

  /** Emits without letting a listener's exception reach the socket handlers. */
  private safeEmit<K extends keyof AmiClientEvents>(name: K, ...args: AmiClientEvents[K]): void {
    try {
      (this.emit as (n: K, ...a: AmiClientEvents[K]) => boolean)(name, ...args);
    } catch (err) {
      this.opts.logger.error('AMI listener threw', { event: name, err });
    }
  }
}
