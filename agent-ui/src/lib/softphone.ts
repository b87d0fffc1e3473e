// The browser softphone (sip.js over Asterisk's WebSocket /ws): registers
// with the operator's SIP credentials, keeps itself registered (own retry
// with backoff after a network drop or a refused REGISTER), takes one
// incoming call at a time, places outgoing calls (the dial pad: an INVITE
// into the PBX's operators context, which hands it to Pult), and offers
// answer / hang up / hold / mute / DTMF / blind transfer (carried out by the server).
import { Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, type Session, type Web } from 'sip.js';
import type { SipCredentials } from './types.ts';

export type RegState = 'connecting' | 'registered' | 'unregistered' | 'mic-denied';
export type MicProblem = 'denied' | 'insecure' | 'missing' | null;
export type TransferState = 'idle' | 'pending' | 'done' | 'failed';

export interface PhoneCall {
  /** ringing: an incoming call; dialling: our outgoing call, not answered yet. */
  phase: 'ringing' | 'dialling' | 'connected';
  direction: 'in' | 'out';
  /** Caller number as the INVITE's From user (the PBX puts the caller's number there); for an outgoing call the number dialled. */
  from: string;
  displayName: string;
  /** Pult's call id when the PBX sends it in X-Pult-Call-Id. */
  pultCallId: string | null;
  held: boolean;
  muted: boolean;
  connectedAt: number | null;
  transfer: TransferState;
}

const maxRetryMs = 30_000;
const registerExpiresSec = 120;

export class Softphone {
  regState: RegState = 'connecting';
  micProblem: MicProblem = null;
  /** When the next registration attempt is due (ms epoch), while unregistered. */
  retryAt: number | null = null;
  call: PhoneCall | null = null;

  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private session: Session | null = null;
  private creds: SipCredentials | null = null;
  private attempt = 0;
  private retryTimer: number | null = null;
  private stopped = true;
  private readonly listeners = new Set<() => void>();
  private readonly callEndListeners = new Set<(c: PhoneCall) => void>();
  private readonly audio: HTMLAudioElement;

  constructor() {
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
    this.audio.hidden = true;
    document.body.append(this.audio);
    window.addEventListener('online', () => this.retryNow());
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  onCallEnded(fn: (c: PhoneCall) => void): void {
    this.callEndListeners.add(fn);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private setReg(s: RegState): void {
    if (this.regState === s) return;
    this.regState = s;
    this.emit();
  }

  /** The peer connection of the current call (tests read its getStats()). */
  pc(): RTCPeerConnection | null {
    const sdh = this.session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    return sdh?.peerConnection ?? null;
  }

  /** Asks for the microphone once (and lets it go): no microphone, no registration. */
  async checkMic(): Promise<boolean> {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      this.micProblem = 'insecure';
      return false;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      for (const tr of stream.getTracks()) tr.stop();
      this.micProblem = null;
      return true;
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      this.micProblem = name === 'NotFoundError' || name === 'OverconstrainedError' ? 'missing' : 'denied';
      return false;
    }
  }

  async start(creds: SipCredentials): Promise<void> {
    this.creds = creds;
    this.stopped = false;
    this.watchMicPermission();
    await this.recheckMicAndConnect();
  }

  /** Re-checks the microphone; registers when it is allowed. */
  async recheckMicAndConnect(): Promise<void> {
    if (this.stopped) return;
    this.setReg('connecting');
    if (!(await this.checkMic())) {
      this.clearRetry();
      this.setReg('mic-denied');
      this.emit();
      return;
    }
    this.emit();
    this.connect();
  }

  private watchMicPermission(): void {
    if (!navigator.permissions?.query) return;
    navigator.permissions
      .query({ name: 'microphone' as PermissionName })
      .then((status) => {
        status.onchange = () => {
          if (this.stopped) return;
          if (status.state === 'granted' && this.regState === 'mic-denied') void this.recheckMicAndConnect();
          if (status.state === 'denied') {
            this.micProblem = 'denied';
            this.setReg('mic-denied');
            void this.registerer?.unregister().catch(() => undefined);
          }
        };
      })
      .catch(() => undefined);
  }

  private makeUa(creds: SipCredentials): UserAgent {
    const uri = UserAgent.makeURI(`sip:${creds.extension}@${creds.domain}`);
    if (!uri) throw new Error(`bad SIP URI for ${creds.extension}@${creds.domain}`);
    const ua = new UserAgent({
      uri,
      authorizationUsername: creds.extension,
      authorizationPassword: creds.password,
      transportOptions: { server: creds.wsUrl, connectionTimeout: 5 },
      logLevel: 'warn',
      logBuiltinEnabled: true,
      noAnswerTimeout: 180,
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: 500,
      },
      delegate: {
        // A replaced user agent (see connect) has no say any more.
        onConnect: () => this.ua === ua && this.register(),
        onDisconnect: (error) => {
          if (this.stopped || this.ua !== ua) return;
          if (error) this.failed();
        },
        onInvite: (inv) => this.incoming(inv),
      },
    });
    const registerer = new Registerer(ua, { expires: registerExpiresSec });
    this.registerer = registerer;
    registerer.stateChange.addListener((s) => {
      if (this.stopped || this.registerer !== registerer) return;
      if (s === RegistererState.Registered) {
        this.attempt = 0;
        this.retryAt = null;
        this.setReg('registered');
      } else if (s === RegistererState.Unregistered) {
        this.failed();
      }
    });
    return ua;
  }

