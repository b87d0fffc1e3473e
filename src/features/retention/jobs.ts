// The retention job: daily at 03:30 local time (PULT_TIMEZONE), when the
// rooms are quiet. A failure is logged; the next night tries again.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { RetentionService } from './service.js';

export const RETENTION_SCHEDULE = '30 3 * * *';

export function startRetentionJobs(service: RetentionService, clock: Clock, logger: Logger, timeZone: string): { stop(): Promise<void> } {
  const task: ScheduledTask = cron.schedule(RETENTION_SCHEDULE, () => {
    try {
      service.runOnce(clock.now());
    } catch (err) {
      logger.error('retention failed', { err, stack: (err as Error).stack });
    }
  }, { timezone: timeZone, name: 'retention', noOverlap: true });
  return {
    async stop() {
      await task.destroy();
    },
  };
}
