// Executors' use cases: create (user + profile in one transaction), the
// automatic assignment on entering an 'assign: auto' stage, reassignment by
// a dispatcher (always in history), schedules with overlap warnings, and an
// executor's day route.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { chooseExecutor } from '../../domain/assignment.js';
import { localParts, overlaps, type Shift } from '../../domain/schedule.js';
import { orderRoute, pathKm, yandexRouteUrl } from '../../domain/route.js';
import type { AuthService } from '../auth/service.js';
import type { ExecutorRepository } from './repository.js';

export interface AlarmEvent { requestId: number; number: string; tenantId: number; stage: string; reason: string; at: string }
export interface ExecutorNotifier {
  assigned(userId: number, e: { requestId: number; number: string; tenantId: number; stage: string; at: string }): void;
  alarm(tenantId: number, dispatcherIds: number[], e: AlarmEvent): void;
}

/** The UTC instant of local midnight of `date` in `timeZone` (DST-safe to the hour). */
export function localMidnight(date: string, timeZone: string): Date {
  let t = new Date(`${date}T00:00:00Z`).getTime();
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(t), timeZone);
    const dayDiff = (new Date(`${p.date}T00:00:00Z`).getTime() - new Date(`${date}T00:00:00Z`).getTime()) / 60_000;
    const off = dayDiff + p.minutes;
    if (off === 0) break;
    t -= off * 60_000;
  }
  return new Date(t);
}

export class ExecutorService {
  constructor(
    private readonly repo: ExecutorRepository,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly notifier: ExecutorNotifier,
    private readonly logger: Logger,
  ) {}

  create(input: { login: string; password: string; fullName: string; mobileNumber: string | null; tenantIds: number[]; specialityIds: number[]; buildingIds: number[]; zoneIds: number[] }): number {
    return this.repo.transaction(() => {
      const u = this.auth.createUser({ login: input.login, password: input.password, role: 'executor', fullName: input.fullName, mobileNumber: input.mobileNumber, tenantIds: input.tenantIds });
      this.repo.saveProfile(u.id, { specialityIds: input.specialityIds, buildingIds: input.buildingIds, zoneIds: input.zoneIds });
      return u.id;
    });
  }

  /**
   * The stage rule {type:'assign', to:'auto'}: the chosen executor gets the
   * request (history, notification); nobody → the request stays unassigned,
   * the dispatchers get an alarm and the error is thrown (the requests
   * service stores it on the request).
   */
  autoAssign(requestId: number, stage: string): number {
    const r = this.repo.request(requestId);
    if (!r) throw new Error('request not found');
    const now = this.clock.now();
    const at = r.postponedUntil && new Date(r.postponedUntil) > now ? new Date(r.postponedUntil) : now;
    const zoneIds = r.buildingId !== null ? this.repo.geo.zoneIdsOfBuilding(r.buildingId) : [];
    const choice = r.buildingId === null
      ? { userId: null, reason: 'у заявки нет дома: назначьте исполнителя вручную' }
      : chooseExecutor(this.repo.candidates(r.buildingId, r.tenantId, zoneIds, localParts(at, this.timeZone).date), { buildingId: r.buildingId, zoneIds, specialityId: r.specialityId, at, timeZone: this.timeZone });
    const iso = now.toISOString();
    if (choice.userId === null) {
      this.notifier.alarm(r.tenantId, this.repo.geo.responsibleOf(zoneIds), { requestId, number: r.number, tenantId: r.tenantId, stage, reason: choice.reason, at: iso });
      throw new Error(`Не назначена: ${choice.reason}`);
    }
    this.repo.assign(requestId, choice.userId, { at: iso, by: null, stage: r.stage, comment: `назначен автоматически: ${this.repo.userName(choice.userId)}` });
    this.notifier.assigned(choice.userId, { requestId, number: r.number, tenantId: r.tenantId, stage, at: iso });
    this.logger.info('request assigned automatically', { requestId, userId: choice.userId });
    return choice.userId;
  }

  /** A dispatcher (re)assigns a request: written to history, the new executor notified. */
  reassign(requestId: number, userId: number | null, by: number): void {
    const r = this.repo.request(requestId);
    if (!r) throw new Error('request not found');
    const iso = this.clock.now().toISOString();
    this.repo.assign(requestId, userId, { at: iso, by, stage: r.stage, comment: userId === null ? 'исполнитель снят' : `назначен: ${this.repo.userName(userId)}` });
    if (userId !== null) this.notifier.assigned(userId, { requestId, number: r.number, tenantId: r.tenantId, stage: r.stage, at: iso });
  }

  /**
   * Saves a shift of an executor or a group; the warnings name the shifts it
   * overlaps (an executor's own and their groups'; a group's own).
   */
  addSchedule(ownerId: number, s: Shift, owner: 'user' | 'group' = 'user'): { id: number; warnings: { scheduleId: number; weekday: string; from: string; to: string }[] } {
    const existing = owner === 'user' ? this.repo.shifts.effectiveSchedules(ownerId) : this.repo.shifts.schedules(ownerId, 'group');
    const id = this.repo.shifts.addSchedule(ownerId, s, owner);
    const warnings = overlaps([...existing, s]).filter((w) => w.b === existing.length).map((w) => ({ scheduleId: existing[w.a]!.id, weekday: w.weekday, from: w.from, to: w.to }));
    return { id, warnings };
  }

  /** An executor's visits on a local date, ordered to keep travel short. */
  route(userId: number, date: string) {
    const start = localMidnight(date, this.timeZone);
    const end = localMidnight(new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10), this.timeZone);
    const visits = this.repo.visits(userId, start.toISOString(), end.toISOString());
    const placed = visits.filter((v): v is typeof v & { lat: number; lon: number } => v.lat !== null && v.lon !== null);
    const ordered = orderRoute(placed);
    return {
      date,
      visits: ordered.map((v, i) => ({ order: i + 1, requestId: v.id, number: v.number, address: v.address, flat: v.flat, description: v.description, stage: v.stage, dueAt: v.dueAt, lat: v.lat, lon: v.lon })),
      unplaced: visits.filter((v) => v.lat === null || v.lon === null).map((v) => ({ requestId: v.id, number: v.number, address: v.address, flat: v.flat, description: v.description })),
      distanceKm: Math.round(pathKm(ordered) * 10) / 10,
      yandexMapsUrl: ordered.length ? yandexRouteUrl(ordered) : null,
    };
  }
}
