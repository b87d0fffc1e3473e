// The reports' SQL: sums grouped by the asked-for dimension over requests,
// calls and callback tasks of a period, always within a list of companies.
// Times are ISO-8601 UTC text of one format, so they compare as text;
// durations are whole milliseconds from julianday(); local days and hours
// (the room's time zone, DST included) come from two SQL functions
// registered on the connection: pult_local_day(iso), pult_local_hour(iso).
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';
import { ANSWER_WITHIN_SEC } from '../../domain/commitments.js';
import { localDate, localHour, type CallTotals, type ExecutorTotals, type RequestTotals } from '../../domain/report-figures.js';

export const REQUEST_DIMENSIONS = ['company', 'category', 'executor', 'building', 'channel', 'day'] as const;
export const CALL_DIMENSIONS = ['hour', 'day', 'line'] as const;
export type RequestDimension = (typeof REQUEST_DIMENSIONS)[number];
export type CallDimension = (typeof CALL_DIMENSIONS)[number];

/** A period as instants [start, end) and the companies it covers (never empty: the route resolves "all"). */
export interface Slice {
  start: string;
  end: string;
  tenantIds: number[];
  /** When the report is made: open requests past due and calls waiting are judged at this instant. */
  now: string;
}

export interface Group<T> {
  /** The dimension's value: an id, a channel, a local date or an hour; null = none (no executor, no building). */
  key: string | number | null;
  label: string | null;
  totals: T;
}

const requestKey: Record<RequestDimension, { key: string; label: string }> = {
  company: { key: 't.tenant_id', label: 'tn.name' },
  category: { key: 't.category_id', label: 'c.name' },
  executor: { key: 't.assignee_id', label: 'u.full_name' },
  building: { key: 't.building_id', label: 'b.address' },
  channel: { key: 't.channel', label: 't.channel' },
  day: { key: 'pult_local_day(t.created_at)', label: 'pult_local_day(t.created_at)' },
};

const callKey: Record<CallDimension, { key: (at: string, line: string) => string; label: string }> = {
  hour: { key: (at) => `pult_local_hour(${at})`, label: 'NULL' },
  day: { key: (at) => `pult_local_day(${at})`, label: 'NULL' },
  line: { key: (_at, line) => line, label: 'l.name' },
};

/** Milliseconds from b to a, exact (julianday's error is far below a millisecond). */
const ms = (a: string, b: string) => `round((julianday(${a}) - julianday(${b})) * 86400000)`;
const ph = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const secsOf = (json: string | null): number[] => (JSON.parse(json ?? '[]') as number[]).map((ms) => ms / 1000);

// A request's deadline is decided once it is done, closed, or past due; it is
// met when done by it. Cancelled requests have no deadline to meet.
const HAS_DEADLINE = "t.due_at IS NOT NULL AND t.stage_code <> 'cancelled'";
// Done: at «Выполнена» or closed after it (a request sent back to work after
// «Выполнена» keeps its old done_at but is not done). Open: still to be done.
const DONE = "(t.done_at IS NOT NULL AND t.stage_code IN ('done', 'closed'))";
const OPEN = "(t.status = 'open' AND t.stage_code <> 'done')";
const MET = `${DONE} AND t.done_at <= t.due_at`;
const DECIDED = `(${DONE} OR t.status = 'closed' OR t.due_at < @now)`;

// A callback made in time: connected (or the caller called in and was answered) by its due time.
const CALLBACK_MET = "cb.status = 'done' AND cb.done_at IS NOT NULL AND cb.done_reason IN ('connected', 'called-in') AND (cb.due_at IS NULL OR cb.done_at <= cb.due_at)";

export class ReportRepository {
  constructor(private readonly db: Db, timeZone: string) {
    // Every time zone's offset (and every DST change) is a whole number of
    // quarter hours: the local date and hour are the same throughout a UTC
    // quarter hour, so they are looked up once per quarter.
    const quarters = new Map<number, { day: string; hour: number }>();
    const local = (iso: unknown) => {
      if (typeof iso !== 'string') return null;
      const q = Math.floor(Date.parse(iso) / 900_000);
      let l = quarters.get(q);
      if (!l) {
        if (quarters.size >= 100_000) quarters.clear();
        const start = new Date(q * 900_000).toISOString();
        quarters.set(q, (l = { day: localDate(start, timeZone), hour: localHour(start, timeZone) }));
      }
      return l;
    };
    db.function('pult_local_day', { deterministic: true }, (iso: unknown) => local(iso)?.day ?? null);
    db.function('pult_local_hour', { deterministic: true }, (iso: unknown) => local(iso)?.hour ?? null);
  }

  tenants(ids: number[] | null): { id: number; name: string }[] {
    const all = stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as { id: number; name: string }[];
    return ids === null ? all : all.filter((t) => ids.includes(t.id));
  }

