// The supervisor wallboard, wired in one call from the composition root:
//   const wallboard = attachWallboard({ ... });          // before createHttpApp: wallboard.routes
//   wallboard.connect(io);                               // once socket.io exists
//   createRealtime(..., (s) => { ...; wallboard.onConnect(s); })
//   wallboard.stop();                                    // on shutdown
import type { Router } from 'express';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { CallRouter } from '../routing/router.js';
import type { RealtimeServer, RealtimeSocket } from '../../realtime/server.js';
import { WallboardService } from './service.js';
import { WallboardPublisher } from './realtime.js';
import { Supervision } from './supervise.js';
import { wallboardRoutes } from './routes.js';

export interface Wallboard {
  service: WallboardService;
  supervision: Supervision;
  routes: Router;
  connect(io: RealtimeServer): void;
  onConnect(socket: RealtimeSocket): void;
  /** Push a fresh snapshot soon (coalesced). */
  poke(): void;
  stop(): void;
}

export function attachWallboard(d: {
  db: Db;
  lines: LineRepository;
  operators: OperatorService;
  calls: CallRepository;
  events: CallEvents;
  router: CallRouter;
  pbx: PbxPort;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  shortAbandonSec: number;
}): Wallboard {
  const service = new WallboardService(d.db, d.lines, d.operators, d.clock, { timeZone: d.timeZone, shortAbandonSec: d.shortAbandonSec });
  const supervision = new Supervision(d.pbx, d.calls, d.logger.child({ part: 'supervise' }));
  supervision.attach(d.router, d.events);
  let publisher: WallboardPublisher | null = null;
  const routes = wallboardRoutes({ service, supervision, calls: d.calls, lines: d.lines, operators: d.operators, changed: () => publisher?.poke() });
  return {
    service,
    supervision,
    routes,
    connect(io) {
      publisher = new WallboardPublisher(io, service, d.logger.child({ part: 'wallboard' }));
      publisher.attach(d.events, d.operators);
    },
    onConnect(socket) {
      publisher?.onConnect(socket);
    },
    poke() {
      publisher?.poke();
    },
    stop() {
      publisher?.stop();
    },
  };
}
