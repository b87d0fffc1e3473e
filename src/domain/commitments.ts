// The room's two commitments (decree 416), as today's shares: calls answered
// within 5 minutes, and callbacks made by their due time (10 minutes after
// the call by default, per line). Pure: facts in, figures out.

import { share, type Share } from './share.js';

export type { Share };

/** An open task this close to its due time (or past it) alarms on the wallboard. */
export const CALLBACK_ALARM_SEC = 120;
export const ANSWER_WITHIN_SEC = 300;

export interface CommitmentCall {
  arrivedAt: string;
  answeredAt: string | null;
  state: string;
}

export interface CommitmentTask {
  createdAt: string;
  dueAt: string | null;
  doneAt: string | null;
  doneReason: string | null;
  status: string;
}


export interface Commitments {
  /** Today's inbound calls answered within 5 minutes of arriving. */
  answeredWithin5Min: Share;
  /** Today's callback tasks done (connected, or the caller called in) by their due time. */
  callbacksInTime: Share;
  /** Open tasks past their due time. */
  callbacksOverdue: number;
  /** Open tasks due within CALLBACK_ALARM_SEC (not yet overdue). */
  callbacksNearDue: number;
}


/** An open task's alarm state at `now`. */
export function taskAlarm(dueAt: string | null, now: Date): 'overdue' | 'near' | null {
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now.getTime();
  if (left < 0) return 'overdue';
  return left <= CALLBACK_ALARM_SEC * 1000 ? 'near' : null;
}

/**
 * `calls`: today's inbound calls; `todaysTasks`: tasks created today;
 * `openTasks`: every task not done (any day).
 */
export function commitments(calls: CommitmentCall[], todaysTasks: CommitmentTask[], openTasks: CommitmentTask[], now: Date): Commitments {
  let answered = 0;
  let decided = 0;
  for (const c of calls) {
    const arrived = Date.parse(c.arrivedAt);
    if (c.answeredAt !== null) {
      decided++;
      if (Date.parse(c.answeredAt) - arrived <= ANSWER_WITHIN_SEC * 1000) answered++;
    } else if (c.state === 'ended' || now.getTime() - arrived > ANSWER_WITHIN_SEC * 1000) {
      decided++;
    }
  }
  let inTime = 0;
  let due = 0;
  for (const t of todaysTasks) {
    const dueAt = t.dueAt ? Date.parse(t.dueAt) : null;
    const done = t.status === 'done' && t.doneAt !== null;
    const met = done && (t.doneReason === 'connected' || t.doneReason === 'called-in') && (dueAt === null || Date.parse(t.doneAt!) <= dueAt);
    if (met) {
      inTime++;
      due++;
    } else if (done || (dueAt !== null && dueAt < now.getTime())) {
      due++;
    }
  }
  let overdue = 0;
  let near = 0;
  for (const t of openTasks) {
    const a = taskAlarm(t.dueAt, now);
    if (a === 'overdue') overdue++;
    else if (a === 'near') near++;
  }
  return { answeredWithin5Min: share(answered, decided), callbacksInTime: share(inTime, due), callbacksOverdue: overdue, callbacksNearDue: near };
}
