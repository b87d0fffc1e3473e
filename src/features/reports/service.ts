// Reports: the repository's sums turned into figures per group and in
// total, the decree 416 compliance figures of a company's month, and the
// daily / weekly snapshots the scheduled jobs keep.
import type { Clock } from '../../clock.js';
import {
  callFigures, executorFigures, lastWeek, monthPeriod, periodBounds, requestFigures, share, yesterday,
  type CallFigures, type CallTotals, type ExecutorFigures, type Period, type RequestFigures, type RequestTotals, type Share,
} from '../../domain/report-figures.js';
import type { CallDimension, Group, ReportRepository, RequestDimension, Slice } from './repository.js';
import type { SnapshotKind, SnapshotRepository } from './snapshots.js';

export interface Row<F> {
  key: string | number | null;
  label: string | null;
  figures: F;
}

export interface Report<F> {
  period: Period;
  timeZone: string;
  tenantIds: number[];
  by: string;
  total: F;
  rows: Row<F>[];
}

export interface Compliance {
  tenant: { id: number; name: string };
  month: string;
  period: Period;
  timeZone: string;
  madeAt: string;
  answeredWithin5Min: Share;
  callbacksWithin10Min: Share;
  requestsInTime: Share;
  calls: CallFigures;
  requests: RequestFigures;
}

export interface SnapshotFigures {
  period: Period;
  requests: RequestFigures;
  requestsByCategory: Row<RequestFigures>[];
  calls: CallFigures;
  callsBy: Row<CallFigures>[];
  executors: (ExecutorFigures & { userId: number; name: string })[];
}

const emptyRequests = (): RequestTotals => ({ received: 0, done: 0, late: 0, open: 0, cancelled: 0, onTimeMet: 0, onTimeOf: 0, handoverSecs: [], completeSecs: [] });
const emptyCalls = (): CallTotals => ({ offered: 0, answered: 0, answeredOnMobile: 0, abandoned: 0, shortAbandoned: 0, unanswered: 0, waiting: 0, slMet: 0, slBase: 0, answerWaitSum: 0, within5Met: 0, within5Of: 0, callbacksMet: 0, callbacksOf: 0 });

/** Sums groups into one: counts add up, duration lists join (so the total's median is exact, not a median of medians). */
function merge<T extends object>(groups: Group<T>[], empty: () => T): T {
  const out = empty() as Record<string, number | number[]>;
  for (const g of groups) {
    for (const [k, v] of Object.entries(g.totals as Record<string, number | number[]>)) {
      out[k] = Array.isArray(v) ? [...(out[k] as number[]), ...v] : (out[k] as number) + v;
    }
  }
  return out as T;
}

export class ReportService {
  constructor(
    private readonly repo: ReportRepository,
    readonly snapshots: SnapshotRepository,
    private readonly clock: Clock,
    private readonly opts: { timeZone: string; shortAbandonSec: number },
  ) {}

  get timeZone(): string {
    return this.opts.timeZone;
  }

  /** Companies a viewer may report on: all of theirs, or the one asked for (null when it is not theirs). */
  companies(scope: number[] | null): { id: number; name: string }[] {
    return this.repo.tenants(scope);
  }

  private slice(period: Period, tenantIds: number[], now = this.clock.now()): Slice {
    return { ...periodBounds(period, this.opts.timeZone), tenantIds, now: now.toISOString() };
  }

  requests(period: Period, tenantIds: number[], by: RequestDimension, now?: Date): Report<RequestFigures> {
    const groups = this.repo.requests(this.slice(period, tenantIds, now), by);
    return {
      period, timeZone: this.opts.timeZone, tenantIds, by,
      total: requestFigures(merge(groups, emptyRequests)),
      rows: groups.map((g) => ({ key: g.key, label: g.label, figures: requestFigures(g.totals) })),
    };
  }

  calls(period: Period, tenantIds: number[], by: CallDimension, now?: Date): Report<CallFigures> {
    const groups = this.repo.calls(this.slice(period, tenantIds, now), by, this.opts.shortAbandonSec);
    return {
      period, timeZone: this.opts.timeZone, tenantIds, by,
      total: callFigures(merge(groups, emptyCalls)),
      rows: groups.map((g) => ({ key: g.key, label: g.label, figures: callFigures(g.totals) })),
    };
  }

  executors(period: Period, tenantIds: number[], now?: Date): (ExecutorFigures & { userId: number; name: string })[] {
    return this.repo.executors(this.slice(period, tenantIds, now)).map(({ userId, name, ...t }) => ({ userId, name, ...executorFigures(t) }));
  }

  complaints(period: Period, tenantIds: number[], limit: number) {
    return { period, ...this.repo.complaints(this.slice(period, tenantIds), limit) };
  }

  /** Decree 416 for one company's month: calls answered within 5 minutes, callbacks within 10, requests by their deadlines. */
  compliance(tenant: { id: number; name: string }, month: string, now = this.clock.now()): Compliance {
    const period = monthPeriod(month);
    const calls = this.calls(period, [tenant.id], 'line', now).total;
    const requests = this.requests(period, [tenant.id], 'company', now).total;
    return {
      tenant, month, period, timeZone: this.opts.timeZone, madeAt: now.toISOString(),
      answeredWithin5Min: calls.answeredWithin5Min,
      callbacksWithin10Min: calls.callbacksWithin10Min,
      requestsInTime: share(requests.onTime.met, requests.onTime.of),
      calls, requests,
    };
  }

  snapshotFigures(tenantId: number, kind: SnapshotKind, period: Period, now?: Date): SnapshotFigures {
    const byCategory = this.requests(period, [tenantId], 'category', now);
    const calls = this.calls(period, [tenantId], kind === 'daily' ? 'hour' : 'day', now);
    return { period, requests: byCategory.total, requestsByCategory: byCategory.rows, calls: calls.total, callsBy: calls.rows, executors: this.executors(period, [tenantId], now) };
  }

  /**
   * The scheduled report of every company for the period before `now`
   * (daily: yesterday; weekly: last Monday..Sunday). A period already kept
   * is left as it is: running twice stores one snapshot. Returns how many
   * were stored now.
   */
  makeScheduled(kind: SnapshotKind, now = this.clock.now()): number {
    const period = kind === 'daily' ? yesterday(now, this.opts.timeZone) : lastWeek(now, this.opts.timeZone);
    let stored = 0;
    for (const t of this.repo.tenants(null)) {
      if (this.snapshots.has(t.id, kind, period.from)) continue;
      if (this.snapshots.insert({ tenantId: t.id, kind, period, figures: this.snapshotFigures(t.id, kind, period, now), createdAt: now.toISOString() })) stored++;
    }
    return stored;
  }
}
