// PbxPort on top of Asterisk's ARI. Translates ARI's JSON into our PBX
// events (validated: a malformed event is logged and dropped, never thrown)
// and our commands into ARI requests.
import { z } from 'zod';
import type { Logger } from '../../log.js';
import { PbxCommandError, type EndpointSpec, type OriginateRequest, type PbxBridge, type PbxChannel, type PbxEvent, type PbxPort } from '../ports.js';
import { AriClient, type AriClientOptions } from './client.js';

const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  caller: z.object({ name: z.string().default(''), number: z.string().default('') }).default({ name: '', number: '' }),
  creationtime: z.string().default(''),
  dialplan: z.object({ app_name: z.string().optional(), app_data: z.string().optional() }).partial().optional(),
});

const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('StasisStart'), channel: channelSchema, args: z.array(z.string()).default([]), timestamp: z.string().optional() }),
  z.object({ type: z.literal('StasisEnd'), channel: channelSchema }),
  z.object({ type: z.literal('ChannelDestroyed'), channel: channelSchema, cause: z.number().default(0), cause_txt: z.string().default('') }),
  z.object({ type: z.literal('RecordingFinished'), recording: z.object({ name: z.string(), duration: z.number().optional() }) }),
  z.object({ type: z.literal('RecordingFailed'), recording: z.object({ name: z.string(), cause: z.string().optional() }) }),
  z.object({ type: z.literal('PlaybackFinished'), playback: z.object({ id: z.string() }) }),
  z.object({ type: z.literal('ChannelDtmfReceived'), channel: channelSchema, digit: z.string().regex(/^[0-9*#A-D]$/, 'one DTMF digit') }),
]);

// Only what routing acts on is parsed; the rest (ChannelStateChange, Dial,
// ChannelVarset…) is dropped before validation, which matters under load.
const handledTypes = new Set(['StasisStart', 'StasisEnd', 'ChannelDestroyed', 'RecordingFinished', 'RecordingFailed', 'PlaybackFinished', 'ChannelDtmfReceived']);

type AriChannel = z.infer<typeof channelSchema>;

export function toPbxChannel(c: AriChannel): PbxChannel {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    callerNumber: c.caller.number,
    callerName: c.caller.name,
    creationTime: c.creationtime,
    dialplanApp: c.dialplan?.app_name ?? '',
    dialplanAppData: c.dialplan?.app_data ?? '',
  };
}

/** Translates one raw ARI event; null when it is not one we act on or is malformed. */
export function translateAriEvent(raw: unknown, logger: Logger): PbxEvent | null {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !handledTypes.has(type)) return null;
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    logger.warn('malformed ARI event dropped', { type, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    return null;
  }
  const e = parsed.data;
  switch (e.type) {
    case 'StasisStart':
      return { type: 'channelEntered', channel: toPbxChannel(e.channel), args: e.args, at: e.timestamp };
    case 'StasisEnd':
      return { type: 'channelLeft', channelId: e.channel.id };
    case 'ChannelDestroyed':
      return { type: 'channelDestroyed', channelId: e.channel.id, cause: e.cause, causeText: e.cause_txt };
    case 'RecordingFinished':
      return { type: 'recordingFinished', name: e.recording.name, durationSec: e.recording.duration ?? null };
    case 'RecordingFailed':
      return { type: 'recordingFailed', name: e.recording.name, cause: e.recording.cause ?? 'unknown' };
    case 'PlaybackFinished':
      return { type: 'playbackFinished', playbackId: e.playback.id };
    case 'ChannelDtmfReceived':
      return { type: 'dtmf', channelId: e.channel.id, digit: e.digit };
  }
}

const enc = encodeURIComponent;

/** Runs a removal; a 404 means the thing is already gone, which is what we wanted. */
async function unlessGone(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (err) {
    if (err instanceof PbxCommandError && err.status === 404) return;
    throw err;
  }
}

export class AriPbx implements PbxPort {
  readonly client: AriClient;
  private handlers: ((e: PbxEvent) => void)[] = [];
  private readonly app: string;

  constructor(opts: AriClientOptions, private readonly logger: Logger) {
    this.app = opts.app;
    this.client = new AriClient(opts);
    this.client.onEvent((raw) => {
      const e = translateAriEvent(raw, logger);
      if (e) for (const h of this.handlers) h(e);
    });
    // Asterisk sends the app every event of its channels (dialling, state
    // changes, hang-up requests…): in the screen-pop bench about half of them
    // are of no use, each serialised by the PBX and parsed here in the way of
    // the next caller's card. Ask for the used types only, on every connect;
    // until then, or if refused, the rest is dropped by translateAriEvent.
    this.client.onState((up) => {
      if (up) this.setEventFilter().catch((err: unknown) => logger.warn('could not set the ARI event filter; every event of the app is still received', { err }));
    });
  }

  private async setEventFilter(): Promise<void> {
    const app = await this.client.request<{ events_allowed?: { type: string }[] }>('PUT', `/applications/${enc(this.app)}/eventFilter`, {}, { allowed: [...handledTypes].map((type) => ({ type })) });
    this.logger.info('ARI event filter set', { allowed: app?.events_allowed?.map((e) => e.type) ?? null });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  start(): void {
    this.client.start();
  }

  stop(): Promise<void> {
    return this.client.stop();
  }

  onEvent(h: (e: PbxEvent) => void): void {
    this.handlers.push(h);
  }

  onConnectionChange(h: (up: boolean) => void): void {
    this.client.onState(h);
  }

  async answer(id: string): Promise<void> {
    await this.client.request('POST', `/channels/${enc(id)}/answer`);
  }

  async ring(id: string): Promise<void> {
    await this.client.request('POST', `/channels/${enc(id)}/ring`);
  }

  async stopRing(id: string): Promise<void> {
    await this.client.request('DELETE', `/channels/${enc(id)}/ring`);
  }

  async startMoh(id: string): Promise<void> {
    await this.client.request('POST', `/channels/${enc(id)}/moh`);
  }

  async stopMoh(id: string): Promise<void> {
    await this.client.request('DELETE', `/channels/${enc(id)}/moh`);
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await unlessGone(this.client.request('DELETE', `/playbacks/${enc(playbackId)}`));
  }

  async hangup(id: string, reason: 'normal' | 'busy' | 'congestion' | 'no_answer' = 'normal'): Promise<void> {
    await unlessGone(this.client.request('DELETE', `/channels/${enc(id)}`, { reason }));
  }

  async play(id: string, playbackId: string, media: string[], lang?: string): Promise<void> {
    await this.client.request('POST', `/channels/${enc(id)}/play/${enc(playbackId)}`, { media: media.join(','), lang });
  }

  async originate(r: OriginateRequest): Promise<void> {
    await this.client.request(
      'POST',
      `/channels/${enc(r.channelId)}`,
      { endpoint: r.endpoint, app: this.app, appArgs: r.appArgs.join(','), callerId: r.callerId, timeout: r.timeoutSec },
      { variables: r.variables ?? {} },
    );
  }

  async snoop(channelId: string, o: { spy: 'none' | 'in' | 'out' | 'both'; whisper: 'none' | 'in' | 'out' | 'both'; appArgs: string[]; snoopId: string }): Promise<void> {
    await this.client.request('POST', `/channels/${enc(channelId)}/snoop/${enc(o.snoopId)}`, { spy: o.spy, whisper: o.whisper, app: this.app, appArgs: o.appArgs.join(',') });
  }

  async createBridge(id: string): Promise<void> {
    await this.client.request('POST', `/bridges/${enc(id)}`, { type: 'mixing', name: id });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.client.request('POST', `/bridges/${enc(bridgeId)}/addChannel`, { channel: channelIds.join(',') });
  }

  async destroyBridge(id: string): Promise<void> {
    await unlessGone(this.client.request('DELETE', `/bridges/${enc(id)}`));
  }

  async recordBridge(bridgeId: string, name: string, format: string): Promise<void> {
    await this.client.request('POST', `/bridges/${enc(bridgeId)}/record`, { name, format, ifExists: 'overwrite', beep: false });
  }

  async fetchRecording(name: string): Promise<Buffer | null> {
    try {
      return await this.client.request<Buffer>('GET', `/recordings/stored/${enc(name)}/file`);
    } catch (err) {
      if (err instanceof PbxCommandError && err.status === 404) return null;
      throw err;
    }
  }

  async deleteRecording(name: string): Promise<void> {
    await unlessGone(this.client.request('DELETE', `/recordings/stored/${enc(name)}`));
  }

  async listChannels(): Promise<PbxChannel[]> {
    const raw = await this.client.request<unknown[]>('GET', '/channels');
    const out: PbxChannel[] = [];
    for (const c of raw) {
      const p = channelSchema.safeParse(c);
      if (p.success) out.push(toPbxChannel(p.data));
      else this.logger.warn('malformed channel in ARI list dropped');
    }
    return out;
  }

  async listBridges(): Promise<PbxBridge[]> {
    const raw = await this.client.request<{ id: string; channels?: string[] }[]>('GET', '/bridges');
    return raw.map((b) => ({ id: b.id, channelIds: b.channels ?? [] }));
  }

  async upsertEndpoint(s: EndpointSpec): Promise<void> {
    const put = (type: string, fields: Record<string, string>) =>
      this.client.request('PUT', `/asterisk/config/dynamic/res_pjsip/${type}/${enc(s.id)}`, {}, {
        fields: Object.entries(fields).map(([attribute, value]) => ({ attribute, value })),
      });
    await put('auth', { auth_type: 'userpass', username: s.id, password: s.password });
    const aor: Record<string, string> = s.staticContact
      ? { contact: s.staticContact, max_contacts: '1' }
      : { max_contacts: '1', remove_existing: 'yes', qualify_frequency: '30' };
    await put('aor', aor);
    const common = { auth: s.id, aors: s.id, context: 'operators', disallow: 'all', allow: 'ulaw,alaw', callerid: `"${s.displayName.replace(/"/g, '')}" <${s.id}>` };
    const kind: Record<string, string> = s.kind === 'webrtc'
      ? { webrtc: 'yes', dtls_auto_generate_cert: 'yes' }
      : { transport: 'transport-udp', direct_media: 'no', rtp_symmetric: 'yes', force_rport: 'yes', rewrite_contact: 'yes' };
    await put('endpoint', { ...common, ...kind });
  }

  async deleteEndpoint(id: string): Promise<void> {
    for (const type of ['endpoint', 'aor', 'auth']) {
      try {
        await this.client.request('DELETE', `/asterisk/config/dynamic/res_pjsip/${type}/${enc(id)}`);
      } catch (err) {
        if (!(err instanceof PbxCommandError && err.status === 404)) throw err;
      }
    }
  }

  async setGlobalVar(name: string, value: string): Promise<void> {
    await this.client.request('POST', '/asterisk/variable', { variable: name, value });
  }
}
