// Call records: every state change is one transaction, and each guarded by
// the state it moves from, so a replayed event or a resync after a restart
// cannot count a call twice.
import { stmt } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import { secondsBetween } from '../../clock.js';
import { openCallbackTask } from '../callbacks/repository.js';

export type CallState = 'waiting' | 'overflow' | 'connected' | 'ended';
export type CallOutcome = 'answered' | 'overflowed-answered' | 'abandoned' | 'unanswered';
/**
 * Who controls the call: Pult over ARI, or only observed (an Asterisk with
 * app_queue over AMI, a cloud PBX through its webhooks). Only the ARI router
 * and its resync act on 'ari' calls.
 */
export type CallController = 'ari' | 'ami' | 'vpbx';

export interface CallRecord {
  id: string;
  controller: CallController;
  lineId: number | null;
  did: string;
  callerNumber: string;
  callerName: string | null;
  callerChannelId: string;
  bridgeId: string | null;
  state: CallState;
  arrivedAt: string;
  overflowAt: string | null;
  overflowReason: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: CallOutcome | null;
  endReason: string | null;
  answeredBy: number | null;
  answeredVia: 'console' | 'mobile' | null;
  answeredChannelId: string | null;
  answeredNumber: string | null;
  waitSec: number | null;
  talkSec: number | null;
  transferredAt: string | null;
  transferredBy: number | null;
  transferTarget: string | null;
  /** 'outbound': placed by Pult (callback, click-to-call); callerNumber is the number dialled. */
  direction: 'inbound' | 'outbound';
  callbackTaskId: number | null;
  /** The line whose entry menu the caller went through (lineId is the line they chose), or null. */
  entryLineId: number | null;
  /** The key they pressed in it; null: none (stayed on the menu's line). */
  entryDigit: string | null;
}

export interface Offer {
  id: number;
  callId: string;
  channelId: string;
  targetKind: 'operator' | 'mobile';
  userId: number | null;
  target: string;
  offeredAt: string;
  endedAt: string | null;
  result: string | null;
}

export interface Recording {
  id: number;
  callId: string;
  pbxName: string;
  format: string;
  state: 'recording' | 'stored' | 'failed';
  filePath: string | null;
  sizeBytes: number | null;
  durationSec: number | null;
  error: string | null;
}

const callCols = `id, controller, line_id AS lineId, did, caller_number AS callerNumber, caller_name AS callerName, caller_channel_id AS callerChannelId,
  bridge_id AS bridgeId, state, arrived_at AS arrivedAt, overflow_at AS overflowAt, overflow_reason AS overflowReason, answered_at AS answeredAt,
  ended_at AS endedAt, outcome, end_reason AS endReason, answered_by AS answeredBy, answered_via AS answeredVia,
  answered_channel_id AS answeredChannelId, answered_number AS answeredNumber, wait_sec AS waitSec, talk_sec AS talkSec,
  transferred_at AS transferredAt, transferred_by AS transferredBy, transfer_target AS transferTarget, direction, callback_task_id AS callbackTaskId,
  entry_line_id AS entryLineId, entry_digit AS entryDigit`;
const offerCols = `id, call_id AS callId, channel_id AS channelId, target_kind AS targetKind, user_id AS userId, target, offered_at AS offeredAt, ended_at AS endedAt, result`;
const recCols = (t = '') =>
  `${t}id, ${t}call_id AS callId, ${t}pbx_name AS pbxName, ${t}format, ${t}state, ${t}file_path AS filePath, ${t}size_bytes AS sizeBytes, ${t}duration_sec AS durationSec, ${t}error`;

/** A caller's earlier call, as the card lists it. */
export interface RecentCall { id: string; arrivedAt: string; outcome: string | null; answeredVia: string | null; talkSec: number | null; line: string | null }

export class CallRepository {
  constructor(private readonly db: Db) {}

