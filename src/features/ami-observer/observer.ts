// Observer mode for an Asterisk that runs its own app_queue (FreePBX-style)
// and does not hand call control to Pult: Pult reads the AMI and turns the
// queue's events into the same call records and call events as a call it
// routes itself (src/features/external-calls/service.ts does the same for
// cloud-PBX webhooks), so the card pops, the call log, the wallboard and
// callbacks work unchanged.
//
//   QueueCallerJoin     → call arrived   (caller_channel_id `ami:<Uniqueid>`)
//   AgentCalled         → offer to the operator whose extension is the member's
//                         (`PJSIP/1001`, `SIP/1001`, `Local/1001@…`, `PJSIP/1001@trunk`)
//   AgentRingNoAnswer   → that offer ends `noanswer`
//   AgentConnect        → connected (answered by that operator, via console)
//   AgentComplete       → ended, answered; the MixMonitor file is fetched
//   QueueCallerAbandon  → ended, abandoned (callback task)
//   Hangup of a caller  → ends whatever is still open (queue timeout: unanswered)
//   QueueMemberStatus / QueueMemberPause / QueueMember (QueueStatus)
//                       → the operator's presence
//
// AMI delivers each event once per connection but a reconnect loses what
// happened meanwhile: after every (re)connect the client's QueueStatus
// snapshot rebuilds who is waiting and who is paused, and open calls that
// are no longer in any queue are closed. Every change is guarded by the
// state it moves from (calls repository), so a repeated event or snapshot
// never counts a call twice; events go out only after the transaction.
import path from 'node:path';
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import type { AmiMessage } from '../../telephony/ami/parser.js';
import type { QueueStatusSnapshot } from '../../telephony/ami/client.js';
import type { Presence } from '../../domain/operator-state.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService, Operator } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';

/** What the observer needs of src/telephony/ami/client.ts (a fake in unit tests). */
export interface AmiObserverClient {
  readonly connected: boolean;
  on(event: 'event', fn: (msg: AmiMessage) => void): unknown;
  on(event: 'queueStatus', fn: (snap: QueueStatusSnapshot) => void): unknown;
  on(event: 'connected', fn: () => void): unknown;
  on(event: 'disconnected', fn: (reason: string) => void): unknown;
  queuePause(queue: string | null, iface: string, paused: boolean, reason?: string): Promise<unknown>;
}

export interface AmiObserverOptions {
  /** Queue name → Pult line id (PULT_AMI_QUEUE_LINES). */
  queueLines: Record<string, number>;
  /** Asterisk's monitor spool as seen from Pult (PULT_AMI_MONITOR_DIR); null = recordings are not collected. */
  monitorDir: string | null;
  /** The queue's monitor-format (file extension of MixMonitor's files). Default wav. */
  monitorFormat?: string;
}

/** Pause reason Pult sends when an operator goes offline in Pult (they stop getting queue calls). */
export const OFFLINE_REASON = 'pult:offline';

type Emit = () => void;

/** The extension a queue member interface stands for: `PJSIP/1001`, `SIP/1001`, `Local/1001@from-queue/n`, `PJSIP/1001@carrier` → `1001`. */
export function extensionOf(iface: string | undefined): string | null {
  if (!iface) return null;
  const m = /^[A-Za-z0-9_]+\/([^@/;,\s]+)/.exec(iface.trim());
  return m?.[1] ?? null;
}

/** Presence a queue member's fields say: device unavailable/invalid → offline, paused → paused, else available. */
export function memberPresence(m: AmiMessage): { presence: Presence; reason: string | null } {
  const status = Number(m.get('Status') ?? '0');
  if (status === 4 || status === 5) return { presence: 'offline', reason: null };
  if (m.get('Paused') === '1') {
    const reason = m.get('PausedReason')?.trim() || null;
    if (reason === OFFLINE_REASON) return { presence: 'offline', reason: null };
    return { presence: 'paused', reason: reason ?? 'пауза' };
  }
  return { presence: 'available', reason: null };
}

const presenceKey = (p: Presence, reason: string | null) => `${p}|${p === 'paused' ? (reason ?? '') : ''}`;

export interface AmiObserverStatus {
  connected: boolean;
  since: string | null;
  events: number;
  lastSnapshotAt: string | null;
}

