// The scheduled reports: daily at 00:10 (yesterday) and weekly on Monday at
// 00:20 (last Monday..Sunday), local time of the room, for every company.
// A period already kept is skipped, so a restart or a second run stores
// nothing twice.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { ReportService } from './service.js';

export const DAILY_REPORT_SCHEDULE = '10 0 * * *';
export const WEEKLY_REPORT_SCHEDULE = '20 0 * * 1';

export function startReportJobs(service: ReportService, clock: Clock, logger: Logger, timeZone: string): CronJob {
  const jobs = [
    scheduleJob('report-daily', DAILY_REPORT_SCHEDULE, timeZone, logger, 'daily report failed', () => {
      logger.info('daily reports stored', { stored: service.makeScheduled('daily', clock.now()) });
    }),
    scheduleJob('report-weekly', WEEKLY_REPORT_SCHEDULE, timeZone, logger, 'weekly report failed', () => {
      logger.info('weekly reports stored', { stored: service.makeScheduled('weekly', clock.now()) });
    }),
  ];
  return {
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
  };
}
