// An operator's state is two things: the presence they chose (offline,
// available, paused with a reason) and what the system has them doing
// (idle, ringing, on a call, wrap-up). What a supervisor sees is derived.
export const presences = ['offline', 'available', 'paused'] as const;
export type Presence = (typeof presences)[number];
export const activities = ['idle', 'ringing', 'oncall', 'wrapup'] as const;
export type Activity = (typeof activities)[number];
export type OperatorState = 'offline' | 'available' | 'ringing' | 'oncall' | 'wrapup' | 'paused';

export function effectiveState(presence: Presence, activity: Activity): OperatorState {
  if (activity !== 'idle') return activity; // a paused operator still finishes the call in hand
  return presence;
}

/** Can a new call be offered to this operator now? */
export function canTakeCall(presence: Presence, activity: Activity): boolean {
  return presence === 'available' && activity === 'idle';
}

export interface IdleCandidate {
  userId: number;
  idleSince: string;
}

/** Longest-idle first; ties broken by user id so the choice is stable. */
export function pickLongestIdle(candidates: IdleCandidate[], exclude: ReadonlySet<number> = new Set()): IdleCandidate | null {
  let best: IdleCandidate | null = null;
  for (const c of candidates) {
    if (exclude.has(c.userId)) continue;
    if (!best || c.idleSince < best.idleSince || (c.idleSince === best.idleSince && c.userId < best.userId)) best = c;
  }
  return best;
}