  /** A new waiting call; `controller` defaults to 'ari' (observers must say 'ami' / 'vpbx'). */
  create(c: { id: string; controller?: CallController; lineId: number | null; did: string; callerNumber: string; callerName: string | null; callerChannelId: string; arrivedAt: string; entry?: { lineId: number; digit: string | null } }): CallRecord {
    stmt(this.db, `INSERT INTO calls (id, controller, line_id, did, caller_number, caller_name, caller_channel_id, state, arrived_at, entry_line_id, entry_digit) VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)`)
      .run(c.id, c.controller ?? 'ari', c.lineId, c.did, c.callerNumber, c.callerName, c.callerChannelId, c.arrivedAt, c.entry?.lineId ?? null, c.entry?.digit ?? null);
    return this.get(c.id)!;
  }

  get(id: string): CallRecord | null {
    return (stmt(this.db, `SELECT ${callCols} FROM calls WHERE id = ?`).get(id) as CallRecord | undefined) ?? null;
  }

  /** The caller's post-call rating sent by a cloud PBX (call_ratings, keyed like caller_channel_id), or null. */
  ratingOf(callerChannelId: string): { score: number; receivedAt: string } | null {
    return (stmt(this.db, 'SELECT score, received_at AS receivedAt FROM call_ratings WHERE channel_key = ?').get(callerChannelId) as { score: number; receivedAt: string } | undefined) ?? null;
  }

  byCallerChannel(channelId: string): CallRecord | null {
    return (stmt(this.db, `SELECT ${callCols} FROM calls WHERE caller_channel_id = ?`).get(channelId) as CallRecord | undefined) ?? null;
  }

  /** Inbound calls not yet ended, oldest first (in the order stored within one millisecond); with a controller, only the calls it controls. Outbound calls: openOutbound(). */
  open(controller?: CallController): CallRecord[] {
    if (controller) return stmt(this.db, `SELECT ${callCols} FROM calls WHERE state <> 'ended' AND controller = ? AND direction = 'inbound' ORDER BY arrived_at, rowid`).all(controller) as CallRecord[];
    return stmt(this.db, `SELECT ${callCols} FROM calls WHERE state <> 'ended' AND direction = 'inbound' ORDER BY arrived_at, rowid`).all() as CallRecord[];
  }

  /** Outbound calls Pult placed that are not over yet. */
  openOutbound(): CallRecord[] {
    return stmt(this.db, `SELECT ${callCols} FROM calls WHERE state <> 'ended' AND direction = 'outbound' ORDER BY arrived_at`).all() as CallRecord[];
  }

  /** An outbound call Pult places (operator first, then `number` on `partyChannelId`); 'waiting' until the number answers. */
  createOutbound(c: { id: string; lineId: number | null; did: string; number: string; partyChannelId: string; at: string; callbackTaskId: number | null }): CallRecord {
    stmt(this.db, `INSERT INTO calls (id, controller, direction, line_id, did, caller_number, caller_channel_id, state, arrived_at, callback_task_id) VALUES (?, 'ari', 'outbound', ?, ?, ?, ?, 'waiting', ?, ?)`)
      .run(c.id, c.lineId, c.did, c.number, c.partyChannelId, c.at, c.callbackTaskId);
    return this.get(c.id)!;
  }

