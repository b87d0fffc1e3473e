// One node-cron job: runs `tick` on `schedule` in the given time zone, never
// overlapping itself. A failure is logged under `failure`; the next tick tries
// again.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';

export interface CronJob {
  stop(): Promise<void>;
}

export function scheduleJob(name: string, schedule: string, timeZone: string, logger: Logger, failure: string, tick: () => void): CronJob {
  const task: ScheduledTask = cron.schedule(schedule, () => {
    try {
      tick();
    } catch (err) {
      logger.error(failure, { err, stack: (err as Error).stack });
    }
  }, { timezone: timeZone, name, noOverlap: true });
  return {
    async stop() {
      await task.destroy();
    },
  };
}
