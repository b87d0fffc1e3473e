// An in-memory PbxPort for unit tests: records every command, lets the test
// play the PBX's part by emitting events.
import type { EndpointSpec, OriginateRequest, PbxBridge, PbxChannel, PbxEvent, PbxPort } from '../../src/telephony/ports.js';
import { PbxCommandError } from '../../src/telephony/ports.js';

export interface Command {
  op: string;
  args: unknown[];
}

export class FakePbx implements PbxPort {
  connected = true;
  commands: Command[] = [];
  channels = new Map<string, PbxChannel>();
  bridges = new Map<string, PbxBridge>();
  endpoints = new Map<string, EndpointSpec>();
  globals = new Map<string, string>();
  recordings = new Map<string, Buffer>();
  failOriginate: ((r: OriginateRequest) => boolean) | null = null;
  private handlers: ((e: PbxEvent) => void)[] = [];
  private connHandlers: ((up: boolean) => void)[] = [];

  onEvent(h: (e: PbxEvent) => void): void {
    this.handlers.push(h);
  }
  onConnectionChange(h: (up: boolean) => void): void {
    this.connHandlers.push(h);
  }
  emit(e: PbxEvent): void {
    for (const h of this.handlers) h(e);
  }
  setConnected(up: boolean): void {
    this.connected = up;
    for (const h of this.connHandlers) h(up);
  }

  private log(op: string, ...args: unknown[]): void {
    this.commands.push({ op, args });
  }
  ops(op: string): Command[] {
    return this.commands.filter((c) => c.op === op);
  }

  /** A caller's channel arrives in the app for a DID. */
  inbound(id: string, did: string, caller = '79161234567'): PbxChannel {
    const ch: PbxChannel = { id, name: `PJSIP/carrier-${id}`, state: 'Ring', callerNumber: caller, callerName: '', creationTime: new Date().toISOString(), dialplanApp: 'Stasis', dialplanAppData: `pult,inbound,${did}` };
    this.channels.set(id, ch);
    this.emit({ type: 'channelEntered', channel: ch, args: ['inbound', did] });
    return ch;
  }
  /** An originated leg answers and enters the app. */
  answerLeg(channelId: string): void {
    const o = this.ops('originate').map((c) => c.args[0] as OriginateRequest).find((r) => r.channelId === channelId);
    if (!o) throw new Error(`no originate for ${channelId}`);
    const ch = this.channels.get(channelId)!;
    ch.state = 'Up';
    this.emit({ type: 'channelEntered', channel: ch, args: o.appArgs });
  }
  /** The caller presses a key. */
  dtmf(channelId: string, digit: string): void {
    this.emit({ type: 'dtmf', channelId, digit });
  }
  /** A playback started with play() ends. */
  playbackDone(playbackId: string): void {
    this.emit({ type: 'playbackFinished', playbackId });
  }
  /** A channel goes away (hang-up, no answer…). */
  destroy(channelId: string, cause = 16): void {
    this.channels.delete(channelId);
    this.emit({ type: 'channelDestroyed', channelId, cause, causeText: '' });
  }
  lastOriginate(): OriginateRequest | undefined {
    return this.ops('originate').at(-1)?.args[0] as OriginateRequest | undefined;
  }

  async answer(id: string) { this.log('answer', id); const c = this.channels.get(id); if (c) c.state = 'Up'; }
  async ring(id: string) { this.log('ring', id); }
  async stopRing(id: string) { this.log('stopRing', id); }
  async startMoh(id: string) { this.log('startMoh', id); }
  async stopMoh(id: string) { this.log('stopMoh', id); }
  async stopPlayback(id: string) { this.log('stopPlayback', id); }
  async hangup(id: string, reason?: string) { this.log('hangup', id, reason); this.channels.delete(id); }
  async play(id: string, playbackId: string, media: string[]) { this.log('play', id, playbackId, media); }
  async originate(r: OriginateRequest) {
    this.log('originate', r);
    if (this.failOriginate?.(r)) throw new PbxCommandError('originate failed (fake)', 500);
    this.channels.set(r.channelId, { id: r.channelId, name: r.endpoint, state: 'Down', callerNumber: '', callerName: '', creationTime: new Date().toISOString(), dialplanApp: '', dialplanAppData: '' });
  }
  async snoop(id: string, o: { spy: string; whisper: string; appArgs: string[]; snoopId: string }) {
    this.log('snoop', id, o);
    this.channels.set(o.snoopId, { id: o.snoopId, name: `Snoop/${id}`, state: 'Up', callerNumber: '', callerName: '', creationTime: new Date().toISOString(), dialplanApp: '', dialplanAppData: '' });
  }
  async createBridge(id: string) { this.log('createBridge', id); this.bridges.set(id, { id, channelIds: [] }); }
  async addToBridge(b: string, ids: string[]) { this.log('addToBridge', b, ids); this.bridges.get(b)?.channelIds.push(...ids); }
  async destroyBridge(id: string) { this.log('destroyBridge', id); this.bridges.delete(id); }
  async recordBridge(b: string, name: string, format: string) { this.log('recordBridge', b, name, format); }
  async fetchRecording(name: string) { this.log('fetchRecording', name); return this.recordings.get(name) ?? null; }
  async deleteRecording(name: string) { this.log('deleteRecording', name); this.recordings.delete(name); }
  async listChannels() { return [...this.channels.values()]; }
  async listBridges() { return [...this.bridges.values()]; }
  async upsertEndpoint(s: EndpointSpec) { this.log('upsertEndpoint', s.id); this.endpoints.set(s.id, s); }
  async deleteEndpoint(id: string) { this.log('deleteEndpoint', id); this.endpoints.delete(id); }
  async setGlobalVar(n: string, v: string) { this.log('setGlobalVar', n, v); this.globals.set(n, v); }
}

/** A minimal valid WAV: 8 kHz 16-bit mono, `seconds` long. */
export function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 16000));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8);
  h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24); h.writeUInt32LE(16000, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
  h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