  list(q: { from?: string; to?: string; limit: number; lineIds?: number[] | null; involving?: number }): CallRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.from) {
      where.push('arrived_at >= ?');
      args.push(q.from);
    }
    if (q.to) {
      where.push('arrived_at < ?');
      args.push(q.to);
    }
    if (q.lineIds) {
      where.push(q.lineIds.length ? `line_id IN (${q.lineIds.map(() => '?').join(',')})` : '0');
      args.push(...q.lineIds);
    }
    if (q.involving !== undefined) {
      // Calls this person answered or was offered (rang on their phone or mobile).
      where.push('(answered_by = ? OR id IN (SELECT call_id FROM call_offers WHERE user_id = ?))');
      args.push(q.involving, q.involving);
    }
    const sql = `SELECT ${callCols} FROM calls ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY arrived_at DESC, id DESC LIMIT ?`;
    return stmt(this.db, sql).all(...args, q.limit) as CallRecord[];
  }

  addOffer(o: { callId: string; channelId: string; targetKind: 'operator' | 'mobile'; userId: number | null; target: string; offeredAt: string }): void {
    stmt(this.db, 'INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(o.callId, o.channelId, o.targetKind, o.userId, o.target, o.offeredAt);
  }

  offerByChannel(channelId: string): Offer | null {
    return (stmt(this.db, `SELECT ${offerCols} FROM call_offers WHERE channel_id = ?`).get(channelId) as Offer | undefined) ?? null;
  }

  /** The last calls from any of these spellings of a number, on the given lines (null: all), but one call. */
  recentFrom(numbers: string[], lineIds: number[] | null, excludeCallId: string, limit: number): RecentCall[] {
    const scope = lineIds ? (lineIds.length ? ` AND c.line_id IN (${lineIds.map(() => '?').join(',')})` : ' AND 0') : '';
    return stmt(this.db, `SELECT c.id, c.arrived_at AS arrivedAt, c.outcome, c.answered_via AS answeredVia, c.talk_sec AS talkSec, l.name AS line
      FROM calls c LEFT JOIN lines l ON l.id = c.line_id
      WHERE c.caller_number IN (${numbers.map(() => '?').join(',')}) AND c.id <> ?${scope}
      ORDER BY c.arrived_at DESC LIMIT ?`).all(...numbers, excludeCallId, ...(lineIds ?? []), limit) as RecentCall[];
  }

  /** The user's newest offer of a call not ended, still ringing or the one answered (a reconnecting console's card). */
  activeOfferOf(userId: number): { callId: string; kind: 'operator' | 'mobile'; offeredAt: string; state: string; mine: number } | null {
    return (stmt(this.db, `SELECT o.call_id AS callId, o.target_kind AS kind, o.offered_at AS offeredAt, c.state, c.answered_channel_id = o.channel_id AS mine
      FROM call_offers o JOIN calls c ON c.id = o.call_id
      WHERE o.user_id = ? AND c.state <> 'ended' AND (o.ended_at IS NULL OR c.answered_channel_id = o.channel_id)
      ORDER BY o.offered_at DESC LIMIT 1`).get(userId) as { callId: string; kind: 'operator' | 'mobile'; offeredAt: string; state: string; mine: number } | undefined) ?? null;
  }

  offers(callId: string): Offer[] {
    return stmt(this.db, `SELECT ${offerCols} FROM call_offers WHERE call_id = ? ORDER BY id`).all(callId) as Offer[];
  }

  openOffers(callId: string): Offer[] {
    return stmt(this.db, `SELECT ${offerCols} FROM call_offers WHERE call_id = ? AND ended_at IS NULL ORDER BY id`).all(callId) as Offer[];
  }

  /** Open calls with an operator's phone ringing now: one query for the dispatcher instead of one per queued call. */
  callsWithOperatorRinging(): Set<string> {
    return new Set(stmt(this.db, `SELECT DISTINCT o.call_id FROM calls c JOIN call_offers o ON o.call_id = c.id
      WHERE c.state <> 'ended' AND o.ended_at IS NULL AND o.target_kind = 'operator'`).pluck().all() as string[]);
  }

  /** Closes an offer once; false when it was already closed. */
  endOffer(channelId: string, result: string, at: string): boolean {
    return stmt(this.db, 'UPDATE call_offers SET ended_at = ?, result = ? WHERE channel_id = ? AND ended_at IS NULL').run(at, result, channelId).changes === 1;
  }

  /** Is this mobile number talking on one of our calls now (an overflow mobile takes one call at a time)? */
  mobileInUse(number: string): boolean {
    return stmt(this.db, `SELECT 1 FROM calls WHERE state = 'connected' AND answered_via = 'mobile' AND answered_number = ? LIMIT 1`).get(number) !== undefined;
  }

  markOverflow(callId: string, at: string, reason: string): boolean {
    return stmt(this.db, `UPDATE calls SET state = 'overflow', overflow_at = ?, overflow_reason = ? WHERE id = ? AND state = 'waiting'`).run(at, reason, callId).changes === 1;
  }

  /** The call is answered: false if it was no longer waiting (someone else got it first). */
  connect(callId: string, a: { bridgeId: string; answeredAt: string; answeredBy: number | null; answeredVia: 'console' | 'mobile'; answeredChannelId: string; answeredNumber: string }): boolean {
    return this.db.transaction(() => {
      const ok =
        stmt(this.db, 
            `UPDATE calls SET state = 'connected', bridge_id = ?, answered_at = ?, answered_by = ?, answered_via = ?, answered_channel_id = ?, answered_number = ?
             WHERE id = ? AND state IN ('waiting', 'overflow')`,
          )
          .run(a.bridgeId, a.answeredAt, a.answeredBy, a.answeredVia, a.answeredChannelId, a.answeredNumber, callId).changes === 1;
      if (ok) this.endOffer(a.answeredChannelId, 'answered', a.answeredAt);
      return ok;
    })();
  }

  /** The operator hands the caller on: their leg is no longer the call's. False unless they are talking on it. */
  startTransfer(callId: string, byUserId: number, target: string, at: string): boolean {
    return (
      stmt(this.db, `UPDATE calls SET answered_channel_id = NULL, transferred_at = ?, transferred_by = ?, transfer_target = ?
        WHERE id = ? AND state = 'connected' AND answered_by = ? AND answered_via = 'console' AND answered_channel_id IS NOT NULL`)
        .run(at, byUserId, target, callId, byUserId).changes === 1
    );
  }

  /** The transfer target answered: their leg is now the call's. */
  completeTransfer(callId: string, channelId: string, number: string, at: string): boolean {
    return this.db.transaction(() => {
      const ok = stmt(this.db, `UPDATE calls SET answered_channel_id = ?, answered_number = ? WHERE id = ? AND state = 'connected' AND answered_channel_id IS NULL`)
        .run(channelId, number, callId).changes === 1;
      if (ok) this.endOffer(channelId, 'answered', at);
      return ok;
    })();
  }

  /**
   * Ends the call once, with its outcome; an abandoned or unanswered call
   * gets its callback task in the same transaction. False if already ended.
   */
  end(callId: string, e: { endedAt: string; outcome: CallOutcome; endReason: string; callback?: 'unanswered' | 'caller-requested' }): boolean {
    return this.db.transaction(() => {
      const call = this.get(callId);
      if (!call || call.state === 'ended') return false;
      const waitSec = secondsBetween(call.arrivedAt, call.answeredAt ?? e.endedAt);
      const talkSec = call.answeredAt ? secondsBetween(call.answeredAt, e.endedAt) : null;
      stmt(this.db, `UPDATE calls SET state = 'ended', ended_at = ?, outcome = ?, end_reason = ?, wait_sec = ?, talk_sec = ? WHERE id = ? AND state <> 'ended'`)
        .run(e.endedAt, e.outcome, e.endReason, Math.max(0, waitSec), talkSec === null ? null : Math.max(0, talkSec), callId);
      stmt(this.db, `UPDATE call_offers SET ended_at = ?, result = 'cancelled' WHERE call_id = ? AND ended_at IS NULL`).run(e.endedAt, callId);
      if (call.direction === 'inbound' && (e.outcome === 'abandoned' || e.outcome === 'unanswered' || e.callback)) {
        openCallbackTask(this.db, { callId, callerNumber: call.callerNumber, lineId: call.lineId, reason: e.callback ?? (e.outcome as 'abandoned' | 'unanswered'), at: e.endedAt, arrivedAt: call.arrivedAt });
      }
      return true;
    })();
  }

  startRecording(callId: string, pbxName: string, format: string, at: string): void {
    stmt(this.db, `INSERT OR IGNORE INTO recordings (call_id, pbx_name, format, state, started_at) VALUES (?, ?, ?, 'recording', ?)`).run(callId, pbxName, format, at);
  }

  recordingByName(pbxName: string): Recording | null {
    return (stmt(this.db, `SELECT ${recCols()} FROM recordings WHERE pbx_name = ?`).get(pbxName) as Recording | undefined) ?? null;
  }

  recordingForCall(callId: string): Recording | null {
    return (stmt(this.db, `SELECT ${recCols()} FROM recordings WHERE call_id = ?`).get(callId) as Recording | undefined) ?? null;
  }

  /** Recordings of finished calls not yet fetched from the PBX. */
  unfetchedRecordings(): Recording[] {
    return stmt(this.db, `SELECT ${recCols('r.')} FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.state = 'recording' AND c.state = 'ended'`).all() as Recording[];
  }

  recordingStored(pbxName: string, r: { filePath: string; sizeBytes: number; durationSec: number; at: string }): void {
    stmt(this.db, `UPDATE recordings SET state = 'stored', file_path = ?, size_bytes = ?, duration_sec = ?, stored_at = ?, error = NULL WHERE pbx_name = ?`)
      .run(r.filePath, r.sizeBytes, r.durationSec, r.at, pbxName);
  }

  recordingFailed(pbxName: string, error: string): void {
    stmt(this.db, `UPDATE recordings SET state = 'failed', error = ? WHERE pbx_name = ?`).run(error, pbxName);
  }

  /** True when callback task `id` exists and is on a line of one of `tenantIds` (null = any company: admin). */
  callbackInTenants(id: number, tenantIds: number[] | null): boolean {
    const t = stmt(this.db, 'SELECT cb.id AS id, l.tenant_id AS tenantId FROM callback_tasks cb LEFT JOIN lines l ON l.id = cb.line_id WHERE cb.id = ?').get(id) as { id: number; tenantId: number | null } | undefined;
    if (!t) return false;
    return tenantIds === null || (t.tenantId !== null && tenantIds.includes(t.tenantId));
  }

  /** Takes a pending callback task for `userId` (click-to-call); false when it was not pending. */
  assignPendingCallback(id: number, userId: number): boolean {
    return stmt(this.db, `UPDATE callback_tasks SET status = 'assigned', assigned_to = ? WHERE id = ? AND status = 'pending'`).run(userId, id).changes === 1;
  }

  /**
   * One page of callback tasks, newest first (by id), within `lineIds`
   * (null = all): the tasks with id < `before`, at most `limit`.
   */
  callbackPage(q: { status?: 'pending' | 'assigned' | 'done'; lineIds: number[] | null; limit: number; before?: number }): (ReturnType<CallRepository['callbacks']>[number] & { dueAt: string | null; attempts: number; nextAttemptAt: string | null; callable: number; doneReason: string | null; doneAt: string | null })[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.status) { where.push('status = ?'); args.push(q.status); }
    if (q.before !== undefined) { where.push('id < ?'); args.push(q.before); }
    if (q.lineIds !== null) {
      where.push(q.lineIds.length ? `line_id IN (${q.lineIds.map(() => '?').join(',')})` : '0');
      args.push(...q.lineIds);
    }
    const sql = `SELECT id, call_id AS callId, caller_number AS callerNumber, line_id AS lineId, reason, created_at AS createdAt, status, assigned_to AS assignedTo,
                        due_at AS dueAt, attempts, next_attempt_at AS nextAttemptAt, callable = 1 AS callable, done_reason AS doneReason, done_at AS doneAt
                 FROM callback_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return stmt(this.db, sql).all(...args, q.limit) as ReturnType<CallRepository['callbackPage']>;
  }

  callbacks(status?: 'pending' | 'assigned' | 'done'): { id: number; callId: string; callerNumber: string; lineId: number | null; reason: string; createdAt: string; status: string; assignedTo: number | null }[] {
    const sql = `SELECT id, call_id AS callId, caller_number AS callerNumber, line_id AS lineId, reason, created_at AS createdAt, status, assigned_to AS assignedTo
                 FROM callback_tasks ${status ? 'WHERE status = ?' : ''} ORDER BY created_at DESC`;
    return (status ? stmt(this.db, sql).all(status) : stmt(this.db, sql).all()) as ReturnType<CallRepository['callbacks']>;
  }
}
