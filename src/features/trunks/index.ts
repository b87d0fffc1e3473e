// SIP trunks configured in Pult (issue 13, item 2): repository, service
// (pushes to the PBX through TrunkProvisioning), routes, the outbound router.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { TrunkProvisioning, TrunkRegistrations } from '../../telephony/ports.js';
import type { AuditLog } from '../audit/repository.js';
import type { LineRepository } from '../lines/repository.js';
import { outboundRouter } from './outbound-route.js';
import { TrunkRepository } from './repository.js';
import { trunkRoutes } from './routes.js';
import { TrunkService } from './service.js';

export type { OutboundRoute, OutboundRouter } from './outbound-route.js';
export type { TrunkHealth } from './service.js';
export { lineOutboundFields } from './schema.js';

export function attachTrunks(d: {
  db: Db; audit: AuditLog; clock: Clock; logger: Logger; lines: LineRepository; defaultTrunk: string;
  pbx: TrunkProvisioning & { readonly connected: boolean }; registrations: TrunkRegistrations | null;
}) {
  const repo = new TrunkRepository(d.db);
  const service = new TrunkService({ repo, audit: d.audit, clock: d.clock, logger: d.logger, pbx: d.pbx, registrations: d.registrations });
  return {
    service,
    routes: trunkRoutes(service),
    route: outboundRouter({ line: (id) => d.lines.get(id), trunk: (id) => repo.get(id), defaultTrunk: d.defaultTrunk }),
  };
}
