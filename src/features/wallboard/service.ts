// The wallboard snapshot, built from the database only (stored call
// records, callback tasks, operators), so it is the same after a restart.
// One read of the day per build; every viewer's scope (the management
// companies they serve) is a projection of it.
import { stmt } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import {
  addCall, dayChart, emptyTally, figureDefinitions, localDayStart, mergeTally, toFigures, waitOf, DEFAULT_SL_THRESHOLD_SEC,
  type CallFact, type FigureOptions, type Tally,
} from '../../domain/wallboard-figures.js';
import type { Line, LineRepository } from '../lines/repository.js';
import type { Operator, OperatorService } from '../operators/service.js';
import type { WallboardCallback, WallboardSnapshot, WallboardWaitingCall } from './contract.js';
import { stateSinceSec } from './patch.js';
import { commitments, taskAlarm, CALLBACK_ALARM_SEC, type CommitmentTask } from '../../domain/commitments.js';

/** The management companies a viewer serves; null = all (admin). */
export type Scope = number[] | null;

interface Fact extends CallFact {
  callerNumber: string;
  answeredBy: number | null;
}

interface CallbackRow {
  id: number; callId: string; callerNumber: string; lineId: number | null; reason: 'abandoned' | 'unanswered' | 'caller-requested'; createdAt: string;
  status: 'pending' | 'assigned'; assignedTo: number | null; assignedName: string | null; dueAt: string | null; attempts: number; callable: number;
}

/** Everything read from the database for one build, before scoping. */
export interface WallboardBase {
  now: Date;
  dayStart: Date;
  lines: Line[];
  tenants: Map<number, string>;
  facts: Fact[];
  /** The oldest open tasks, at most CALLBACK_LIST_LIMIT per line. */
  callbacks: CallbackRow[];
  /** Open tasks per line (key null: no line). */
  callbackCounts: Map<number | null, number>;
  operators: Operator[];
  /** Callback tasks created today, and open tasks overdue / near due per line (decree 416 figures). */
  todaysTasks: (CommitmentTask & { lineId: number | null })[];
  taskAlarms: { lineId: number | null; overdue: number; near: number }[];
  /** Any call waiting anywhere (the 1 s tick runs while there is). */
  anyWaiting: boolean;
}

const factCols = `id, line_id AS lineId, state, arrived_at AS arrivedAt, overflow_at AS overflowAt, answered_at AS answeredAt, ended_at AS endedAt,
  outcome, answered_via AS answeredVia, wait_sec AS waitSec, talk_sec AS talkSec, caller_number AS callerNumber, answered_by AS answeredBy`;

const CALLBACK_LIST_LIMIT = 200;

export class WallboardService {
  constructor(
    private readonly db: Db,
    private readonly lines: LineRepository,
    private readonly operators: OperatorService,
    private readonly clock: Clock,
    private readonly opts: { timeZone: string; shortAbandonSec: number },
  ) {}

  get figureOptions(): FigureOptions {
    return { shortAbandonSec: this.opts.shortAbandonSec };
  }

  /** The snapshot as a viewer with this scope sees it. */
  snapshot(scope: Scope): WallboardSnapshot {
    return this.scoped(this.base(), scope);
  }

