// Online booking (issue 14 item 3), wired: repository, service, public and staff routes.
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import type { ScheduleRepository } from '../executors/repository.js';
import { BookingRepository } from './repository.js';
import { BookingService, type BookingPorts, type Visit } from './service.js';
import { publicBookingRoutes, staffBookingRoutes } from './routes.js';

export { BookingService, type Visit };

export function attachBooking(o: {
  db: Db; clock: Clock; timeZone: string; hours: string; leadMin: number; maxDays: number; ratePerMin: number; shifts: ScheduleRepository; maxBytes: number; maxPhotos: number;
  ports: BookingPorts;
  /** Whether a company takes requests by the residents' web form (its public booking answers 404 otherwise). */
  formOpen?: (tenantId: number) => boolean;
}) {
  const repo = new BookingRepository(o.db, o.shifts);
  repo.discardOrphans();
  const [from, to] = o.hours.split('-') as [string, string];
  const service = new BookingService(repo, o.clock, { timeZone: o.timeZone, hours: { from, to }, leadMin: o.leadMin, maxDays: o.maxDays }, o.ports);
  return {
    repo,
    service,
    publicRoutes: publicBookingRoutes(service, repo, { ratePerMin: o.ratePerMin, maxBytes: o.maxBytes, maxPhotos: o.maxPhotos, formOpen: o.formOpen }),
    routes: staffBookingRoutes(service, repo),
  };
}