  private connect(): void {
    if (this.stopped || !this.creds) return;
    this.clearRetry();
    if (this.ua?.isConnected()) {
      this.register();
      return;
    }
    // After a drop (the PBX restarted, the network went away) start from a
    // fresh user agent: a registerer that lived through a lost transport can
    // stay stuck and never register again.
    const old = this.ua;
    this.ua = null;
    this.registerer = null;
    if (old) void old.stop().catch(() => undefined);
    this.ua = this.makeUa(this.creds);
    this.ua.start().catch(() => this.failed());
  }

  private register(): void {
    if (this.stopped || !this.registerer || this.regState === 'mic-denied') return;
    this.registerer
      .register({
        requestDelegate: {
          onReject: () => this.failed(),
        },
      })
      .catch(() => this.failed());
  }

  /** Not registered: say so and try again with backoff (1 s doubling to 30 s, ±20 %). */
  private failed(): void {
    if (this.stopped || this.regState === 'mic-denied') return;
    this.setReg('unregistered');
    if (this.retryTimer !== null) return;
    const base = Math.min(maxRetryMs, 1000 * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.emit();
  }

  private retryNow(): void {
    if (this.stopped || this.regState === 'registered' || this.regState === 'mic-denied') return;
    this.attempt = 0;
    this.connect();
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearRetry();
    try {
      if (this.session) await this.hangup();
      if (this.registerer?.state === RegistererState.Registered) await this.registerer.unregister();
    } catch {
      // leaving anyway
    }
    await this.ua?.stop().catch(() => undefined);
    this.ua = null;
    this.registerer = null;
    this.regState = 'connecting';
    this.emit();
  }

  private incoming(inv: Invitation): void {
    if (this.session || this.regState === 'mic-denied') {
      void inv.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    this.session = inv;
    this.call = {
      phase: 'ringing',
      direction: 'in',
      from: inv.remoteIdentity.uri.user ?? '',
      displayName: inv.remoteIdentity.displayName ?? '',
      pultCallId: inv.request.getHeader('X-Pult-Call-Id') ?? null,
      held: false,
      muted: false,
      connectedAt: null,
      transfer: 'idle',
    };
    inv.stateChange.addListener((s) => {
      if (this.session !== inv || !this.call) return;
      if (s === SessionState.Established) {
        this.call.phase = 'connected';
        this.call.connectedAt = Date.now();
        this.attachMedia(inv);
        this.emit();
      } else if (s === SessionState.Terminated) {
        this.ended();
      }
    });
    void inv.progress().catch(() => undefined);
    this.emit();
  }

  /**
   * Calls `number` (digits) from this phone; `lineId` picks the company line
   * whose number the callee sees (checked by the server). Resolves once the
   * INVITE is sent; the call then shows in `call` as 'dialling'.
   */
  async dial(number: string, lineId: number | null): Promise<void> {
    const ua = this.ua;
    const domain = this.creds?.domain;
    if (!ua || !domain || this.regState !== 'registered') throw new Error('the softphone is not registered');
    if (this.session) throw new Error('already on a call');
    if (!/^\d{5,15}$/.test(number)) throw new Error(`not a number to dial: ${number}`);
    const target = UserAgent.makeURI(`sip:${number}@${domain}`);
    if (!target) throw new Error(`bad SIP URI for ${number}`);
    const inviter = new Inviter(ua, target, {
      extraHeaders: lineId !== null ? [`X-Pult-Line: ${lineId}`] : [],
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } as Web.SessionDescriptionHandlerOptions,
    });
    this.session = inviter;
    this.call = { phase: 'dialling', direction: 'out', from: number, displayName: '', pultCallId: null, held: false, muted: false, connectedAt: null, transfer: 'idle' };
    inviter.stateChange.addListener((st) => {
      if (this.session !== inviter || !this.call) return;
      if (st === SessionState.Established) {
        this.call.phase = 'connected';
        this.call.connectedAt = Date.now();
        this.attachMedia(inviter);
        this.emit();
      } else if (st === SessionState.Terminated) {
        this.ended();
      }
    });
    this.emit();
    try {
      await inviter.invite({
        // Ringback (and any early media) from the PBX plays while the number rings.
        requestDelegate: { onProgress: () => this.attachMedia(inviter) },
      });
    } catch (err) {
      if (this.session === inviter) this.ended();
      throw err;
    }
  }

  private attachMedia(s: Session): void {
    const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    if (!sdh) return;
    this.audio.srcObject = sdh.remoteMediaStream;
    void this.audio.play().catch(() => undefined);
  }

  private ended(): void {
    const c = this.call;
    this.session = null;
    this.call = null;
    this.audio.srcObject = null;
    this.emit();
    if (c) for (const l of this.callEndListeners) l(c);
  }

  async answer(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || s.state !== SessionState.Initial) return;
    await s.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } as Web.SessionDescriptionHandlerOptions });
  }

  async hangup(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (s instanceof Inviter && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) {
      await s.cancel();
    } else if (s instanceof Invitation && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) {
      await s.reject();
    } else if (s.state === SessionState.Established) {
      await s.bye();
    }
  }

  async setHold(hold: boolean): Promise<void> {
    const s = this.session;
    const c = this.call;
    if (!s || !c || s.state !== SessionState.Established || c.held === hold) return;
    s.sessionDescriptionHandlerOptionsReInvite = { hold } as Web.SessionDescriptionHandlerOptions;
    await new Promise<void>((resolve, reject) => {
      s.invite({
        requestDelegate: {
          onAccept: () => {
            c.held = hold;
            const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
            sdh?.enableReceiverTracks(!hold);
            sdh?.enableSenderTracks(!hold && !c.muted);
            this.emit();
            resolve();
          },
          onReject: () => reject(new Error('hold refused')),
        },
      }).catch(reject);
    });
  }

  setMute(muted: boolean): void {
    const s = this.session;
    const c = this.call;
    if (!s || !c) return;
    c.muted = muted;
    const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    sdh?.enableSenderTracks(!muted && !c.held);
    this.emit();
  }

  /** DTMF in the media (RFC 4733); SIP INFO when the browser cannot. */
  dtmf(tone: string): void {
    const s = this.session;
    if (!s || s.state !== SessionState.Established || !/^[0-9*#A-D]$/.test(tone)) return;
    const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    if (sdh?.sendDtmf(tone)) return;
    void s
      .info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone}\r\nDuration=160` } } })
      .catch(() => undefined);
  }

  /**
   * Blind transfer to another operator's extension or an outside number.
   * Pult carries it out (the caller sits in Pult's bridge, where a SIP REFER
   * would not be honoured): `execute` asks the server; the server then hangs
   * up this leg.
   */
  transfer(target: string, execute: (target: string, pultCallId: string | null) => Promise<void>): void {
    const c = this.call;
    if (!c || this.session?.state !== SessionState.Established) return;
    c.transfer = 'pending';
    this.emit();
    execute(target, c.pultCallId).then(
      () => {
        c.transfer = 'done';
        this.emit();
      },
      () => {
        c.transfer = 'failed';
        this.emit();
      },
    );
  }
}
