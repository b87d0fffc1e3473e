// The reminders job: every minute, RequestService.remindDue(now) sends what
// is due. A failure is logged; the next minute tries again (slots are stored,
// so nothing goes twice).
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { RequestService } from './service.js';

export const REMINDER_SCHEDULE = '* * * * *';

export function startRequestJobs(service: RequestService, clock: Clock, logger: Logger, timeZone: string): { stop(): Promise<void> } {
  const task: ScheduledTask = cron.schedule(REMINDER_SCHEDULE, () => {
    try {
      const sent = service.remindDue(clock.now());
      if (sent) logger.info('request reminders sent', { sent });
    } catch (err) {
      logger.error('request reminders failed', { err, stack: (err as Error).stack });
    }
  }, { timezone: timeZone, name: 'request-reminders', noOverlap: true });
  return {
    async stop() {
      await task.destroy();
    },
  };
}
