// A supervisor joins an operator's live call from their own phone:
//  - listen:  a snoop on the answered leg hears both sides (spy=both), the
//             supervisor's phone is bridged with the snoop channel;
//  - whisper: the same, and what the supervisor says goes to the operator
//             only (whisper=out: into the audio sent to that channel);
//  - barge:   the supervisor's phone joins the call's own bridge (all hear all).
// The supervisor's leg and the snoop channel enter the app as
// `supervise-leg,<session>` / `supervise,<session>` and are handed to us by
// the router (its serial queue). Sessions live in memory: after a restart a
// leftover leg of an unknown session is hung up when it shows up.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { PbxChannel, PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRepository } from '../calls/repository.js';
import type { ChannelOwner, CallRouter } from '../routing/router.js';

export type SuperviseMode = 'listen' | 'whisper' | 'barge';

interface Session {
  id: string;
  callId: string;
  mode: SuperviseMode;
  supervisorId: number;
  endpoint: string;
  legId: string;
  snoopId: string | null;
  bridgeId: string | null;
  snoopUp: boolean;
  legUp: boolean;
  ended: boolean;
}

export class SuperviseError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class Supervision {
  private sessions = new Map<string, Session>();
  private byChannel = new Map<string, string>();

  constructor(
    private readonly pbx: PbxPort,
    private readonly calls: CallRepository,
    private readonly logger: Logger,
  ) {}

  attach(router: CallRouter, events: CallEvents): void {
    const snoop: ChannelOwner = { entered: (ch, args) => this.entered('snoop', ch, args[0] ?? ''), gone: (id) => this.gone(id) };
    const leg: ChannelOwner = { entered: (ch, args) => this.entered('leg', ch, args[0] ?? ''), gone: () => undefined };
    router.registerChannelOwner('supervise', snoop);
    router.registerChannelOwner('supervise-leg', leg);
    events.on('call.ended', (e) => {
      for (const s of this.sessions.values()) if (s.callId === e.callId) this.end(s, 'the call ended');
    });
  }

  list(): { id: string; callId: string; mode: SuperviseMode; supervisorId: number; endpoint: string; connected: boolean }[] {
    return [...this.sessions.values()].map((s) => ({ id: s.id, callId: s.callId, mode: s.mode, supervisorId: s.supervisorId, endpoint: s.endpoint, connected: s.legUp }));
  }

  /** Starts a session: snoop (listen / whisper), then ring the supervisor's phone. */
  async start(o: { callId: string; mode: SuperviseMode; supervisorId: number; endpoint: string }): Promise<{ sessionId: string }> {
    const call = this.calls.get(o.callId);
    if (!call) throw new SuperviseError(404, 'not_found', 'call not found');
    if (call.controller !== 'ari') throw new SuperviseError(409, 'not_controlled', 'the call is routed by another PBX (observed only): Pult cannot listen to it');
    if (call.state !== 'connected' || !call.answeredChannelId) throw new SuperviseError(409, 'not_connected', 'the call is not answered (nothing to listen to yet)');
    if (o.mode === 'barge' && !call.bridgeId) throw new SuperviseError(409, 'not_connected', 'the call has no bridge yet');
    for (const s of this.sessions.values()) {
      if (s.supervisorId === o.supervisorId && !s.ended) this.end(s, 'replaced by a new session');
    }
    const id = `sv-${randomBytes(6).toString('hex')}`;
    const s: Session = { id, callId: o.callId, mode: o.mode, supervisorId: o.supervisorId, endpoint: o.endpoint, legId: `${id}-leg`, snoopId: null, bridgeId: null, snoopUp: false, legUp: false, ended: false };
    this.sessions.set(id, s);
    this.byChannel.set(s.legId, id);
    try {
      if (o.mode !== 'barge') {
        s.snoopId = `${id}-snoop`;
        this.byChannel.set(s.snoopId, id);
        await this.pbx.snoop(call.answeredChannelId, { spy: 'both', whisper: o.mode === 'whisper' ? 'out' : 'none', appArgs: ['supervise', id], snoopId: s.snoopId });
      }
      await this.pbx.originate({
        channelId: s.legId,
        endpoint: o.endpoint,
        callerId: `"${labels[o.mode]}" <${call.callerNumber}>`,
        timeoutSec: 30,
        appArgs: ['supervise-leg', id],
        variables: { PULT_CALL_ID: o.callId },
      });
    } catch (err) {
      this.end(s, 'could not start');
      throw new SuperviseError(502, 'pbx_failed', `the PBX refused: ${(err as Error).message}`);
    }
    this.logger.info('supervision started', { sessionId: id, callId: o.callId, mode: o.mode, endpoint: o.endpoint });
    return { sessionId: id };
  }

  stop(sessionId: string): boolean {
    const s = this.sessions.get(sessionId);
    if (!s) return false;
    this.end(s, 'stopped by the supervisor');
    return true;
  }

  private async entered(kind: 'snoop' | 'leg', ch: PbxChannel, sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s || s.ended) {
      this.logger.info('supervision channel of no live session; hanging up', { channelId: ch.id, sessionId });
      return this.pbx.hangup(ch.id).catch(() => undefined);
    }
    if (kind === 'snoop') s.snoopUp = true;
    else s.legUp = true;
    if (!s.legUp) return;
    const call = this.calls.get(s.callId);
    if (!call || call.state !== 'connected') return this.end(s, 'the call is no longer up');
    try {
      if (s.mode === 'barge') {
        await this.pbx.addToBridge(call.bridgeId!, [s.legId]);
      } else if (s.snoopUp && s.snoopId && !s.bridgeId) {
        s.bridgeId = `${s.id}-b`;
        await this.pbx.createBridge(s.bridgeId);
        await this.pbx.addToBridge(s.bridgeId, [s.snoopId, s.legId]);
      }
      this.logger.info('supervisor connected', { sessionId: s.id, mode: s.mode });
    } catch (err) {
      this.logger.warn('could not connect the supervisor', { sessionId: s.id, err });
      this.end(s, 'bridge failed');
    }
  }

  private gone(channelId: string): void {
    const id = this.byChannel.get(channelId);
    const s = id ? this.sessions.get(id) : undefined;
    if (s) this.end(s, channelId === s.legId ? 'the supervisor hung up' : 'the snoop ended');
  }

  private end(s: Session, why: string): void {
    if (s.ended) return;
    s.ended = true;
    this.sessions.delete(s.id);
    this.byChannel.delete(s.legId);
    if (s.snoopId) this.byChannel.delete(s.snoopId);
    this.logger.info('supervision ended', { sessionId: s.id, why });
    const bg = (p: Promise<unknown>) => void p.catch((err: unknown) => this.logger.debug('supervision clean-up', { sessionId: s.id, err }));
    bg(this.pbx.hangup(s.legId));
    if (s.snoopId) bg(this.pbx.hangup(s.snoopId));
    if (s.bridgeId) bg(this.pbx.destroyBridge(s.bridgeId));
  }
}

const labels: Record<SuperviseMode, string> = { listen: 'Контроль: слушать', whisper: 'Контроль: суфлёр', barge: 'Контроль: вмешаться' };