  requests(s: Slice, by: RequestDimension): Group<RequestTotals>[] {
    const d = requestKey[by];
    const rows = stmt(this.db, `SELECT ${d.key} AS key, ${d.label} AS label,
        count(*) AS received,
        sum(${DONE}) AS done,
        sum(${OPEN}) AS open,
        sum(t.stage_code = 'cancelled') AS cancelled,
        coalesce(sum(${HAS_DEADLINE} AND ${MET}), 0) AS onTimeMet,
        coalesce(sum(${HAS_DEADLINE} AND ${DECIDED}), 0) AS onTimeOf,
        json_group_array(${ms('t.handed_at', 't.created_at')}) FILTER (WHERE t.handed_at IS NOT NULL) AS handover,
        json_group_array(${ms('t.done_at', 't.created_at')}) FILTER (WHERE ${DONE}) AS complete
      FROM tickets t
      JOIN tenants tn ON tn.id = t.tenant_id
      JOIN ticket_categories c ON c.id = t.category_id
      LEFT JOIN users u ON u.id = t.assignee_id
      LEFT JOIN buildings b ON b.id = t.building_id
      WHERE t.tenant_id IN (${ph(s.tenantIds.length)}) AND t.created_at >= @start AND t.created_at < @end
      GROUP BY ${d.key}
      ORDER BY ${by === 'day' ? 'key' : 'received DESC, label'}`)
      .all(...s.tenantIds, { start: s.start, end: s.end, now: s.now }) as (Omit<RequestTotals, 'handoverSecs' | 'completeSecs' | 'late'> & { key: string | number | null; label: string | null; handover: string | null; complete: string | null })[];
    return rows.map((r) => ({
      key: r.key,
      label: r.label,
      totals: {
        received: r.received, done: r.done, open: r.open, cancelled: r.cancelled, onTimeMet: r.onTimeMet, onTimeOf: r.onTimeOf,
        late: r.onTimeOf - r.onTimeMet, handoverSecs: secsOf(r.handover), completeSecs: secsOf(r.complete),
      },
    }));
  }

  calls(s: Slice, by: CallDimension, shortAbandonSec: number): Group<CallTotals>[] {
    const d = callKey[by];
    const calls = stmt(this.db, `WITH x AS (
        SELECT ${d.key('c.arrived_at', 'c.line_id')} AS key, ${d.label} AS label, c.state, c.outcome, c.answered_via AS via,
               c.answered_at IS NOT NULL AS ans, l.sl_threshold_sec AS thr,
               max(0, CASE WHEN c.answered_at IS NOT NULL THEN ${ms('c.answered_at', 'c.arrived_at')} / 1000.0
                    WHEN c.state = 'ended' THEN coalesce(c.wait_sec, ${ms('coalesce(c.ended_at, @now)', 'c.arrived_at')} / 1000.0)
                    ELSE ${ms('@now', 'c.arrived_at')} / 1000.0 END) AS wait
        FROM calls c JOIN lines l ON l.id = c.line_id
        WHERE c.direction = 'inbound' AND c.arrived_at >= @start AND c.arrived_at < @end AND l.tenant_id IN (${ph(s.tenantIds.length)}))
      SELECT key, label, count(*) AS offered,
        total(ans AND coalesce(via, 'console') <> 'mobile') AS answered,
        total(ans AND coalesce(via, '') = 'mobile') AS answeredOnMobile,
        total(NOT ans AND state = 'ended' AND coalesce(outcome, '') = 'abandoned' AND wait >= @short) AS abandoned,
        total(NOT ans AND state = 'ended' AND coalesce(outcome, '') = 'abandoned' AND wait < @short) AS shortAbandoned,
        total(NOT ans AND state = 'ended' AND coalesce(outcome, '') = 'unanswered') AS unanswered,
        total(NOT ans AND state <> 'ended') AS waiting,
        total(ans AND wait <= thr) AS slMet,
        total(CASE WHEN ans THEN wait END) AS answerWaitSum,
        total(ans AND wait <= @within) AS within5Met,
        total(ans OR state = 'ended' OR wait > @within) AS within5Of
      FROM x GROUP BY key ORDER BY key`)
      .all(...s.tenantIds, { start: s.start, end: s.end, now: s.now, short: shortAbandonSec, within: ANSWER_WITHIN_SEC }) as (Omit<CallTotals, 'slBase' | 'callbacksMet' | 'callbacksOf'> & { key: number | string; label: string | null })[];
    const tasks = stmt(this.db, `SELECT ${d.key('cb.created_at', 'cb.line_id')} AS key, ${d.label} AS label,
        total(${CALLBACK_MET}) AS met,
        total((${CALLBACK_MET}) OR (cb.status = 'done' AND cb.done_at IS NOT NULL) OR (cb.due_at IS NOT NULL AND cb.due_at < @now)) AS decided
      FROM callback_tasks cb JOIN lines l ON l.id = cb.line_id
      WHERE cb.created_at >= @start AND cb.created_at < @end AND l.tenant_id IN (${ph(s.tenantIds.length)})
      GROUP BY key ORDER BY key`)
      .all(...s.tenantIds, { start: s.start, end: s.end, now: s.now }) as { key: number | string; label: string | null; met: number; decided: number }[];
    const out = new Map<string | number, Group<CallTotals>>();
    const empty = (): CallTotals => ({ offered: 0, answered: 0, answeredOnMobile: 0, abandoned: 0, shortAbandoned: 0, unanswered: 0, waiting: 0, slMet: 0, slBase: 0, answerWaitSum: 0, within5Met: 0, within5Of: 0, callbacksMet: 0, callbacksOf: 0 });
    for (const r of calls) {
      const { key, label, ...t } = r;
      out.set(key, { key, label, totals: { ...empty(), ...t, slBase: t.answered + t.answeredOnMobile + t.abandoned + t.unanswered } });
    }
    for (const r of tasks) {
      const g = out.get(r.key) ?? { key: r.key, label: r.label, totals: empty() };
      g.totals.callbacksMet = r.met;
      g.totals.callbacksOf = r.decided;
      out.set(r.key, g);
    }
    return [...out.values()].sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
  }

