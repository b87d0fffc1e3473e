// The channels wired (issue 14): every way a resident writes in — the core
// (intake, senders, feedback), e-mail, replies and documents with approval,
// the web form and its status page, online booking, Telegram — built from the
// features they feed. Part of the composition root (src/app.ts), split out
// for size; no logic of its own.
import type { Config } from './config/index.js';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { Db } from './store/db.js';
import type { AuditLog } from './features/audit/repository.js';
import type { TicketService } from './features/tickets/service.js';
import type { CallerLookup } from './features/screen-pop/lookup.js';
import type { PdfFonts } from './documents/pdf.js';
import type { attachRequests } from './features/requests/index.js';
import type { attachAttachments } from './features/attachments/index.js';
import type { attachExecutors } from './features/executors/index.js';
import { inspect, isRefusal } from './features/attachments/index.js';
import { attachChannels } from './channels/index.js';
import { attachTelegram } from './channels/telegram/index.js';
import { attachEmail } from './channels/email/index.js';
import { attachReplies } from './channels/replies/index.js';
import { documentText, renderDocument } from './channels/replies/document.js';
import { localDateTime } from './features/request-documents/values.js';
import { attachBooking } from './features/booking/index.js';
import { attachWebChannel, attachWebFormSettings } from './channels/web/index.js';

export interface ChannelDeps {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  tickets: TicketService;
  lookup: CallerLookup;
  pdfFonts: PdfFonts;
  requests: ReturnType<typeof attachRequests>;
  attachments: ReturnType<typeof attachAttachments>;
  executors: ReturnType<typeof attachExecutors>;
}

