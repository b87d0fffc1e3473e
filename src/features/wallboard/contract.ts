// The wallboard snapshot: what `GET /api/wallboard` returns and the
// `wallboard.snapshot` socket event carries, and the `wallboard.patch` that
// follows it on the socket. Types only (the browser page imports this file
// through src/realtime/contract.ts).
import type { Figures } from '../../domain/wallboard-figures.js';
import type { Commitments } from '../../domain/commitments.js';

/** The same figures the domain computes (src/domain/wallboard-figures.ts). */
export type WallboardFigures = Figures;

export interface WallboardLine extends WallboardFigures {
  lineId: number;
  name: string;
  tenant: { id: number; name: string } | null;
  slThresholdSec: number;
}

export interface WallboardTenant extends WallboardFigures {
  tenantId: number;
  name: string;
}

export interface WallboardOperator {
  userId: number;
  name: string;
  extension: string;
  state: 'offline' | 'available' | 'ringing' | 'oncall' | 'wrapup' | 'paused';
  /** Seconds in the current state (at the snapshot's `at`). */
  stateSinceSec: number;
  /** When the current state began: a patched board recomputes stateSinceSec from it. */
  stateSince: string;
  pauseReason: string | null;
  /** Calls this operator answered at the console today. */
  handledToday: number;
  /** The number ringing or on the line with them (null when none). */
  currentCaller: string | null;
  /** The call ringing or up with them: what listen / whisper / barge act on. */
  callId: string | null;
  tenantIds: number[];
}

export interface WallboardWaitingCall {
  callId: string;
  caller: string;
  lineId: number | null;
  line: string | null;
  arrivedAt: string;
  waitSec: number;
  /** waiting = for an operator; overflow = ringing the mobiles. */
  state: 'waiting' | 'overflow';
}

export interface WallboardCallback {
  id: number;
  callId: string;
  caller: string;
  lineId: number | null;
  line: string | null;
  createdAt: string;
  reason: 'abandoned' | 'unanswered' | 'caller-requested';
  status: 'pending' | 'assigned';
  assignedTo: { userId: number; name: string } | null;
  /** The countdown: due by then (the caller's first call + the line's callback_due_min). */
  dueAt: string | null;
  /** 'overdue' past dueAt, 'near' within 2 minutes of it: the wallboard alarms. */
  alarm: 'overdue' | 'near' | null;
  attempts: number;
  /** False for a withheld number: shown, never dialled. */
  callable: boolean;
}

export interface WallboardChartPoint {
  from: string;
  waitingMax: number;
  serviceLevel: number | null;
}

export interface WallboardSnapshot {
  at: string;
  /** Socket snapshots only: the scope's version, the `from` of the next `wallboard.patch`. */
  version?: number;
  /** Start of the day the figures cover (local midnight, ISO UTC). */
  dayStart: string;
  timeZone: string;
  shortAbandonSec: number;
  definitions: Record<string, string>;
  lines: WallboardLine[];
  tenants: WallboardTenant[];
  /** Everything the viewer may see, summed. */
  total: WallboardFigures;
  operators: WallboardOperator[];
  waitingCalls: WallboardWaitingCall[];
  callbacks: WallboardCallback[];
  /** Today's shares of calls answered within 5 minutes and callbacks made by their due time; tasks overdue / near due. */
  commitments: Commitments;
  chart: WallboardChartPoint[];
}

/** Changes to one keyed list: rows added or changed (whole), keys gone, and the new order of keys when it changed. */
export interface WallboardListPatch<T, K extends number | string> {
  upsert?: T[];
  remove?: K[];
  order?: K[];
}

/** The top-level parts of the snapshot that a patch replaces whole when they change. */
export type WallboardScalarPart = 'dayStart' | 'timeZone' | 'shortAbandonSec' | 'definitions' | 'total' | 'commitments' | 'chart';

/**
 * What changed on a viewer's board since version `from`. A client holding
 * version `from` applies it and then holds `version`; any other client asks
 * for a snapshot (`wallboard.resync`). Seconds that only tick with the clock
 * (an operator's stateSinceSec, a waiting call's waitSec) are recomputed from
 * `at` by the client and do not make a row change.
 */
export interface WallboardPatch {
  version: number;
  from: number;
  at: string;
  set?: Partial<Pick<WallboardSnapshot, WallboardScalarPart>>;
  lines?: WallboardListPatch<WallboardLine, number>;
  tenants?: WallboardListPatch<WallboardTenant, number>;
  operators?: WallboardListPatch<WallboardOperator, number>;
  waitingCalls?: WallboardListPatch<WallboardWaitingCall, string>;
  callbacks?: WallboardListPatch<WallboardCallback, number>;
}
