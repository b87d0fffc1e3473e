// The reports feature, wired: repository, snapshots, service, routes and the
// scheduled daily / weekly jobs (started with the server, stopped with it).
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { PdfFonts } from '../../documents/pdf.js';
import { ReportRepository } from './repository.js';
import { SnapshotRepository } from './snapshots.js';
import { ReportService } from './service.js';
import { reportRoutes } from './routes.js';
import { startReportJobs } from './jobs.js';

export { ReportService };

export function attachReports(o: { db: Db; clock: Clock; logger: Logger; timeZone: string; shortAbandonSec: number; fonts: PdfFonts }) {
  const service = new ReportService(new ReportRepository(o.db, o.timeZone), new SnapshotRepository(o.db), o.clock, { timeZone: o.timeZone, shortAbandonSec: o.shortAbandonSec });
  const jobs = startReportJobs(service, o.clock, o.logger, o.timeZone);
  return {
    service,
    routes: reportRoutes(service, o.fonts),
    stop: () => jobs.stop(),
  };
}