export function attachAllChannels(d: ChannelDeps) {
  const { db, config, clock, logger, audit, tickets, lookup, pdfFonts, requests, attachments, executors } = d;
  // Every channel into one queue (issue 14): the core (intake, senders, feedback) and the adapters.
  const channels = attachChannels({
    db, clock, logger: logger.child({ part: 'channels' }), tickets, lifecycle: requests.lifecycle, requests: requests.service, state: (id) => requests.repo.state(id), publicUrl: config.PULT_PUBLIC_URL ?? null,
    files: {
      check: async (files) => (await Promise.all(files.map((f) => inspect(f.filename, f.bytes)))).filter(isRefusal),
      add: (ticketId, by, files) => attachments.service.add(ticketId, by, files.map((f) => ({ originalname: f.filename, buffer: f.bytes }))),
    },
  });
  // E-mail in and out (issue 14, item 4) and replies to residents from templates, with approval (items 6, 7).
  const email = attachEmail({
    db, config, clock, logger: logger.child({ part: 'email' }), audit, intake: channels.intake, feedback: channels.feedback, registry: channels.registry, lookup,
    ticketNumber: (id) => tickets.get(id)?.number ?? null, tenantExists: (t) => tickets.tenantExists(t),
    attach: (ticketId, by, files) => attachments.service.add(ticketId, by, files.map((f) => ({ originalname: f.filename, buffer: f.bytes }))),
  });
  const replies = attachReplies({
    db, clock, logger: logger.child({ part: 'replies' }), timeZone: config.PULT_TIMEZONE, registry: channels.registry, intake: channels.intake, tickets,
    request: (id) => {
      const st = requests.repo.state(id);
      if (!st) return null;
      const x = requests.repo.extras(id);
      return { channel: x.channel, stageName: requests.service.stageName(st.tenantId, st.kind, x.stage), assigneeId: x.assigneeId, assigneeName: x.assigneeName };
    },
    holderName: (accountNumber, tenantId) => lookup.accountByNumber(accountNumber, [tenantId])?.holderName ?? null,
    needsApproval: (t) => email.repo.settings(t).repliesNeedApproval, tenantExists: (t) => tickets.tenantExists(t),
    // Documents to residents: the PDF (the one pdfkit setup) stored as the request's attachment, sent with the approved reply.
    documents: {
      make: async (ticketId, by, d) => {
        const pdf = await renderDocument({ ...d, at: localDateTime(clock.now().toISOString(), config.PULT_TIMEZONE) }, pdfFonts, clock.now());
        return (await attachments.service.add(ticketId, by, [{ originalname: documentText.fileName(d.title, d.number), buffer: pdf }]))[0]!.id;
      },
      file: async (id) => {
        const f = await attachments.service.read(id);
        return f ? { filename: f.name, mime: f.mime, bytes: f.bytes } : null;
      },
      url: (id) => attachments.service.url(id),
    },
  });
  requests.service.replyDocumentMaker = async (id, templateId, by) => {
    await replies.service.fromRule(id, templateId, by);
  };
  // The residents' web form and status page (public): PULT_WEB_FORM, and per company whether it takes requests by the form.
  const webForms = attachWebFormSettings({ db, clock, audit, tenantExists: (t) => tickets.tenantExists(t), formOn: config.PULT_WEB_FORM === 'on' });
  const webChannel = config.PULT_WEB_FORM === 'on' ? attachWebChannel({
    db, clock, logger: logger.child({ part: 'web-form' }), intake: channels.intake, feedback: channels.feedback, registry: channels.registry,
    status: {
      tickets, repo: requests.repo, requests: requests.service, attachments: (id) => attachments.service.list(id),
      documents: (id) => replies.service.sentDocuments(id).map((d) => ({ title: d.title, name: d.name, url: attachments.service.url(d.attachmentId), sentAt: d.sentAt })),
    },
    limits: { perIpHour: config.PULT_WEB_FORM_PER_IP_HOUR, perAddressHour: config.PULT_WEB_FORM_PER_ADDRESS_HOUR, searchPerIpMin: config.PULT_WEB_SEARCH_PER_IP_MIN },
    maxPhotos: config.PULT_WEB_FORM_MAX_PHOTOS, maxBytes: Math.round(config.PULT_ATTACHMENT_MAX_MB * 1024 * 1024),
  }) : null;

  // Online booking of a visit (issue 14 item 3): free slots, the request through the channel intake, the hand-over to the executor.
  const booking = attachBooking({
    db, clock, timeZone: config.PULT_TIMEZONE, hours: config.PULT_BOOKING_HOURS, leadMin: config.PULT_BOOKING_LEAD_MIN, maxDays: config.PULT_BOOKING_MAX_DAYS, ratePerMin: config.PULT_BOOKING_RATE_PER_MIN, shifts: executors.repo.shifts,
    maxBytes: Math.round(config.PULT_ATTACHMENT_MAX_MB * 1024 * 1024), maxPhotos: config.PULT_WEB_FORM_MAX_PHOTOS, formOpen: (t) => webForms.repo.formEnabled(t),
    ports: {
      receive: (msg) => channels.intake.accept(msg),
      assign: (id, userId, by, comment) => {
        if (requests.service.allowedNext(id).some((s) => s.code === 'assigned')) return requests.service.transition(id, 'assigned', { assigneeId: userId, comment }, by);
        executors.service.reassign(id, userId, by);
        requests.service.comment(id, 'comment', comment, by);
      },
      announce: (id) => requests.service.announce(id),
    },
  });

  // The Telegram channel: a bot per company (PULT_TELEGRAM_BOTS), long polling started with the sockets.
  const telegram = attachTelegram({
    db, clock, logger: logger.child({ part: 'telegram' }), intake: channels.intake, feedback: channels.feedback, registry: channels.registry,
    bots: config.PULT_TELEGRAM_BOTS, apiUrl: config.PULT_TELEGRAM_API_URL, pollSec: config.PULT_TELEGRAM_POLL_SEC,
    allowPrivate: config.PULT_FETCH_ALLOW_PRIVATE, timeoutSec: config.PULT_FETCH_TIMEOUT_SEC, maxPhotoBytes: Math.round(config.PULT_ATTACHMENT_MAX_MB * 1024 * 1024),
  });
  return { channels, email, replies, webForms, webChannel, booking, telegram };
}
