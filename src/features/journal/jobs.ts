// The monthly archive job: on the 1st at 01:00 room time (PULT_TIMEZONE)
// the previous month's journal of every company is exported once. A failure
// is logged; a second run of the same month is a no-op, so it can simply be
// run again (POST /api/journal/exports or the next start of the job).
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { JournalArchive } from './archive.js';

export const JOURNAL_ARCHIVE_SCHEDULE = '0 1 1 * *';

export function startJournalJobs(archive: JournalArchive, logger: Logger, timeZone: string): CronJob {
  return scheduleJob('journal-archive', JOURNAL_ARCHIVE_SCHEDULE, timeZone, logger, 'journal archive failed', () => {
    archive.runMonthly().then(
      (created) => logger.info('journal archive done', { created: created.length }),
      (err: unknown) => logger.error('journal archive failed', { err, stack: (err as Error).stack }),
    );
  });
}
