// The retention job: daily at 03:30 local time (PULT_TIMEZONE), when the
// rooms are quiet. A failure is logged; the next night tries again.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { RetentionService } from './service.js';

export const RETENTION_SCHEDULE = '30 3 * * *';

export function startRetentionJobs(service: RetentionService, clock: Clock, logger: Logger, timeZone: string): CronJob {
  return scheduleJob('retention', RETENTION_SCHEDULE, timeZone, logger, 'retention failed', () => service.runOnce(clock.now()));
}
