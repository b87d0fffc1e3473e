// Reminder calls (issue 11, item 6), wired: the call action (an owner of the
// router's 'reminder' channels), the node-cron scheduler, the API. Calls go
// out only in ARI mode and while the PBX is connected.
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../log.js';
import type { Db } from '../../../store/db.js';
import type { PbxPort } from '../../../telephony/ports.js';
import type { LineRepository } from '../../lines/repository.js';
import type { CallRouter } from '../../routing/router.js';
import { ReminderCallRepository } from './repository.js';
import { ReminderCalls, type ReminderCallOptions } from './calls.js';
import { ReminderCallScheduler, type ReminderPolicyOptions } from './scheduler.js';
import { StreetSpeech } from './speech.js';
import { reminderCallRoutes } from './routes.js';
import { ACCEPTED_COMMENT } from './strings.js';

export { ReminderCallRepository, ReminderCalls, ReminderCallScheduler, StreetSpeech, ACCEPTED_COMMENT };

export interface ReminderCallConfig extends ReminderPolicyOptions, Omit<ReminderCallOptions, 'maxAttempts'> {
  /** Place calls at all (false: the API and log stay, nobody is rung). */
  enabled: boolean;
  schedule: string;
  timeZone: string;
  speechDir: string | null;
}

export function attachReminderCalls(d: {
  db: Db; pbx: PbxPort; router: CallRouter; lines: LineRepository; clock: Clock; logger: Logger; tenantExists(id: number): boolean;
  /** Moves the request to «Принята в работу» as the executor, with history ACCEPTED_COMMENT. */
  accept(requestId: number, executorId: number): void;
}, c: ReminderCallConfig) {
  const repo = new ReminderCallRepository(d.db);
  const calls = new ReminderCalls({ ...d, repo, opts: { trunkEndpoint: c.trunkEndpoint, route: c.route, ringSec: c.ringSec, digitWaitSec: c.digitWaitSec, maxAttempts: c.maxAttempts, lang: c.lang } });
  const policy: ReminderPolicyOptions = { defaultAfterMin: c.defaultAfterMin, retryMin: c.retryMin, maxAttempts: c.maxAttempts };
  const speech = c.speechDir ? new StreetSpeech(c.speechDir, d.logger) : null;
  const scheduler = new ReminderCallScheduler({ repo, calls, router: d.router, speech, clock: d.clock, logger: d.logger, ready: () => d.pbx.connected }, policy);
  // Calls the log shows in progress were cut by the last stop: each counts as an attempt.
  const cut = calls.interrupted();
  if (cut) d.logger.info('reminder calls cut by the restart logged as interrupted', { calls: cut });
  if (c.enabled) scheduler.start(c.schedule, c.timeZone);
  return {
    repo, calls, scheduler,
    routes: reminderCallRoutes(repo, policy, d),
    resync: () => calls.resync(),
    async stop() {
      await scheduler.stop();
      calls.stop();
    },
  };
}
