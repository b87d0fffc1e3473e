// The requests feature, wired: repository, service, routes, socket events, reminder job.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { rooms, type RealtimeServer } from '../../realtime/server.js';
import type { TicketDeps, TicketLifecycle } from '../tickets/routes.js';
import { RequestRepository } from './repository.js';
import { RequestService, type RequestNotifier } from './service.js';
import { requestRoutes, type RequestRouteDeps } from './routes.js';
import { startRequestJobs } from './jobs.js';
import type { ChangedEvent, MonitorSnapshot } from './types.js';

export { RequestRepository, RequestService, type RequestNotifier };

/** Socket.io delivery; the monitor is pushed to supervisors:<tenantId> at most once a second per company. */
export class SocketRequestNotifier implements RequestNotifier {
  private io: RealtimeServer | null = null;
  private readonly pending = new Map<number, NodeJS.Timeout>();
  constructor(private readonly monitor: (tenantId: number) => MonitorSnapshot, private readonly debounceMs = 1000) {}
  connect(io: RealtimeServer): void {
    this.io = io;
  }
  toUser(userId: number, event: 'request.reminder' | 'request.notify', e: never): void {
    this.io?.to(rooms.user(userId)).emit(event, e);
  }
  toSupervisors(tenantId: number, event: 'request.reminder' | 'request.notify', e: never): void {
    this.io?.to(rooms.supervisors(tenantId)).emit(event, e);
  }
  changed(e: ChangedEvent): void {
    this.io?.to(rooms.tenant(e.tenantId)).emit('request.changed', e);
    if (this.pending.has(e.tenantId)) return;
    this.pending.set(e.tenantId, setTimeout(() => {
      this.pending.delete(e.tenantId);
      this.io?.to(rooms.supervisors(e.tenantId)).emit('requests.monitor', { tenantId: e.tenantId, counts: this.monitor(e.tenantId) });
    }, this.debounceMs));
  }
  stop(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}

export function attachRequests(o: { db: Db; clock: Clock; logger: Logger; timeZone: string; deps: Omit<TicketDeps, 'lifecycle'>; attachments?: RequestRouteDeps['attachments']; dictionaryValues?: RequestRouteDeps['dictionaryValues'] }) {
  const repo = new RequestRepository(o.db);
  let service: RequestService | null = null;
  const notifier = new SocketRequestNotifier((tenantId) => service!.monitor({ tenantIds: [tenantId] }));
  service = new RequestService(repo, o.clock, o.timeZone, notifier, o.logger);
  const s = service;
  const lifecycle: TicketLifecycle = {
    started: (id, by, channel) => {
      s.started(id, by, channel);
      const st = repo.state(id)!;
      notifier.changed({ requestId: id, tenantId: st.tenantId, stage: st.stage, status: st.status, at: o.clock.now().toISOString() });
    },
    close: (id, by) => s.forceClose(id, by),
  };
  const deps = { ...o.deps, lifecycle };
  let jobs: { stop(): Promise<void> } | null = null;
  return {
    service: s,
    repo,
    lifecycle,
    routes: requestRoutes({ ...deps, requests: s, repo, attachments: o.attachments, dictionaryValues: o.dictionaryValues }),
    connect(io: RealtimeServer) {
      notifier.connect(io);
      jobs = startRequestJobs(s, o.clock, o.logger, o.timeZone);
    },
    async stop() {
      notifier.stop();
      await jobs?.stop();
    },
  };
}