export class AmiObserver {
  private readonly ifaces = new Map<string, Set<string>>(); // extension → member interfaces seen
  private readonly mixFiles = new Map<string, string>(); // channel uniqueid → MIXMONITOR_FILENAME
  private readonly known = new Map<number, string>(); // userId → presence key as last agreed with Asterisk
  private fromAmi = false;
  private client: AmiObserverClient | null = null;
  private connectedSince: string | null = null;
  private eventCount = 0;
  private lastSnapshotAt: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly operators: OperatorService,
    private readonly recordings: RecordingService,
    private readonly events: CallEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: AmiObserverOptions,
  ) {
    for (const op of operators.list()) this.known.set(op.userId, presenceKey(op.presence, op.pauseReason));
  }

  /** Listens to the client's events and snapshots; sends Pult's Pause/Ready to Asterisk. */
  attach(client: AmiObserverClient): void {
    this.client = client;
    client.on('event', (m) => this.handle(m));
    client.on('queueStatus', (s) => this.applySnapshot(s));
    client.on('connected', () => {
      this.connectedSince = this.clock.now().toISOString();
      this.recordings.fetchPending();
    });
    client.on('disconnected', () => {
      this.connectedSince = this.clock.now().toISOString();
    });
    this.operators.on('changed', (op) => this.onOperatorChanged(op));
  }

  status(): AmiObserverStatus {
    return { connected: this.client?.connected ?? false, since: this.connectedSince, events: this.eventCount, lastSnapshotAt: this.lastSnapshotAt };
  }

  // ---------------------------------------------------------------- events

  /** Applies one AMI event (others than the ones below are ignored). */
  handle(m: AmiMessage): void {
    if (m.type !== 'event') return;
    const name = m.event?.toLowerCase();
    if (!name) return;
    const toEmit: Emit[] = [];
    const fetches: string[] = [];
    try {
      this.db.transaction(() => {
        switch (name) {
          case 'queuecallerjoin':
            this.join(m, toEmit);
            break;
          case 'agentcalled':
            this.agentCalled(m, toEmit);
            break;
          case 'agentringnoanswer':
            this.ringNoAnswer(m, toEmit);
            break;
          case 'agentconnect':
            this.agentConnect(m, toEmit);
            break;
          case 'agentcomplete':
            this.agentComplete(m, toEmit, fetches);
            break;
          case 'queuecallerabandon':
            this.endCall(this.callOf(m), 'abandoned', `the caller hung up in queue ${m.get('Queue') ?? ''}`.trim(), this.at(m), toEmit, fetches);
            break;
          case 'hangup':
            this.hangup(m, toEmit, fetches);
            break;
          case 'queuememberstatus':
          case 'queuememberpause':
          case 'queuememberadded':
            this.memberState(m);
            break;
          case 'queuememberremoved':
            this.learnIface(m);
            this.setPresence(extensionOf(m.get('Interface') ?? m.get('Location')), 'offline', null);
            break;
          case 'varset':
            if (m.get('Variable')?.toUpperCase() === 'MIXMONITOR_FILENAME' && m.get('Value')) {
              for (const id of [m.get('Uniqueid'), m.get('Linkedid')]) if (id) this.mixFiles.set(id, m.get('Value')!);
            }
            return;
          default:
            return;
        }
      })();
    } catch (err) {
      this.logger.error('AMI event could not be applied', { event: m.event, uniqueid: m.get('Uniqueid'), err });
      return;
    }
    this.eventCount++;
    for (const emit of toEmit) emit();
    for (const name of fetches) this.recordings.fetch(name);
  }

  /**
   * A QueueStatus snapshot (after every (re)connect): members' presence, the
   * callers waiting now, and the calls that ended while Pult was not listening.
   */
  applySnapshot(s: QueueStatusSnapshot): void {
    const toEmit: Emit[] = [];
    const fetches: string[] = [];
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      const inCall = new Set<string>();
      for (const m of s.members) {
        this.memberState(m);
        const ext = extensionOf(m.get('Location') ?? m.get('Interface'));
        if (ext && m.get('InCall') === '1') inCall.add(ext);
      }
      const waiting = new Set<string>();
      for (const e of s.entries) {
        const uid = e.get('Uniqueid');
        if (!uid) continue;
        waiting.add(`ami:${uid}`);
        const waitSec = Number(e.get('Wait') ?? '0') || 0;
        const arrived = new Date(this.clock.now().getTime() - waitSec * 1000).toISOString();
        this.ensureCall(uid, e.get('Queue') ?? '', e.get('CallerIDNum'), null, arrived, toEmit);
      }
      for (const call of this.calls.open('ami')) {
        if (waiting.has(call.callerChannelId)) continue;
        if (call.state === 'connected') {
          const ext = call.answeredNumber ?? '';
          if (inCall.has(ext)) continue; // still talking
          this.endCall(call, 'answered', 'ended while Pult was not connected to the AMI', at, toEmit, fetches);
        } else {
          this.endCall(call, 'unanswered', 'left the queue while Pult was not connected to the AMI', at, toEmit, fetches);
        }
      }
    })();
    this.lastSnapshotAt = at;
    for (const emit of toEmit) emit();
    for (const name of fetches) this.recordings.fetch(name);
    this.logger.info('AMI queue status applied', { queues: s.queues.length, members: s.members.length, waiting: s.entries.length });
  }

  // ---------------------------------------------------------------- calls

  private at(m: AmiMessage): string {
    const ts = Number(m.get('Timestamp'));
    return Number.isFinite(ts) && ts > 0 ? new Date(ts * 1000).toISOString() : this.clock.now().toISOString();
  }

  private callOf(m: AmiMessage): CallRecord | null {
    const uid = m.get('Uniqueid');
    return uid ? this.calls.byCallerChannel(`ami:${uid}`) : null;
  }

  private ensureCall(uid: string, queue: string, caller: string | undefined, exten: string | null | undefined, at: string, toEmit: Emit[]): CallRecord {
    const channel = `ami:${uid}`;
    const existing = this.calls.byCallerChannel(channel);
    if (existing) return existing;
    const did = exten && /^\+?\d+$/.test(exten) ? exten : queue || 'unknown';
    const lineId = this.opts.queueLines[queue];
    const line = (lineId !== undefined ? this.lines.get(lineId) : null) ?? this.lines.findByDid(did);
    const number = caller && caller !== '<unknown>' ? caller : 'anonymous';
    const call = this.calls.create({ id: crypto.randomUUID(), controller: 'ami', lineId: line?.id ?? null, did, callerNumber: number, callerName: null, callerChannelId: channel, arrivedAt: at });
    toEmit.push(() => this.events.emit('call.arrived', { callId: call.id, lineId: call.lineId, did: call.did, caller: call.callerNumber, at: call.arrivedAt }));
    this.logger.info('AMI call arrived', { callId: call.id, uniqueid: uid, queue, caller: number });
    return call;
  }

  private join(m: AmiMessage, toEmit: Emit[]): void {
    const uid = m.get('Uniqueid');
    if (!uid) return;
    this.ensureCall(uid, m.get('Queue') ?? '', m.get('CallerIDNum'), m.get('Exten'), this.at(m), toEmit);
  }

  /** The call an Agent* event is about (created when its QueueCallerJoin was missed). */
  private agentCall(m: AmiMessage, toEmit: Emit[]): CallRecord | null {
    const uid = m.get('Uniqueid');
    if (!uid) return null;
    return this.ensureCall(uid, m.get('Queue') ?? '', m.get('CallerIDNum'), m.get('Exten'), this.at(m), toEmit);
  }

  private offerChannel(call: CallRecord, m: AmiMessage): string {
    return `${call.callerChannelId}:${m.get('DestUniqueid') ?? m.get('Interface') ?? '?'}`;
  }

  private userByExtension(ext: string | null): Operator | null {
    if (!ext) return null;
    const id = stmt(this.db, 'SELECT user_id FROM operators WHERE extension = ?').pluck().get(ext) as number | undefined;
    return id === undefined ? null : this.operators.get(id);
  }

  private agentCalled(m: AmiMessage, toEmit: Emit[]): void {
    const call = this.agentCall(m, toEmit);
    if (!call || call.state === 'ended' || call.state === 'connected') return;
    this.learnIface(m);
    const channelId = this.offerChannel(call, m);
    if (this.calls.offerByChannel(channelId)) return;
    const ext = extensionOf(m.get('Interface'));
    const op = this.userByExtension(ext);
    const target = ext ?? m.get('Interface') ?? '?';
    const at = this.at(m);
    this.calls.addOffer({ callId: call.id, channelId, targetKind: 'operator', userId: op?.userId ?? null, target, offeredAt: at });
    if (op && op.activity === 'idle') this.operators.setActivity(op.userId, 'ringing', call.id);
    toEmit.push(() => this.events.emit('call.offered', { callId: call.id, kind: 'operator', userId: op?.userId ?? null, target, at }));
  }

  private ringNoAnswer(m: AmiMessage, toEmit: Emit[]): void {
    const call = this.callOf(m);
    if (!call) return;
    const channelId = this.offerChannel(call, m);
    const offer = this.calls.offerByChannel(channelId);
    const at = this.at(m);
    if (!offer || !this.calls.endOffer(channelId, 'noanswer', at)) return;
    this.releaseOperator(offer.userId, call.id, 'ringing');
    toEmit.push(() => this.events.emit('call.offerEnded', { callId: call.id, kind: 'operator', userId: offer.userId, result: 'noanswer', at }));
  }

  private agentConnect(m: AmiMessage, toEmit: Emit[]): void {
    const call = this.agentCall(m, toEmit);
    if (!call || call.state === 'ended') return;
    this.learnIface(m);
    const channelId = this.offerChannel(call, m);
    if (!this.calls.offerByChannel(channelId)) {
      // AgentCalled was missed (reconnect in between): the offer is made now.
      const ext = extensionOf(m.get('Interface'));
      const op = this.userByExtension(ext);
      this.calls.addOffer({ callId: call.id, channelId, targetKind: 'operator', userId: op?.userId ?? null, target: ext ?? m.get('Interface') ?? '?', offeredAt: this.at(m) });
    }
    const offer = this.calls.offerByChannel(channelId)!;
    const at = this.at(m);
    const ok = this.calls.connect(call.id, { bridgeId: '', answeredAt: at, answeredBy: offer.userId, answeredVia: 'console', answeredChannelId: channelId, answeredNumber: offer.target });
    if (!ok) return;
    // The other members' rings stop when one answers (ringall).
    for (const o of this.calls.openOffers(call.id)) {
      this.calls.endOffer(o.channelId, 'cancelled', at);
      this.releaseOperator(o.userId, call.id, 'ringing');
    }
    if (offer.userId !== null) this.operators.setActivity(offer.userId, 'oncall', call.id);
    toEmit.push(() => this.events.emit('call.answered', { callId: call.id, userId: offer.userId, via: 'console', at }));
  }

  private agentComplete(m: AmiMessage, toEmit: Emit[], fetches: string[]): void {
    const call = this.agentCall(m, toEmit);
    if (!call || call.state === 'ended') return;
    const at = this.at(m);
    if (call.state !== 'connected') {
      // AgentConnect was missed: the answer is dated back by the talk time.
      const talk = Number(m.get('TalkTime') ?? '0') || 0;
      const answeredAt = new Date(new Date(at).getTime() - talk * 1000).toISOString();
      const ext = extensionOf(m.get('Interface'));
      const op = this.userByExtension(ext);
      const channelId = this.offerChannel(call, m);
      if (!this.calls.offerByChannel(channelId)) this.calls.addOffer({ callId: call.id, channelId, targetKind: 'operator', userId: op?.userId ?? null, target: ext ?? '?', offeredAt: answeredAt });
      if (this.calls.connect(call.id, { bridgeId: '', answeredAt, answeredBy: op?.userId ?? null, answeredVia: 'console', answeredChannelId: channelId, answeredNumber: ext ?? '' })) {
        toEmit.push(() => this.events.emit('call.answered', { callId: call.id, userId: op?.userId ?? null, via: 'console', at: answeredAt }));
      }
    }
    const reason = m.get('Reason') === 'caller' ? 'the caller hung up' : m.get('Reason') === 'agent' ? 'the operator hung up' : 'the call ended';
    this.endCall(this.calls.get(call.id), 'answered', reason, at, toEmit, fetches);
  }

  private hangup(m: AmiMessage, toEmit: Emit[], fetches: string[]): void {
    const uid = m.get('Uniqueid');
    const call = this.callOf(m);
    if (call && call.state !== 'ended') {
      if (call.state === 'connected') this.endCall(call, 'answered', 'the call ended', this.at(m), toEmit, fetches);
      else this.endCall(call, 'unanswered', 'the caller left the queue unanswered', this.at(m), toEmit, fetches);
    }
    if (uid) this.mixFiles.delete(uid);
  }

  /** Ends a call once; an answered one gets its MixMonitor recording. */
  private endCall(call: CallRecord | null, outcome: 'answered' | 'abandoned' | 'unanswered', reason: string, at: string, toEmit: Emit[], fetches: string[]): void {
    if (!call || call.state === 'ended') return;
    const offers = this.calls.openOffers(call.id);
    if (!this.calls.end(call.id, { endedAt: at, outcome, endReason: reason })) return;
    for (const o of offers) this.releaseOperator(o.userId, call.id, 'ringing');
    if (call.answeredBy !== null) this.releaseOperator(call.answeredBy, call.id, 'oncall');
    toEmit.push(() => this.events.emit('call.ended', { callId: call.id, outcome, reason, at }));
    if (outcome !== 'answered') {
      toEmit.push(() => this.events.emit('callback.created', { callId: call.id, caller: call.callerNumber, reason: outcome, at }));
      return;
    }
    const name = this.recordingName(call);
    if (name) {
      this.calls.startRecording(call.id, name, path.extname(name).slice(1).toLowerCase() || 'wav', call.answeredAt ?? at);
      fetches.push(name);
    }
  }

  /** `file:<path inside PULT_AMI_MONITOR_DIR>` of the call's MixMonitor file, or null when none is collected. */
  private recordingName(call: CallRecord): string | null {
    const dir = this.opts.monitorDir;
    if (!dir) return null;
    const uid = call.callerChannelId.slice('ami:'.length);
    const announced = this.mixFiles.get(uid);
    let rel: string;
    if (announced) {
      // MIXMONITOR_FILENAME is Asterisk's absolute path (or relative to its monitor spool).
      const abs = path.isAbsolute(announced) ? announced : path.join(dir, announced);
      rel = path.relative(path.resolve(dir), path.resolve(abs));
      if (rel.startsWith('..') || path.isAbsolute(rel)) rel = path.basename(announced); // another host's path for the same spool
    } else {
      rel = `${uid}.${this.opts.monitorFormat ?? 'wav'}`;
    }
    return `file:${rel}`;
  }

  private releaseOperator(userId: number | null, callId: string, from: 'ringing' | 'oncall'): void {
    if (userId === null) return;
    const op = this.operators.get(userId);
    if (op && op.activity === from && op.activityCallId === callId) this.operators.setActivity(userId, 'idle', null);
  }

  // ---------------------------------------------------------------- presence

  private learnIface(m: AmiMessage): void {
    const iface = m.get('Interface') ?? m.get('Location');
    const ext = extensionOf(iface);
    if (!iface || !ext) return;
    let set = this.ifaces.get(ext);
    if (!set) this.ifaces.set(ext, (set = new Set()));
    set.add(iface);
  }

  private memberState(m: AmiMessage): void {
    this.learnIface(m);
    const { presence, reason } = memberPresence(m);
    this.setPresence(extensionOf(m.get('Interface') ?? m.get('Location')), presence, reason);
  }

  private setPresence(ext: string | null, presence: Presence, reason: string | null): void {
    const op = this.userByExtension(ext);
    if (!op) return;
    const key = presenceKey(presence, reason);
    this.known.set(op.userId, key);
    if (presenceKey(op.presence, op.pauseReason) === key) return;
    this.fromAmi = true;
    try {
      this.operators.setPresence(op.userId, presence, reason);
    } finally {
      this.fromAmi = false;
    }
  }

  /** The operator chose Pause/Ready/Offline in Pult: Asterisk is told with QueuePause (every queue). */
  private onOperatorChanged(op: Operator): void {
    if (this.fromAmi) return;
    const key = presenceKey(op.presence, op.pauseReason);
    if (this.known.get(op.userId) === key) return;
    this.known.set(op.userId, key);
    const client = this.client;
    if (!client?.connected) {
      this.logger.warn('operator state not sent to Asterisk: AMI not connected', { userId: op.userId, presence: op.presence });
      return;
    }
    const paused = op.presence !== 'available';
    const reason = op.presence === 'paused' ? (op.pauseReason ?? undefined) : op.presence === 'offline' ? OFFLINE_REASON : undefined;
    const ifaces = [...(this.ifaces.get(op.extension) ?? [`PJSIP/${op.extension}`])];
    for (const iface of ifaces) {
      client.queuePause(null, iface, paused, reason).then(
        () => this.logger.info('QueuePause sent', { userId: op.userId, iface, paused, reason }),
        (err: Error) => this.logger.warn('QueuePause refused', { userId: op.userId, iface, paused, err: err.message }),
      );
    }
  }
}