  executors(s: Slice): (ExecutorTotals & { userId: number; name: string })[] {
    const rows = stmt(this.db, `SELECT t.assignee_id AS userId, u.full_name AS name,
        count(*) AS assigned,
        sum(${DONE}) AS done,
        sum(${DONE} AND t.due_at IS NOT NULL) AS doneWithDeadline,
        coalesce(sum(${DONE} AND t.due_at IS NOT NULL AND t.done_at <= t.due_at), 0) AS doneOnTime,
        sum((SELECT count(*) FROM ticket_history h WHERE h.ticket_id = t.id AND h.from_stage = 'done' AND h.to_stage = 'in_work')
          + (SELECT count(*) FROM request_ratings rr WHERE rr.ticket_id = t.id AND rr.reopened = 1)) AS reopened,
        sum((SELECT count(*) FROM request_ratings rr WHERE rr.ticket_id = t.id AND rr.executor_id = t.assignee_id)) AS residentRatings,
        sum((SELECT coalesce(sum(rr.score), 0) FROM request_ratings rr WHERE rr.ticket_id = t.id AND rr.executor_id = t.assignee_id)) AS residentScoreSum,
        json_group_array(${ms('t.done_at', 't.created_at')}) FILTER (WHERE ${DONE}) AS complete
      FROM tickets t JOIN users u ON u.id = t.assignee_id
      WHERE t.tenant_id IN (${ph(s.tenantIds.length)}) AND t.created_at >= @start AND t.created_at < @end
      GROUP BY t.assignee_id`)
      .all(...s.tenantIds, { start: s.start, end: s.end }) as (Omit<ExecutorTotals, 'completeSecs' | 'openNow'> & { userId: number; name: string; complete: string | null })[];
    const load = stmt(this.db, `SELECT t.assignee_id AS userId, u.full_name AS name, count(*) AS n FROM tickets t JOIN users u ON u.id = t.assignee_id
      WHERE ${OPEN} AND t.tenant_id IN (${ph(s.tenantIds.length)}) GROUP BY t.assignee_id`).all(...s.tenantIds) as { userId: number; name: string; n: number }[];
    const out = new Map(rows.map((r) => [r.userId, { userId: r.userId, name: r.name, assigned: r.assigned, done: r.done, doneWithDeadline: r.doneWithDeadline, doneOnTime: r.doneOnTime, reopened: r.reopened, residentRatings: r.residentRatings, residentScoreSum: r.residentScoreSum, openNow: 0, completeSecs: secsOf(r.complete) }]));
    for (const l of load) {
      const e = out.get(l.userId) ?? { userId: l.userId, name: l.name, assigned: 0, done: 0, doneWithDeadline: 0, doneOnTime: 0, reopened: 0, residentRatings: 0, residentScoreSum: 0, openNow: 0, completeSecs: [] };
      e.openNow = l.n;
      out.set(l.userId, e);
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru') || a.userId - b.userId);
  }

  /** The categories and buildings (of the directory) residents complain about most (requests received in the period). */
  complaints(s: Slice, limit: number): { categories: { id: number; name: string; count: number }[]; buildings: { id: number; address: string; count: number }[] } {
    const args = [...s.tenantIds, s.start, s.end, limit];
    const scope = `t.tenant_id IN (${ph(s.tenantIds.length)}) AND t.created_at >= ? AND t.created_at < ?`;
    const categories = stmt(this.db, `SELECT c.id, c.name, count(*) AS count FROM tickets t JOIN ticket_categories c ON c.id = t.category_id
      WHERE ${scope} GROUP BY c.id ORDER BY count DESC, c.name LIMIT ?`).all(...args) as { id: number; name: string; count: number }[];
    const buildings = stmt(this.db, `SELECT t.building_id AS id, b.address, count(*) AS count FROM tickets t JOIN buildings b ON b.id = t.building_id
      WHERE ${scope} GROUP BY t.building_id ORDER BY count DESC, b.address LIMIT ?`).all(...args) as { id: number; address: string; count: number }[];
    return { categories, buildings };
  }
}
