// The backup job: on PULT_BACKUP_CRON (default 03:30, PULT_TIMEZONE); 'off' = none.
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { BackupService } from './service.js';

export function startBackupJob(service: BackupService, schedule: string, timeZone: string, logger: Logger): CronJob | null {
  if (schedule === 'off') return null;
  return scheduleJob('backup', schedule, timeZone, logger, 'backup failed', () => {
    service.run().catch((err: unknown) => logger.error('backup failed', { err }));
  });
}
