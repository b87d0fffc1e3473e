// The billing push job: delivers due pushes on PULT_BILLING_PUSH_CRON (node-cron, seconds allowed).
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { BillingService } from './service.js';

export function startBillingPushJob(service: BillingService, schedule: string, timeZone: string, logger: Logger): CronJob {
  return scheduleJob('billing-push', schedule, timeZone, logger, 'billing push run failed', () => {
    service.deliverDue().catch((err: unknown) => logger.error('billing push run failed', { err }));
  });
}
