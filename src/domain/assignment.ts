// The automatic choice of an executor for a request (issue 11): among those
// who serve the building (listed, or through a zone holding it), have the
// category's speciality and are on shift at the time, the least loaded wins
// (open assigned requests); a tie goes to the one longest without an
// assignment, then to the lowest id. Pure; candidates come from an index.
import { onShift, type Shift, type ShiftException } from './schedule.js';

export interface Candidate {
  userId: number;
  specialityIds: number[];
  buildingIds: number[];
  zoneIds: number[];
  shifts: Shift[];
  exceptions: ShiftException[];
  openLoad: number;
  lastAssignedAt: string | null;
}

export interface AssignTarget { buildingId: number; zoneIds: number[]; specialityId: number | null; at: Date; timeZone: string }

export type Choice = { userId: number } | { userId: null; reason: string };

export function serves(c: Candidate, t: AssignTarget): boolean {
  return c.buildingIds.includes(t.buildingId) || c.zoneIds.some((z) => t.zoneIds.includes(z));
}

export function chooseExecutor(candidates: Candidate[], t: AssignTarget): Choice {
  const serving = candidates.filter((c) => serves(c, t));
  if (serving.length === 0) return { userId: null, reason: 'нет исполнителей, обслуживающих дом' };
  const skilled = t.specialityId === null ? serving : serving.filter((c) => c.specialityIds.includes(t.specialityId!));
  if (skilled.length === 0) return { userId: null, reason: 'нет исполнителей нужной специальности для этого дома' };
  // A shift bound to a zone counts only where that zone holds the building; one with no zone counts everywhere.
  const onDuty = skilled.filter((c) => onShift(c.shifts, c.exceptions, t.at, t.timeZone, t.zoneIds));
  if (onDuty.length === 0) return { userId: null, reason: 'нет исполнителей на смене в это время' };
  onDuty.sort((a, b) => a.openLoad - b.openLoad || (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') || a.userId - b.userId);
  return { userId: onDuty[0]!.userId };
}
