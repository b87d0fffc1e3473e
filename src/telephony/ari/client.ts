// A thin Asterisk REST Interface client: REST over node:http (keep-alive), events over one
// WebSocket that reconnects with backoff forever. It replaces the npm
// `ari-client` (last release 2019, built on the deprecated `request`, gives
// up reconnecting after about a minute): this one is ~150 lines we own, and
// the resync after a reconnect lives in the adapter where it belongs.
import { backoffDelay } from '../backoff.js';
import http from 'node:http';
import WebSocket from 'ws';
import type { Logger } from '../../log.js';
import { PbxCommandError } from '../ports.js';

export interface AriClientOptions {
  url: string; // http://127.0.0.1:8088
  user: string;
  password: string;
  app: string;
  logger: Logger;
  /** Backoff bounds for reconnects, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  /** Receive every channel's events, not only ours (observers, benchmarks). */
  subscribeAll?: boolean;
}

type Query = Record<string, string | number | boolean | undefined>;

export class AriClient {
  private ws: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private eventHandlers: ((raw: unknown) => void)[] = [];
  private stateHandlers: ((up: boolean) => void)[] = [];
  private up = false;
  private readonly auth: string;
  /** Keep-alive connections: most commands are small and come in bursts. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  constructor(private readonly opts: AriClientOptions) {
    this.auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
  }

  get connected(): boolean {
    return this.up;
  }

  onEvent(h: (raw: unknown) => void): void {
    this.eventHandlers.push(h);
  }

  onState(h: (up: boolean) => void): void {
    this.stateHandlers.push(h);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
    this.setUp(false);
    this.agent.destroy();
  }

  async request<T = unknown>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
    const u = new URL(`/ari${path}`, this.opts.url);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    const payload = body !== undefined ? Buffer.from(JSON.stringify(body)) : null;
    let res: { status: number; type: string; data: Buffer };
    try {
      res = await new Promise((resolve, reject) => {
        const req = http.request(
          u,
          {
            method,
            agent: this.agent,
            headers: { authorization: this.auth, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
            timeout: this.opts.requestTimeoutMs ?? 10_000,
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type'] ?? ''), data: Buffer.concat(chunks) }));
            r.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(payload ?? undefined);
      });
    } catch (err) {
      throw new PbxCommandError(`ARI ${method} ${path}: ${(err as Error).message}`, null);
    }
    if (res.status < 200 || res.status >= 300) {
      const text = res.data.toString('utf8');
      let detail = text;
      try {
        detail = (JSON.parse(text) as { message?: string; error?: string }).message ?? text;
      } catch {
        /* not JSON */
      }
      throw new PbxCommandError(`ARI ${method} ${path} → ${res.status} ${detail}`.trim(), res.status);
    }
    if (res.status === 204 || res.data.length === 0) return undefined as T;
    if (res.type.includes('application/json')) return JSON.parse(res.data.toString('utf8')) as T;
    return res.data as T;
  }

  private connect(): void {
    if (this.stopped) return;
    const u = new URL('/ari/events', this.opts.url.replace(/^http/, 'ws'));
    u.searchParams.set('app', this.opts.app);
    u.searchParams.set('subscribeAll', this.opts.subscribeAll ? 'true' : 'false');
    const ws = new WebSocket(u, { headers: { authorization: this.auth }, handshakeTimeout: 5000 });
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      this.opts.logger.info('ARI connected', { url: this.opts.url, app: this.opts.app });
      this.setUp(true);
    });
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        this.opts.logger.warn('ARI sent a frame that is not JSON; dropped', { frame: data.toString().slice(0, 200) });
        return;
      }
      for (const h of this.eventHandlers) {
        try {
          h(parsed);
        } catch (err) {
          this.opts.logger.error('ARI event handler threw', { err });
        }
      }
    });
    ws.on('error', (err) => {
      this.opts.logger.debug('ARI socket error', { err: err.message });
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      if (this.up) this.opts.logger.warn('ARI disconnected');
      this.setUp(false);
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.opts.minBackoffMs, this.opts.maxBackoffMs);
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    for (const h of this.stateHandlers) h(up);
  }
}
