// What the call-routing core asks of a PBX. The ARI adapter implements it
// against Asterisk; unit tests implement it with a fake. Nothing in here
// names Asterisk's wire format.

export interface PbxChannel {
  id: string;
  name: string;
  /** Down | Ring | Ringing | Up | Busy | … */
  state: string;
  callerNumber: string;
  callerName: string;
  creationTime: string;
  /** The dialplan application the channel sits in and its arguments, e.g. Stasis / "pult,inbound,74950000001". */
  dialplanApp: string;
  dialplanAppData: string;
}

export interface PbxBridge {
  id: string;
  channelIds: string[];
}

export type PbxEvent =
  | { type: 'channelEntered'; channel: PbxChannel; args: string[]; /** when the PBX emitted it */ at?: string }
  | { type: 'channelLeft'; channelId: string }
  | { type: 'channelDestroyed'; channelId: string; cause: number; causeText: string }
  | { type: 'recordingFinished'; name: string; durationSec: number | null }
  | { type: 'recordingFailed'; name: string; cause: string }
  | { type: 'playbackFinished'; playbackId: string }
  /** A caller pressed a key (0-9, *, #, A-D). */
  | { type: 'dtmf'; channelId: string; digit: string };

/** Q.850 cause of a dialled leg that ended unanswered → why it did not answer. */
export function unansweredReason(cause: number): string {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19 || cause === 16) return 'noanswer';
  if (cause === 21) return 'rejected';
  return 'failed';
}

export interface OriginateRequest {
  /** Chosen by us, so the leg can be found again after a restart. */
  channelId: string;
  /** e.g. PJSIP/1001 or PJSIP/79161234567@carrier */
  endpoint: string;
  callerId: string;
  timeoutSec: number;
  /** Arguments the channel carries into our application when it answers. */
  appArgs: string[];
  variables?: Record<string, string>;
}

export interface EndpointSpec {
  id: string;
  password: string;
  kind: 'webrtc' | 'sip';
  /** A fixed contact (desk phone without registration); null = registers. */
  staticContact: string | null;
  displayName: string;
}

export class PbxCommandError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'PbxCommandError';
  }
}

export interface PbxPort {
  readonly connected: boolean;
  onEvent(handler: (e: PbxEvent) => void): void;
  /** Called with true after every (re)connect, once the PBX is ready for commands. */
  onConnectionChange(handler: (up: boolean) => void): void;

  answer(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  stopRing(channelId: string): Promise<void>;
  startMoh(channelId: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer'): Promise<void>;
  play(channelId: string, playbackId: string, media: string[], lang?: string): Promise<void>;
  /** Stops a playback started with play(); an already finished one is fine. */
  stopPlayback(playbackId: string): Promise<void>;
  originate(req: OriginateRequest): Promise<void>;
  /** A snoop channel on `channelId` (spy: audio we hear of it; whisper: audio we send into it; in = from the channel, out = to it), entering the app with appArgs. */
  snoop(channelId: string, o: { spy: 'none' | 'in' | 'out' | 'both'; whisper: 'none' | 'in' | 'out' | 'both'; appArgs: string[]; snoopId: string }): Promise<void>;

  createBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  recordBridge(bridgeId: string, name: string, format: string): Promise<void>;
  /** The stored recording's bytes, or null when the PBX has no such file. */
  fetchRecording(name: string, format: string): Promise<Buffer | null>;
  deleteRecording(name: string): Promise<void>;

  listChannels(): Promise<PbxChannel[]>;
  listBridges(): Promise<PbxBridge[]>;

  upsertEndpoint(spec: EndpointSpec): Promise<void>;
  deleteEndpoint(id: string): Promise<void>;
  setGlobalVar(name: string, value: string): Promise<void>;
}

/** A SIP trunk to a carrier, as Pult provisions it on the PBX. */
export interface TrunkSpec {
  /** Pult's trunk id. */
  id: number;
  /** ip: the carrier is recognised by its address; register: the PBX registers to it with a login. */
  mode: 'ip' | 'register';
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  /** Codec names in order of preference (alaw, ulaw, g722, opus…). */
  codecs: string[];
  username: string | null;
  password: string | null;
  /** The digest user when it differs from the login. */
  authUsername: string | null;
  realm: string | null;
  /** Where an inbound call's DID is read from. */
  didSource: 'ruri' | 'to' | 'diversion';
}

export type TrunkRegistrationState = 'registered' | 'rejected' | 'unregistered';

/** Provisioning of trunks on the PBX (ARI dynamic configuration on Asterisk). */
export interface TrunkProvisioning {
  /** Creates or changes the trunk; `restartRegistration` starts its registration afresh (new credentials). */
  upsertTrunk(spec: TrunkSpec, o: { restartRegistration: boolean }): Promise<void>;
  deleteTrunk(id: number): Promise<void>;
  /** Ids of the trunks the PBX has now (to remove those Pult no longer knows). */
  provisionedIds(): Promise<number[]>;
}

/** The PBX's outbound registrations, by trunk id (absent: the PBX has none for it). */
export interface TrunkRegistrations {
  readonly connected: boolean;
  states(): Promise<Map<number, TrunkRegistrationState>>;
  /** Called when the PBX reports a registration changed state. */
  onChange(handler: () => void): void;
}
