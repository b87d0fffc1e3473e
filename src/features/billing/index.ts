// The billing link and push (issue 14 item 9), wired: repository, service, routes, the delivery job.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { FetchPolicy } from '../../net/safe-fetch.js';
import { BillingRepository } from './repository.js';
import { BillingService } from './service.js';
import { billingRoutes } from './routes.js';
import { startBillingPushJob } from './jobs.js';

export { BillingService };

export function attachBilling(o: {
  db: Db; clock: Clock; logger: Logger; timeZone: string; schedule: string; masterSecret: string | null; policy: FetchPolicy;
  backoffSec: number; backoffMaxSec: number; attempts: number;
}) {
  const repo = new BillingRepository(o.db);
  const service = new BillingService(repo, o.clock, o.logger, { masterSecret: o.masterSecret, policy: o.policy, backoffSec: o.backoffSec, backoffMaxSec: o.backoffMaxSec, attempts: o.attempts });
  let job: { stop(): Promise<void> } | null = null;
  return {
    repo,
    service,
    routes: billingRoutes(service, repo, { pushHosts: o.policy.hosts, allowHttp: o.policy.allowPrivate }),
    start() {
      if (!o.masterSecret) o.logger.info('PULT_BILLING_PUSH_SECRET not set: closed requests wait in the billing outbox undelivered');
      job = startBillingPushJob(service, o.schedule, o.timeZone, o.logger);
    },
    async stop() {
      await job?.stop();
      await service.idle();
    },
  };
}
