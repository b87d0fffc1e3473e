// The wallboard snapshot: what `GET /api/wallboard` returns and the
// `wallboard.snapshot` socket event carries. Types only (the browser page
// imports this file through src/realtime/contract.ts).
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
  /** Seconds in the current state. */
  stateSinceSec: number;
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
