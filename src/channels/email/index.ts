// The e-mail channel, wired: the SMTP listener (when PULT_MAIL_SMTP_PORT is
// set), the inbound side, the SMTP sender registered in the channel registry
// (when PULT_MAIL_SMTP_OUT_URL is set), the rating asks and the settings API.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../store/db.js';
import type { AuditLog } from '../../features/audit/repository.js';
import type { CallerLookup } from '../../features/screen-pop/lookup.js';
import type { CronJob } from '../../jobs/cron.js';
import type { ChannelIntake, ChannelRegistry, FeedbackService } from '../index.js';
import { MailRepository } from './repository.js';
import { MailListener } from './listener.js';
import { EmailInbound } from './inbound.js';
import { EmailSender, smtpTransport, type MailTransport } from './sender.js';
import { FeedbackAsks } from './feedback-ask.js';
import { mailSettingsRoutes } from './routes.js';

export { MailRepository, EmailInbound, EmailSender };

type MailConfig = Pick<Config, 'PULT_MAIL_SMTP_PORT' | 'PULT_MAIL_SMTP_HOST' | 'PULT_MAIL_TLS_CERT' | 'PULT_MAIL_TLS_KEY' | 'PULT_MAIL_MAX_MB' | 'PULT_MAIL_DOMAINS' | 'PULT_MAIL_ATTACHMENTS_MAX' | 'PULT_MAIL_SMTP_OUT_URL' | 'PULT_MAIL_FROM' | 'PULT_MAIL_FEEDBACK_CRON' | 'PULT_ATTACHMENT_MAX_MB' | 'PULT_TIMEZONE'>;

export function attachEmail(o: {
  db: Db; config: MailConfig; clock: Clock; logger: Logger; audit: AuditLog;
  intake: ChannelIntake; feedback: FeedbackService; registry: ChannelRegistry; lookup: CallerLookup;
  ticketNumber(ticketId: number): string | null;
  tenantExists(id: number): boolean;
  /** Stores files on a request as `by` (the attachments feature: checked by content). */
  attach(ticketId: number, by: number, files: { filename: string; bytes: Buffer }[]): Promise<unknown>;
  /** Tests: where outgoing mail goes instead of PULT_MAIL_SMTP_OUT_URL. */
  transport?: MailTransport;
}) {
  const c = o.config;
  const repo = new MailRepository(o.db);
  const out = o.transport ?? (c.PULT_MAIL_SMTP_OUT_URL ? smtpTransport(c.PULT_MAIL_SMTP_OUT_URL) : null);
  const sender = out ? new EmailSender(out, c.PULT_MAIL_FROM, repo, o.ticketNumber, o.clock) : null;
  if (sender) o.registry.register(sender);
  const inbound = new EmailInbound({
    repo, intake: o.intake, feedback: o.feedback, sender, clock: o.clock, logger: o.logger,
    accountsByPhone: (phone, tenantId) => o.lookup.accountsByPhone(phone, [tenantId], tenantId),
    accountById: (id, tenantId) => {
      const number = repo.accountNumber(id, tenantId);
      return number ? o.lookup.accountByNumber(number, [tenantId]) : null;
    },
    attach: async (ticketId, files) => {
      await o.attach(ticketId, o.intake.systemUser('email'), files).catch((err: unknown) => o.logger.warn('mail attachments refused', { ticketId, err: (err as Error).message }));
    },
    maxAttachments: c.PULT_MAIL_ATTACHMENTS_MAX,
    maxAttachmentBytes: Math.round(c.PULT_ATTACHMENT_MAX_MB * 1024 * 1024),
  });
  const listener = c.PULT_MAIL_SMTP_PORT !== undefined
    ? new MailListener(
      { port: c.PULT_MAIL_SMTP_PORT, host: c.PULT_MAIL_SMTP_HOST, maxBytes: Math.round(c.PULT_MAIL_MAX_MB * 1024 * 1024), domains: c.PULT_MAIL_DOMAINS, tls: c.PULT_MAIL_TLS_CERT && c.PULT_MAIL_TLS_KEY ? { certFile: c.PULT_MAIL_TLS_CERT, keyFile: c.PULT_MAIL_TLS_KEY } : null },
      { tenantFor: (address) => repo.tenantByAddress(address), deliver: async (tenantId, mail) => void (await inbound.deliver(tenantId, mail)), logger: o.logger },
    )
    : null;
  const asks = sender ? new FeedbackAsks({ repo, sender, number: o.ticketNumber, clock: o.clock, logger: o.logger }) : null;
  let job: CronJob | null = null;
  return {
    repo, inbound, sender, asks,
    routes: mailSettingsRoutes({ repo, audit: o.audit, clock: o.clock, tenantExists: o.tenantExists, domains: c.PULT_MAIL_DOMAINS, listening: listener !== null }),
    /** The SMTP listener's port once started (null: off). */
    port: () => (listener ? listener.port : null),
    async start() {
      await listener?.start();
      job = asks?.start(c.PULT_MAIL_FEEDBACK_CRON, c.PULT_TIMEZONE) ?? null;
    },
    async stop() {
      await job?.stop();
      await listener?.stop();
      if (out && 'close' in out && typeof out.close === 'function') (out as { close(): void }).close();
    },
  };
}
