// Calls a cloud PBX routes, observed through its webhooks: each normalised
// external event (src/telephony/vpbx/external-events.ts) becomes the same
// call record and the same call events as a call Pult routes itself, so the
// card pops, the call log, the wallboard and callbacks work alike.
//
// Vendors deliver at least once and out of order: every event is applied in
// one transaction together with its idempotency key, and a call is created by
// whichever of its events arrives first.
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import { agentKey, eventKey, type AgentRef, type ExternalCallEvent } from '../../telephony/vpbx/external-events.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import type { Line, LineRepository } from '../lines/repository.js';
import type { RecordingService } from '../recordings/service.js';
import type { VpbxAccount } from './accounts.js';
import { vpbxRecordingName } from './recording-source.js';

export interface ApplyResult {
  applied: number;
  duplicates: number;
}

type Emit = () => void;

export class ExternalCallService {
  constructor(
    private readonly db: Db,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly recordings: RecordingService,
    private readonly events: CallEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Applies a webhook's events; the same event twice has one effect. */
  apply(account: VpbxAccount, list: ExternalCallEvent[]): ApplyResult {
    const result: ApplyResult = { applied: 0, duplicates: 0 };
    const toEmit: Emit[] = [];
    const fetches: string[] = [];
    this.db.transaction(() => {
      for (const e of list) {
        const key = eventKey(e);
        const fresh = stmt(this.db, 'INSERT OR IGNORE INTO external_events (event_key, kind, received_at) VALUES (?, ?, ?)').run(key, e.kind, this.clock.now().toISOString()).changes === 1;
        if (!fresh) {
          result.duplicates++;
          continue;
        }
        const call = this.callFor(account, e, toEmit);
        stmt(this.db, 'UPDATE external_events SET call_id = ? WHERE event_key = ?').run(call.id, key);
        this.applyOne(account, call, e, toEmit, fetches);
        result.applied++;
      }
    })();
    // Events go out only after the transaction is committed.
    for (const emit of toEmit) emit();
    for (const name of fetches) this.recordings.fetch(name);
    return result;
  }

  /** The Pult user a PBX agent is, within this account. */
  userFor(account: VpbxAccount, a: AgentRef): number | null {
    for (const id of [a.pbxLogin, a.extension, a.number]) {
      if (!id) continue;
      // Only a user of the account's company (mapped before they left it, a user is no longer reached).
      const u = stmt(this.db, 'SELECT a.user_id FROM vpbx_agents a JOIN user_tenants t ON t.user_id = a.user_id AND t.tenant_id = ? WHERE a.account_id = ? AND a.agent = ?')
        .pluck().get(account.tenantId, account.id, id) as number | undefined;
      if (u !== undefined) return u;
    }
    return null;
  }

  /** The PBX login of the person responsible for a user (for the itoolabs `contact` reply). */
  pbxLoginOf(account: VpbxAccount, userId: number): string | null {
    return (stmt(this.db, 'SELECT agent FROM vpbx_agents WHERE account_id = ? AND user_id = ? ORDER BY agent LIMIT 1').pluck().get(account.id, userId) as string | undefined) ?? null;
  }

  private callFor(account: VpbxAccount, e: ExternalCallEvent, toEmit: Emit[]): CallRecord {
    const channel = `ext:${e.source}:${e.externalId}`;
    const existing = this.calls.byCallerChannel(channel);
    if (existing) {
      if (e.kind === 'call.incoming' && existing.callerNumber === 'unknown' && e.caller) {
        // The call was created by a later event that arrived first; fill in who called.
        stmt(this.db, 'UPDATE calls SET caller_number = ?, did = ?, arrived_at = min(arrived_at, ?) WHERE id = ?').run(e.caller, e.did ?? existing.did, e.at, existing.id);
        return this.calls.get(existing.id)!;
      }
      return existing;
    }
    const did = e.kind === 'call.incoming' ? e.did : null;
    // Only the account's own company's lines: a DID of another company (a forged
    // or misconfigured `diversion`) leaves the call without a line.
    const own = (l: Line | null) => (l && l.tenantId === account.tenantId ? l : null);
    const line = own(account.lineId ? this.lines.get(account.lineId) : null) ?? own(did ? this.lines.findByDid(did) : null);
    const call = this.calls.create({
      id: crypto.randomUUID(),
      controller: 'vpbx',
      lineId: line?.id ?? null,
      did: did ?? 'unknown',
      callerNumber: e.kind === 'call.incoming' ? (e.caller ?? 'anonymous') : 'unknown',
      callerName: null,
      callerChannelId: channel,
      arrivedAt: e.at,
    });
    toEmit.push(() => this.events.emit('call.arrived', { callId: call.id, lineId: call.lineId, did: call.did, caller: call.callerNumber, at: call.arrivedAt }));
    this.logger.info('external call arrived', { callId: call.id, source: e.source, externalId: e.externalId });
    return call;
  }

  private offerChannel(call: CallRecord, a: AgentRef): string {
    return `${call.callerChannelId}:${agentKey(a)}`;
  }

  private ensureOffer(account: VpbxAccount, call: CallRecord, a: AgentRef, at: string, toEmit: Emit[]): string {
    const userId = this.userFor(account, a);
    const target = a.pbxLogin ?? a.extension ?? a.number ?? '?';
    // Vendors describe the same person differently from one event to the next
    // (login and extension on the ring, only the login on the answer): the
    // same mapped user or the same login/extension/number is the same offer.
    const same = this.calls.offers(call.id).find((o) => (userId !== null && o.userId === userId) || o.target === target || [a.pbxLogin, a.extension, a.number].includes(o.target));
    if (same) return same.channelId;
    const channelId = this.offerChannel(call, a);
    if (!this.calls.offerByChannel(channelId)) {
      const kind = a.number && !a.pbxLogin && !a.extension ? 'mobile' : 'operator';
      this.calls.addOffer({ callId: call.id, channelId, targetKind: kind, userId, target, offeredAt: at });
      toEmit.push(() => this.events.emit('call.offered', { callId: call.id, kind, userId, target, at }));
    }
    return channelId;
  }

  private applyOne(account: VpbxAccount, call: CallRecord, e: ExternalCallEvent, toEmit: Emit[], fetches: string[]): void {
    switch (e.kind) {
      case 'call.incoming':
        return;
      case 'call.ringing':
        this.ensureOffer(account, call, e.agent, e.at, toEmit);
        return;
      case 'call.transferred':
        this.ensureOffer(account, call, e.to, e.at, toEmit);
        return;
      case 'call.answered': {
        const channelId = this.ensureOffer(account, call, e.agent, e.at, toEmit);
        const offer = this.calls.offerByChannel(channelId)!;
        const fresh = this.calls.get(call.id)!;
        if (fresh.state === 'ended') return; // arrived after the end: the record already says answered
        if (fresh.state === 'connected') {
          // Answered again after a transfer: the new agent is now on the call.
          stmt(this.db, 'UPDATE calls SET answered_channel_id = ?, answered_number = ?, transferred_at = coalesce(transferred_at, ?), transfer_target = ? WHERE id = ?').run(channelId, offer.target, e.at, offer.target, call.id);
          this.calls.endOffer(channelId, 'answered', e.at);
        } else {
          const via = offer.targetKind === 'mobile' ? 'mobile' : 'console';
          this.calls.connect(call.id, { bridgeId: '', answeredAt: e.at, answeredBy: offer.userId, answeredVia: via, answeredChannelId: channelId, answeredNumber: offer.target });
        }
        toEmit.push(() => this.events.emit('call.answered', { callId: call.id, userId: offer.userId, via: offer.targetKind === 'mobile' ? 'mobile' : 'console', at: e.at }));
        return;
      }
      case 'call.ended': {
        const fresh = this.calls.get(call.id)!;
        const answered = fresh.state === 'connected' || e.result === 'answered';
        if (answered && fresh.state !== 'connected' && fresh.state !== 'ended') {
          // The summary arrived before (or instead of) the answer event.
          const start = e.durationSec !== null ? new Date(new Date(e.at).getTime() - e.durationSec * 1000).toISOString() : e.at;
          this.calls.connect(call.id, { bridgeId: '', answeredAt: start, answeredBy: null, answeredVia: 'console', answeredChannelId: `${call.callerChannelId}:?`, answeredNumber: '' });
        }
        const after = this.calls.get(call.id)!;
        const outcome = answered ? (after.answeredVia === 'mobile' ? 'overflowed-answered' : 'answered') : 'unanswered';
        const reason = answered ? 'the cloud PBX reported the end' : `the cloud PBX reported ${e.result}`;
        if (this.calls.end(call.id, { endedAt: e.at, outcome, endReason: reason })) {
          toEmit.push(() => this.events.emit('call.ended', { callId: call.id, outcome, reason, at: e.at }));
          if (outcome === 'unanswered') toEmit.push(() => this.events.emit('callback.created', { callId: call.id, caller: after.callerNumber, reason: outcome, at: e.at }));
        }
        return;
      }
      case 'call.recording': {
        // A link is downloaded (http(s) only; hosts and addresses are checked when
        // it is fetched); an id (Mango, Zadarma) is fetched through the API of
        // THIS account. Anything else in a link (a `vpbx:` name, a bare PBX file
        // name, file:) is never fetched.
        const url = e.recording.url !== undefined && /^https?:\/\//i.test(e.recording.url) ? e.recording.url : null;
        if (e.recording.url !== undefined && url === null) {
          this.logger.warn('recording link refused: not an http(s) URL', { callId: call.id, source: e.source });
          return;
        }
        const name = url ?? (e.recording.vendorRecordingId ? vpbxRecordingName(account.id, e.recording.vendorRecordingId) : null);
        if (!name) return;
        const format = url && /\.wav(\?|$)/i.test(url) ? 'wav' : 'mp3';
        this.calls.startRecording(call.id, name, format, e.at);
        fetches.push(name);
        return;
      }
    }
  }
}
