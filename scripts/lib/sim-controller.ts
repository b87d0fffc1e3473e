// Drives the simulator Asterisk (the carrier, callers, mobile phones and
// desk phones) over its ARI: places inbound calls to the PBX with audio, and
// answers, ignores or rejects the calls the PBX sends out. Used by the
// integration tests, `npm run call` and the benchmarks.
import { AriClient } from '../../src/telephony/ari/client.js';
import { createLogger, type Logger } from '../../src/log.js';

export type IncomingPolicy =
  | { action: 'answer'; afterMs?: number; tone?: string; hangupAfterMs?: number }
  | { action: 'ignore' }
  | { action: 'reject' };

export interface SimChannelInfo {
  id: string;
  role: 'caller' | 'incoming';
  exten: string;
  /** The caller id the call arrived with (incoming calls). */
  callerNumber: string;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
}

export class SimController {
  readonly ari: AriClient;
  readonly channels = new Map<string, SimChannelInfo>();
  private policies = new Map<string, IncomingPolicy | (() => IncomingPolicy)>();
  private defaultPolicy: IncomingPolicy | (() => IncomingPolicy) = { action: 'ignore' };
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private seq = 0;

  constructor(opts: { url: string; user: string; password: string; logger?: Logger }) {
    const logger = opts.logger ?? createLogger('error', { part: 'sim' });
    this.ari = new AriClient({ url: opts.url, user: opts.user, password: opts.password, app: 'sim', logger, minBackoffMs: 200, maxBackoffMs: 2000 });
    this.ari.onEvent((raw) => void this.onEvent(raw as Record<string, unknown>));
  }

  async start(): Promise<void> {
    this.ari.start();
    await this.until(() => this.ari.connected, 10_000, 'sim ARI connection');
  }

  stop(): Promise<void> {
    return this.ari.stop();
  }

  /** How calls to this number/extension are treated; `*` sets the default. A function decides per call (random delays, busy). */
  on(exten: string, policy: IncomingPolicy | (() => IncomingPolicy)): void {
    if (exten === '*') this.defaultPolicy = policy;
    else this.policies.set(exten, policy);
  }

  /**
   * Places a call from `caller` to the PBX's DID; the caller plays `tone` once answered.
   * `via`: the simulator's carrier endpoint: `pbx` (IP-identified) or `pult-reg` (the
   * registering carrier, which only reaches a PBX registered to it).
   */
  async call(did: string, caller: string, tone = 'tone:440', via: 'pbx' | 'pult-reg' = 'pbx'): Promise<string> {
    const id = `sim-${process.pid}-${Date.now()}-${++this.seq}`;
    this.channels.set(id, { id, role: 'caller', exten: did, callerNumber: caller, createdAt: Date.now(), answeredAt: null, endedAt: null });
    this.tones.set(id, tone);
    await this.ari.request('POST', `/channels/${id}`, { endpoint: `PJSIP/${did}@${via}`, app: 'sim', appArgs: 'caller', callerId: caller, timeout: 600 });
    return id;
  }

  /** Sends DTMF digits from a simulator channel to the PBX (a caller pressing keys). */
  async dtmf(id: string, digits: string): Promise<void> {
    // A channel's ARI commands wait behind its playback: stop the caller's tone first.
    await this.ari.request('DELETE', `/playbacks/${encodeURIComponent(`${id}-tone`)}`).catch(() => undefined);
    await this.ari.request('POST', `/channels/${encodeURIComponent(id)}/dtmf`, { dtmf: digits, duration: 200 });
  }

  async hangup(id: string): Promise<void> {
    await this.ari.request('DELETE', `/channels/${encodeURIComponent(id)}`).catch(() => undefined);
  }

