// The journal feature, wired: repository, service, archive, routes, monthly job.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { JournalArchive } from './archive.js';
import { startJournalJobs } from './jobs.js';
import { JournalRepository } from './repository.js';
import { journalRoutes } from './routes.js';
import { JournalService } from './service.js';

export { JournalArchive, JournalRepository, JournalService };
export type { JournalColumn } from './columns.js';

export function attachJournal(o: { db: Db; clock: Clock; logger: Logger; timeZone: string; dir: string; publicUrl: string | null }) {
  const repo = new JournalRepository(o.db);
  const service = new JournalService(repo, o.clock, o.timeZone, o.publicUrl ?? '');
  const archive = new JournalArchive(service, repo, o.dir, o.logger);
  let job: { stop(): Promise<void> } | null = null;
  return {
    repo, service, archive,
    routes: journalRoutes(service, archive),
    start() {
      job = startJournalJobs(archive, o.logger, o.timeZone);
    },
    async stop() {
      await job?.stop();
    },
  };
}
