// The reminders job: every minute, RequestService.remindDue(now) sends what
// is due. A failure is logged; the next minute tries again (slots are stored,
// so nothing goes twice).
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { RequestService } from './service.js';

export const REMINDER_SCHEDULE = '* * * * *';

export function startRequestJobs(service: RequestService, clock: Clock, logger: Logger, timeZone: string): CronJob {
  return scheduleJob('request-reminders', REMINDER_SCHEDULE, timeZone, logger, 'request reminders failed', () => {
    const sent = service.remindDue(clock.now());
    if (sent) logger.info('request reminders sent', { sent });
  });
}