  /** Waits until a condition over the simulator's channels holds. */
  until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { test, resolve: () => (clearTimeout(t), resolve()) };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push(w);
      const poll = setInterval(() => {
        if (!this.waiters.includes(w)) return clearInterval(poll);
        if (test()) {
          clearInterval(poll);
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve();
        }
      }, 50);
    });
  }

  /** Hangs up every simulator channel still up (test clean-up). */
  async hangupAll(): Promise<void> {
    await Promise.all([...this.channels.values()].filter((c) => !c.endedAt).map((c) => this.hangup(c.id)));
  }

  incoming(exten: string): SimChannelInfo[] {
    return [...this.channels.values()].filter((c) => c.role === 'incoming' && c.exten === exten);
  }

  /** RTP statistics of a simulator channel (packets both ways), from the CLI-equivalent ARI variable. */
  async rtpStats(id: string): Promise<{ rxPackets: number; txPackets: number } | null> {
    try {
      const rx = await this.ari.request<{ value: string }>('GET', `/channels/${encodeURIComponent(id)}/variable`, { variable: 'CHANNEL(rtcp,rxcount)' });
      const tx = await this.ari.request<{ value: string }>('GET', `/channels/${encodeURIComponent(id)}/variable`, { variable: 'CHANNEL(rtcp,txcount)' });
      return { rxPackets: Number(rx.value), txPackets: Number(tx.value) };
    } catch {
      return null;
    }
  }

  private tones = new Map<string, string>();

  private async onEvent(e: Record<string, unknown>): Promise<void> {
    const type = e.type as string;
    const channel = e.channel as { id: string; caller?: { number?: string } } | undefined;
    if (type === 'StasisStart' && channel) {
      const args = (e.args as string[]) ?? [];
      if (args[0] === 'caller') {
        const c = this.channels.get(channel.id);
        if (c) c.answeredAt = Date.now();
        await this.play(channel.id, this.tones.get(channel.id) ?? 'tone:440');
      } else if (args[0] === 'incoming') {
        const exten = args[1] ?? '';
        this.channels.set(channel.id, { id: channel.id, role: 'incoming', exten, callerNumber: channel.caller?.number ?? '', createdAt: Date.now(), answeredAt: null, endedAt: null });
        const policy = this.policies.get(exten) ?? this.defaultPolicy;
        await this.treat(channel.id, typeof policy === 'function' ? policy() : policy);
      }
    } else if ((type === 'ChannelDestroyed' || type === 'StasisEnd') && channel) {
      const c = this.channels.get(channel.id);
      if (c && !c.endedAt) c.endedAt = Date.now();
    } else if (type === 'ChannelStateChange' && channel) {
      const c = this.channels.get(channel.id);
      const state = (e.channel as { state?: string }).state;
      if (c && state === 'Up' && !c.answeredAt) c.answeredAt = Date.now();
    }
    for (const w of [...this.waiters]) {
      if (!w.test()) continue;
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve();
    }
  }

  private async treat(id: string, p: IncomingPolicy): Promise<void> {
    try {
      if (p.action === 'reject') return void (await this.ari.request('DELETE', `/channels/${id}`, { reason: 'busy' }));
      if (p.action === 'ignore') return void (await this.ari.request('POST', `/channels/${id}/ring`));
      await this.ari.request('POST', `/channels/${id}/ring`);
      if (p.afterMs) await new Promise((r) => setTimeout(r, p.afterMs));
      await this.ari.request('POST', `/channels/${id}/answer`);
      const c = this.channels.get(id);
      if (c) c.answeredAt = Date.now();
      await this.play(id, p.tone ?? 'tone:1000');
      if (p.hangupAfterMs) setTimeout(() => void this.hangup(id), p.hangupAfterMs);
    } catch {
      /* the channel went away meanwhile */
    }
  }

  private async play(id: string, media: string): Promise<void> {
    await this.ari.request('POST', `/channels/${encodeURIComponent(id)}/play/${encodeURIComponent(`${id}-tone`)}`, { media }).catch(() => undefined);
  }
}