  base(now = this.clock.now()): WallboardBase {
    const dayStart = localDayStart(now, this.opts.timeZone);
    const from = dayStart.toISOString();
    // Today's calls (index range on arrived_at), and calls still open from
    // before midnight (live figures only; `+arrived_at` keeps this half on
    // the small calls_open index instead of a range over all history).
    const facts = stmt(this.db, `SELECT ${factCols} FROM calls WHERE arrived_at >= ? AND direction = 'inbound' UNION ALL SELECT ${factCols} FROM calls WHERE state <> 'ended' AND +arrived_at < ? AND direction = 'inbound'`)
      .all(from, from) as Fact[];
    // Open tasks only (partial index callback_tasks_open): counted per line,
    // and listed up to the list's length per line, whatever the backlog.
    const callbacks = stmt(this.db,
      `SELECT cb.id, cb.call_id AS callId, cb.caller_number AS callerNumber, cb.line_id AS lineId, cb.reason, cb.created_at AS createdAt,
              cb.status, cb.assigned_to AS assignedTo, u.full_name AS assignedName, cb.due_at AS dueAt, cb.attempts, cb.callable
       FROM (SELECT *, row_number() OVER (PARTITION BY line_id ORDER BY created_at, id) AS n FROM callback_tasks WHERE status <> 'done') cb
       LEFT JOIN users u ON u.id = cb.assigned_to
       WHERE cb.n <= ? ORDER BY cb.created_at, cb.id`).all(CALLBACK_LIST_LIMIT) as CallbackRow[];
    const callbackCounts = new Map((stmt(this.db, "SELECT line_id AS lineId, count(*) AS n FROM callback_tasks WHERE status <> 'done' GROUP BY line_id")
      .all() as { lineId: number | null; n: number }[]).map((r) => [r.lineId, r.n]));
    const tenants = new Map((stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as { id: number; name: string }[]).map((t) => [t.id, t.name]));
    const todaysTasks = stmt(this.db, 'SELECT line_id AS lineId, created_at AS createdAt, due_at AS dueAt, done_at AS doneAt, done_reason AS doneReason, status FROM callback_tasks WHERE created_at >= ?')
      .all(from) as WallboardBase['todaysTasks'];
    const nowIso = now.toISOString();
    const taskAlarms = stmt(this.db, `SELECT line_id AS lineId, coalesce(sum(due_at < ?), 0) AS overdue, coalesce(sum(due_at >= ? AND due_at <= ?), 0) AS near
       FROM callback_tasks WHERE status <> 'done' GROUP BY line_id`).all(nowIso, nowIso, new Date(now.getTime() + CALLBACK_ALARM_SEC * 1000).toISOString()) as WallboardBase['taskAlarms'];
    return {
      now, dayStart, lines: this.lines.list(), tenants, facts, callbacks, callbackCounts, operators: this.operators.list(), todaysTasks, taskAlarms,
      anyWaiting: facts.some((f) => f.state !== 'ended' && !f.answeredAt),
    };
  }

