// The executors feature, wired: repository, service, routes, the gate that
// keeps executors to their own requests, socket delivery of assignments and
// alarms.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { rooms, type RealtimeServer } from '../../realtime/server.js';
import type { AuthService } from '../auth/service.js';
import { ExecutorRepository } from './repository.js';
import { ExecutorService, type AlarmEvent, type ExecutorNotifier } from './service.js';
import { Router } from 'express';
import { executorGate, executorRoutes } from './routes.js';
import { zoneRoutes } from './zone-routes.js';
import { groupRoutes } from './group-routes.js';

export { ExecutorRepository, ExecutorService, executorGate, type AlarmEvent };
export { ZoneRepository } from './zone-repository.js';

/** Assignments go to the executor's user room as `request.notify`; alarms to supervisors:<tenantId> and the zone's dispatcher. */
class SocketExecutorNotifier implements ExecutorNotifier {
  io: RealtimeServer | null = null;
  assigned(userId: number, e: { requestId: number; number: string; tenantId: number; stage: string; at: string }): void {
    this.io?.to(rooms.user(userId)).emit('request.notify', { ...e, reason: 'assigned' });
  }
  alarm(tenantId: number, dispatcherIds: number[], e: AlarmEvent): void {
    this.io?.to([rooms.supervisors(tenantId), ...dispatcherIds.map(rooms.user)]).emit('request.alarm', e);
  }
}

export function attachExecutors(o: { db: Db; auth: AuthService; clock: Clock; logger: Logger; timeZone: string; tileUrl: string | null; tenantExists(id: number): boolean; userInTenant(userId: number, tenantId: number): boolean; requestTenant(id: number): number | null }) {
  const repo = new ExecutorRepository(o.db);
  const notifier = new SocketExecutorNotifier();
  const service = new ExecutorService(repo, o.auth, o.clock, o.timeZone, notifier, o.logger);
  return {
    repo,
    service,
    gate: executorGate(),
    routes: Router().use(executorRoutes(repo, service, o), zoneRoutes(repo, o), groupRoutes(repo, service, o)),
    connect(io: RealtimeServer) {
      notifier.io = io;
    },
  };
}
