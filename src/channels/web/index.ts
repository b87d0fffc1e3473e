// The residents' web channel, wired: the form (/r/<company id>/) and the
// status page (/s/<token>) APIs, public and rate-limited.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { WebFormLimits, type WebFormLimitOptions } from './limits.js';
import { WebFormRepository } from './repository.js';
import { webFormRoutes } from './routes.js';
import { webFormSettingsRoutes } from './settings-routes.js';
import type { AuditLog } from '../../features/audit/repository.js';
import type { StatusDeps } from './status.js';
import type { ChannelIntake } from '../intake.js';
import type { FeedbackService } from '../feedback.js';
import type { ChannelRegistry } from '../registry.js';

export function attachWebChannel(o: { db: Db; clock: Clock; logger: Logger; intake: ChannelIntake; feedback: FeedbackService; registry: ChannelRegistry; status: Omit<StatusDeps, 'intake' | 'feedback'>; limits: WebFormLimitOptions; maxPhotos: number; maxBytes: number }) {
  // Replies to a web request are delivered by the status page itself: the reply service stores the text as
  // the conversation's 'out' message and a sent document appears among the page's documents.
  o.registry.register({ channel: 'web', send: () => Promise.resolve() });
  return {
    publicRoutes: webFormRoutes({
      repo: new WebFormRepository(o.db), intake: o.intake, feedback: o.feedback, limits: new WebFormLimits(o.limits), clock: o.clock, logger: o.logger,
      status: { ...o.status, intake: o.intake, feedback: o.feedback }, maxPhotos: o.maxPhotos, maxBytes: o.maxBytes,
    }),
  };
}

/** Which companies take requests by the form (admins' settings): mounted whether or not PULT_WEB_FORM is on. */
export function attachWebFormSettings(o: { db: Db; clock: Clock; audit: AuditLog; tenantExists(id: number): boolean; formOn: boolean }) {
  const repo = new WebFormRepository(o.db);
  return { repo, routes: webFormSettingsRoutes({ repo, audit: o.audit, clock: o.clock, tenantExists: o.tenantExists, formOn: o.formOn }) };
}