  scoped(b: WallboardBase, scope: Scope): WallboardSnapshot {
    const o: FigureOptions = { shortAbandonSec: this.opts.shortAbandonSec, dayStart: b.dayStart };
    const inScope = (tenantId: number | null) => scope === null || (tenantId !== null && scope.includes(tenantId));
    const lines = b.lines.filter((l) => inScope(l.tenantId));
    const lineById = new Map(b.lines.map((l) => [l.id, l]));
    const visibleLine = (lineId: number | null) => (lineId === null ? scope === null : lines.some((l) => l.id === lineId));
    const thresholdOf = (lineId: number | null) => (lineId !== null ? lineById.get(lineId)?.slThresholdSec : undefined) ?? DEFAULT_SL_THRESHOLD_SEC;

    const facts = b.facts.filter((f) => visibleLine(f.lineId));
    const callbacks = b.callbacks.filter((c) => visibleLine(c.lineId));

    const perLine = new Map<number, Tally>(lines.map((l) => [l.id, emptyTally()]));
    const total = emptyTally();
    for (const f of facts) {
      const t = f.lineId !== null ? perLine.get(f.lineId) : undefined;
      if (t) addCall(t, f, thresholdOf(f.lineId), b.now, o);
      addCall(total, f, thresholdOf(f.lineId), b.now, o);
    }
    for (const [lineId, n] of b.callbackCounts) {
      if (!visibleLine(lineId)) continue;
      const t = lineId !== null ? perLine.get(lineId) : undefined;
      if (t) t.callbacksPending += n;
      total.callbacksPending += n;
    }

    const tenantTallies = new Map<number, Tally>();
    for (const l of lines) {
      if (l.tenantId === null) continue;
      const t = tenantTallies.get(l.tenantId) ?? emptyTally();
      tenantTallies.set(l.tenantId, mergeTally(t, perLine.get(l.id)!));
    }

    const lineName = (id: number | null) => (id !== null ? (lineById.get(id)?.name ?? null) : null);
    const openById = new Map(facts.filter((f) => f.state !== 'ended').map((f) => [f.id, f]));
    const handled = new Map<number, number>();
    for (const f of facts) {
      if (f.answeredBy !== null && f.answeredVia === 'console' && new Date(f.arrivedAt) >= b.dayStart) handled.set(f.answeredBy, (handled.get(f.answeredBy) ?? 0) + 1);
    }

    const waitingCalls: WallboardWaitingCall[] = facts
      .filter((f) => f.state === 'waiting' || f.state === 'overflow')
      .sort((x, y) => x.arrivedAt.localeCompare(y.arrivedAt))
      .map((f) => ({ callId: f.id, caller: f.callerNumber, lineId: f.lineId, line: lineName(f.lineId), arrivedAt: f.arrivedAt, waitSec: Math.floor(waitOf(f, b.now)), state: f.state as 'waiting' | 'overflow' }));

    const cbList: WallboardCallback[] = callbacks.slice(0, CALLBACK_LIST_LIMIT).map((c) => ({
      id: c.id, callId: c.callId, caller: c.callerNumber, lineId: c.lineId, line: lineName(c.lineId), createdAt: c.createdAt, reason: c.reason, status: c.status,
      assignedTo: c.assignedTo !== null ? { userId: c.assignedTo, name: c.assignedName ?? '' } : null,
      dueAt: c.dueAt, alarm: taskAlarm(c.dueAt, b.now), attempts: c.attempts, callable: c.callable === 1,
    }));
    // Decree 416: answered within 5 minutes, called back by the due time (today), and the alarms.
    const promises = commitments(facts.filter((f) => new Date(f.arrivedAt) >= b.dayStart), b.todaysTasks.filter((t) => visibleLine(t.lineId)), [], b.now);
    for (const a of b.taskAlarms) {
      if (!visibleLine(a.lineId)) continue;
      promises.callbacksOverdue += a.overdue;
      promises.callbacksNearDue += a.near;
    }

    const operators = b.operators
      .filter((op) => scope === null || op.tenantIds.some((t) => scope.includes(t)))
      .map((op) => {
        const busy = op.state === 'ringing' || op.state === 'oncall';
        const call = busy && op.activityCallId ? openById.get(op.activityCallId) : undefined;
        return {
          userId: op.userId,
          name: op.fullName,
          extension: op.extension,
          state: op.state,
          stateSinceSec: stateSinceSec(op.stateSince, b.now),
          stateSince: op.stateSince,
          pauseReason: op.pauseReason,
          handledToday: handled.get(op.userId) ?? 0,
          currentCaller: call?.callerNumber ?? null,
          callId: busy ? op.activityCallId : null,
          tenantIds: op.tenantIds,
        };
      });

    return {
      at: b.now.toISOString(),
      dayStart: b.dayStart.toISOString(),
      timeZone: this.opts.timeZone,
      shortAbandonSec: this.opts.shortAbandonSec,
      definitions: figureDefinitions(o),
      lines: lines.map((l) => ({
        lineId: l.id,
        name: l.name,
        tenant: l.tenantId !== null ? { id: l.tenantId, name: b.tenants.get(l.tenantId) ?? '' } : null,
        slThresholdSec: l.slThresholdSec,
        ...toFigures(perLine.get(l.id)!),
      })),
      tenants: [...tenantTallies].map(([id, t]) => ({ tenantId: id, name: b.tenants.get(id) ?? '', ...toFigures(t) })),
      total: toFigures(total),
      operators,
      waitingCalls,
      callbacks: cbList,
      commitments: promises,
      chart: dayChart(facts, thresholdOf, b.dayStart, b.now, o),
    };
  }

  // ---- callback tasks ------------------------------------------------------

  callback(id: number): { id: number; lineId: number | null; status: string } | null {
    return (stmt(this.db, 'SELECT id, line_id AS lineId, status FROM callback_tasks WHERE id = ?').get(id) as { id: number; lineId: number | null; status: string } | undefined) ?? null;
  }

  /** Gives the task to an operator; false when it is already done. */
  assignCallback(id: number, userId: number): boolean {
    return stmt(this.db, `UPDATE callback_tasks SET status = 'assigned', assigned_to = ? WHERE id = ? AND status <> 'done'`).run(userId, id).changes === 1;
  }

  /** Marks the task called back; false when it was already done. */
  completeCallback(id: number): boolean {
    return stmt(this.db, `UPDATE callback_tasks SET status = 'done', done_reason = 'manual', done_at = ? WHERE id = ? AND status <> 'done'`).run(this.clock.now().toISOString(), id).changes === 1;
  }
}
