// Composition root: builds every part from the configuration and wires them.
import http from 'node:http';
import type https from 'node:https';
import type { Express } from 'express';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { openDb, type Db } from './store/db.js';
import { AriPbx } from './telephony/ari/adapter.js';
import { CallEvents } from './telephony/events.js';
import { AuthService } from './features/auth/service.js';
import { requireAuth } from './features/auth/middleware.js';
import { authRoutes, publicAuthRoutes } from './features/auth/routes.js';
import { userAdminRoutes } from './features/auth/users-routes.js';
import { LoginThrottle } from './features/auth/login-throttle.js';
import { RecordingLinks } from './features/calls/recording-links.js';
import { recordingRoutes, signedRecordingRoutes } from './features/calls/recording-routes.js';
import { OperatorService } from './features/operators/service.js';
import { operatorRoutes } from './features/operators/routes.js';
import { operatorDeviceRoutes } from './features/operators/device-routes.js';
import { LineRepository } from './features/lines/repository.js';
import { CallRepository } from './features/calls/repository.js';
import { callRoutes } from './features/calls/routes.js';
import { RecordingService } from './features/recordings/service.js';
import { CallRouter } from './features/routing/router.js';
import { lineRoutes } from './features/lines/routes.js';
import { overflowGroupRoutes } from './features/lines/overflow-routes.js';
import { AuditLog } from './features/audit/repository.js';
import { auditRoutes } from './features/audit/routes.js';
import { TenantRepository } from './features/tenants/repository.js';
import { tenantRoutes } from './features/tenants/routes.js';
import { Resync } from './features/routing/resync.js';
import { healthRoutes } from './features/health/routes.js';
import { isEmpty, seedDemo } from './features/demo/seed.js';
import { seedExecutorsDemo } from './features/demo/executors.js';
import { createHttpApp } from './http/app.js';
import { createAppServer, loadTlsCredentials, reloadTlsCredentials, type TlsCredentials } from './http/tls.js';
import { createRedirectServer } from './http/https-redirect.js';
import { sipWsUrlFor } from './http/softphone-url.js';
import { TicketService } from './features/tickets/service.js';
import { DirectoryService } from './features/directory/service.js';
import { directoryRoutes } from './features/directory/routes.js';
import { seedDirectoryDemo } from './features/directory/demo-data.js';
import { ticketRoutes } from './features/tickets/routes.js';
import { CallerLookup } from './features/screen-pop/lookup.js';
import { ScreenPop } from './features/screen-pop/service.js';
import { createRealtime, type RealtimeServer } from './realtime/server.js';
import { VpbxAccounts } from './features/external-calls/accounts.js';
import { ExternalCallService } from './features/external-calls/service.js';
import { vpbxAdminRoutes, webhookRoutes } from './features/external-calls/routes.js';
import { vpbxRecordingSource } from './features/external-calls/recording-source.js';
import { WebhookLog } from './features/external-calls/webhook-log.js';
import { WebhookGuard } from './features/external-calls/webhook-guard.js';
import { CallRatings } from './features/external-calls/ratings.js';
import { attachWallboard } from './features/wallboard/index.js';
import { createAmiObserverMode } from './features/ami-observer/index.js';
import { RetentionService, startRetentionJobs } from './features/retention/index.js';
import { attachRequests } from './features/requests/index.js';
import { attachAttachments } from './features/attachments/index.js';
import { FallbackImport } from './features/fallback-import/service.js';
import { FallbackImportRepository } from './features/fallback-import/repository.js';
import { attachCallbacks } from './features/callbacks/index.js';
import { cloudClickToCall, NoCloudAccountError, servedByCloudPbx } from './features/external-calls/click-to-call.js';
import { WaitAnnouncements } from './features/routing/wait-announcements.js';
import { attachExecutors } from './features/executors/index.js';
import { attachReminderCalls, ACCEPTED_COMMENT } from './features/executors/reminder-calls/index.js';
import { attachRequestDocuments } from './features/request-documents/index.js';
import { loadPdfFonts } from './documents/pdf.js';
import { attachCategories } from './features/categories/index.js';
import { attachDictionaries } from './features/dictionaries/index.js';
import { attachJournal } from './features/journal/index.js';
import { MetricsRepository, PultMetrics, metricsRoutes } from './features/metrics/index.js';
import { BackupService, startBackupJob } from './features/backup/index.js';
import { StorageRepository, storageRoutes } from './features/storage/index.js';
import { attachExecutorApp } from './features/executor-app/index.js';
import { attachReports } from './features/reports/index.js';
import { attachTrunks } from './features/trunks/index.js';
import { AriTrunks } from './telephony/ari/trunks.js';
import { AmiClient } from './telephony/ami/client.js';
import { AmiTrunkRegistrations } from './telephony/ami/registrations.js';
import { apiDocsPageRoutes, apiDocumentRoutes } from './features/api-docs/routes.js';
import { attachBilling } from './features/billing/index.js';
import { attachAllChannels } from './app-channels.js';

export interface Pult {
  config: Config;
  db: Db;
  /** HTTPS when PULT_TLS_CERT / PULT_TLS_KEY are set, else plain HTTP. */
  server: http.Server | https.Server;
  /** The express application (its router stack: the routes the OpenAPI test checks). */
  app: Express;
  port: number;
  /** 'https' with TLS; the base URL is `${scheme}://host:port`. */
  scheme: 'http' | 'https';
  /** The plain-HTTP redirect listener's port (PULT_HTTP_REDIRECT_PORT), or null. */
  redirectPort: number | null;
  /** Re-reads PULT_TLS_CERT / PULT_TLS_KEY for new connections (SIGHUP); null without TLS; throws TlsSetupError on a bad pair. */
  reloadTls(): TlsCredentials | null;
  router: CallRouter;
  events: CallEvents;
  pbx: AriPbx;
  io: RealtimeServer;
  logger: Logger;
  operators: OperatorService;
  lines: LineRepository;
  /** The e-mail channel's SMTP listener port (null: PULT_MAIL_SMTP_PORT not set). */
  mailPort: number | null;
  stop(): Promise<void>;
}

export async function startPult(config: Config, o: { clock?: Clock; logger?: Logger } = {}): Promise<Pult> {
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? createLogger(config.PULT_LOG_LEVEL, { svc: 'pult' });
  // Checked first: without the PDF fonts the server does not start (before the database is opened).
  const pdfFonts = loadPdfFonts(config.PULT_PDF_FONT_DIR);
  // So are the TLS certificate and key when set: a wrong path or a key of another certificate stops the start here.
  const tls = config.PULT_TLS_CERT && config.PULT_TLS_KEY ? loadTlsCredentials(config.PULT_TLS_CERT, config.PULT_TLS_KEY) : null;
  const sipWsUrl = sipWsUrlFor({ fixed: config.PULT_SIP_WS_URL, tls: tls !== null, wssPort: config.PULT_ASTERISK_TLS_PORT });
  const db = openDb(config.dbPath);

  // Executors stay logged in on their phones: a long session renewed on use.
  const auth = new AuthService(db, clock, config.PULT_SESSION_TTL_HOURS, { executor: config.PULT_EXECUTOR_SESSION_DAYS * 24 });
  const operators = new OperatorService(db, clock);
  const lines = new LineRepository(db);
  const audit = new AuditLog(db, clock);
  const calls = new CallRepository(db);
  const events = new CallEvents();
  const tickets = new TicketService(db, clock);
  const directory = new DirectoryService(db);
  const lookup = new CallerLookup(db, directory);
  // One key signs recording and attachment links (each HMAC carries its own purpose tag).
  const urlKey = config.PULT_URL_SIGNING_SECRET ? Buffer.from(config.PULT_URL_SIGNING_SECRET) : randomBytes(32);
  // Requests' attachments: photos and PDFs, checked by content, thumbnails, signed links.
  const attachments = attachAttachments({
    db, clock, dir: config.attachmentsDir, maxBytes: Math.round(config.PULT_ATTACHMENT_MAX_MB * 1024 * 1024), secret: urlKey, ttlSec: config.PULT_RECORDING_URL_TTL_SEC,
    note: (ticketId, by, at, text) => requests.repo.addComment(ticketId, { at, by, kind: 'comment', text, callId: null }),
  });
  // A company's own dictionaries for its requests and accounts (issue 12); requests carry their chosen values.
  const dictionaries = attachDictionaries({ db, requestState: (id) => requests.repo.state(id), tenantExists: (t) => tickets.tenantExists(t) });
  // Requests' life: pipelines, rules, deadlines, reminders, monitor (issue 10).
  const requests = attachRequests({ db, clock, logger: logger.child({ part: 'requests' }), timeZone: config.PULT_TIMEZONE, deps: { tickets, lookup, calls, lines }, attachments: (id) => attachments.service.list(id), dictionaryValues: (ids) => dictionaries.repo.dictionaryValuesFor(ids) });

  // Executors: zones, shifts, automatic assignment, day routes (issue 11).
  const executors = attachExecutors({ db, auth, clock, logger: logger.child({ part: 'executors' }), timeZone: config.PULT_TIMEZONE, tileUrl: config.PULT_MAP_TILE_URL ?? null, tenantExists: (t) => tickets.tenantExists(t), userInTenant: (u, t) => requests.repo.userInTenant(u, t), requestTenant: (r) => requests.repo.state(r)?.tenantId ?? null });
  requests.service.autoAssigner = (id, stage) => void executors.service.autoAssign(id, stage);
  // The journal per company: screen, XLSX/CSV, the monthly archive (issue 12 item 1).
  const journal = attachJournal({ db, clock, logger: logger.child({ part: 'journal' }), timeZone: config.PULT_TIMEZONE, dir: config.journalDir, publicUrl: config.PULT_PUBLIC_URL ?? null });
  // The company's own dictionaries for requests are the journal's extra columns.
  journal.service.fields = {
    of: (tenantId) => dictionaries.repo.list([tenantId]).filter((d) => d.appliesTo !== 'accounts').map((d) => ({ id: d.id, name: d.name })),
    values: (ids) => new Map([...dictionaries.repo.dictionaryValuesFor(ids)].map(([id, vs]) => [id, new Map(vs.map((v) => [v.dictionaryId, v.value]))])),
  };

  // The printable request («Заявка»): per-company templates, PDF on demand, stored by the `document` stage rule (issue 12).
  const documents = attachRequestDocuments({
    db, clock, timeZone: config.PULT_TIMEZONE, fonts: pdfFonts,
    store: async (ticketId, by, name, data) => (await attachments.service.add(ticketId, by, [{ originalname: name, buffer: data }]))[0]!.id,
    stageName: (t, k, c) => requests.service.stageName(t, k, c), requestState: (id) => requests.repo.state(id), tenantExists: (t) => tickets.tenantExists(t),
  });
  // Categories as a master directory: subcategories, kind, deadline rule, speciality (issue 12).
  const categories = attachCategories(db);
  requests.service.documentMaker = async (id, stage, by) => {
    await documents.service.generate(id, requests.repo.state(id)!.tenantId, stage, by);
  };

  // Every channel into one queue (issue 14): src/app-channels.ts.
  const { channels, email, replies, webForms, webChannel, booking, telegram } = attachAllChannels({ db, config, clock, logger, audit, tickets, lookup, pdfFonts, requests, attachments, executors });

  if (config.PULT_DEMO_DATA === 'on' && isEmpty(db)) {
    seedDemo(db, auth, lines, operators, {
      password: config.PULT_DEMO_PASSWORD,
      did: config.PULT_DEMO_DID,
      mobile: config.PULT_DEMO_MOBILE,
      overflowAfterSec: config.PULT_OVERFLOW_AFTER_SEC,
      ringTimeoutSec: config.PULT_RING_TIMEOUT_SEC,
      overflowTimeoutSec: config.PULT_OVERFLOW_TIMEOUT_SEC,
      maxWaitSec: config.PULT_MAX_WAIT_SEC,
      mobileRetrySec: config.PULT_MOBILE_RETRY_SEC,
      announceEverySec: config.PULT_ANNOUNCE_EVERY_SEC,
      callback: { dueMin: config.PULT_CALLBACK_DUE_MIN, attempts: config.PULT_CALLBACK_ATTEMPTS, retrySec: config.PULT_CALLBACK_RETRY_SEC },
    });
    // After seedDemo: the directory reuses its two companies by name.
    seedDirectoryDemo(db, { accounts: config.PULT_DEMO_ACCOUNTS, seed: 1 });
    // After the directory: two plumbers serving its buildings, with requests handed to them (/x/).
    seedExecutorsDemo(db, { auth, executors, requests: requests.service, tickets: { tickets, lookup, calls, lines, lifecycle: requests.lifecycle }, password: config.PULT_DEMO_PASSWORD });
    logger.info('demo data loaded', { did: config.PULT_DEMO_DID, mobile: config.PULT_DEMO_MOBILE });
  }
  if (!auth.hasAdmin()) {
    logger.warn('no admin account yet: create one with `npm run admin -- create <login>` (same PULT_STATE_DIR / PULT_DB), or start with PULT_DEMO_DATA=on on an empty database for the demo logins');
  }

  const throttle = new LoginThrottle({
    failuresPerLogin: config.PULT_LOGIN_FAILURES_PER_LOGIN,
    failuresPerAddress: config.PULT_LOGIN_FAILURES_PER_ADDRESS,
    windowSec: config.PULT_LOGIN_FAILURE_WINDOW_SEC,
    maxDelaySec: config.PULT_LOGIN_MAX_DELAY_SEC,
  });
  if (!config.PULT_URL_SIGNING_SECRET) logger.info('PULT_URL_SIGNING_SECRET not set: recording links are signed with a random key and stop working after a restart');
  const recordingLinks = new RecordingLinks(urlKey, config.PULT_RECORDING_URL_TTL_SEC, clock);
  // The executor's phone page (/x/): own requests, idempotent actions, photos, change proposals.
  const executorApp = attachExecutorApp({
    db, clock, requests: requests.service, attachments: attachments.service, maxBytes: Math.round(config.PULT_ATTACHMENT_MAX_MB * 1024 * 1024), remindEveryMin: config.PULT_EXECUTOR_REMIND_MIN,
    recordingUrl: (callId) => {
      const rec = calls.recordingForCall(callId);
      return rec?.state === 'stored' ? { url: recordingLinks.sign(callId).url, durationSec: rec.durationSec } : null;
    },
  });

  const pbx = new AriPbx({ url: config.PULT_ARI_URL, user: config.PULT_ARI_USER, password: config.PULT_ARI_PASSWORD, app: config.PULT_ARI_APP, logger: logger.child({ part: 'ari' }) }, logger.child({ part: 'ari' }));
  // SIP trunks configured in Pult (issue 13, item 2): pushed over ARI; registration states read over AMI when its password is set.
  const trunkAmi = config.PULT_MODE === 'ari' && config.PULT_AMI_PASSWORD
    ? new AmiClient({ host: config.PULT_AMI_HOST, port: config.PULT_AMI_PORT, username: config.PULT_AMI_USER, secret: config.PULT_AMI_PASSWORD, logger: logger.child({ part: 'trunk-ami' }) })
    : null;
  const ariTrunks = new AriTrunks(pbx.client);
  const trunks = attachTrunks({
    db, audit, clock, lines, logger: logger.child({ part: 'trunks' }), defaultTrunk: config.PULT_TRUNK_ENDPOINT,
    pbx: { get connected() { return pbx.connected; }, upsertTrunk: (s, o) => ariTrunks.upsertTrunk(s, o), deleteTrunk: (id) => ariTrunks.deleteTrunk(id), provisionedIds: () => ariTrunks.provisionedIds() },
    registrations: trunkAmi ? new AmiTrunkRegistrations(trunkAmi) : null,
  });
  const fetchPolicy = { hosts: config.PULT_RECORDING_HOSTS, allowPrivate: config.PULT_FETCH_ALLOW_PRIVATE, timeoutMs: config.PULT_FETCH_TIMEOUT_SEC * 1000, maxBytes: Math.round(config.PULT_RECORDING_MAX_MB * 1024 * 1024) };
  const recordings = new RecordingService(pbx, calls, config.recordingsDir, events, clock, logger.child({ part: 'recordings' }), undefined, fetchPolicy, config.PULT_AMI_MONITOR_DIR ?? null);
  const router = new CallRouter(db, pbx, calls, lines, operators, recordings, events, clock, logger.child({ part: 'routing' }), {
    trunkEndpoint: config.PULT_TRUNK_ENDPOINT,
    trunkOf: (lineId) => trunks.route(lineId).trunk,
    timeZone: config.PULT_TIMEZONE,
    wrapupSec: config.PULT_WRAPUP_SEC,
    autoPauseAfterMissed: config.PULT_AUTO_PAUSE_AFTER_MISSED,
  });
  // Waiting callers hear their place and "press 1 for a callback" (item 2).
  const announcements = new WaitAnnouncements({ pbx, router, calls, lines, events, clock, logger: logger.child({ part: 'announcements' }) });
  if (config.PULT_MODE === 'ari') announcements.start();
  // Callbacks as a workflow, outbound calls placed by Pult (item 4, 5).
  // A company served by a cloud PBX places people's calls through its click-to-call.
  const cloud = {
    serves: (tenantId: number) => servedByCloudPbx(vpbxAccounts, tenantId),
    call: (userId: number, tenantId: number, number: string, callbackId?: number) =>
      cloudClickToCall({ accounts: vpbxAccounts, service: externalCalls, fetchPolicy, logger: logger.child({ part: 'vpbx' }) }, userId, [tenantId], number)
        .then((placed) => {
          if (callbackId !== undefined) calls.assignPendingCallback(callbackId, userId);
          return placed;
        })
        .catch((err: unknown) => { if (err instanceof NoCloudAccountError) return { problem: err.message }; throw err; }),
  };
  const callbackFeature = attachCallbacks({ db, pbx, router, calls, lines, operators, recordings, events, clock, logger: logger.child({ part: 'callbacks' }), cloud }, {
    trunkEndpoint: config.PULT_TRUNK_ENDPOINT, auto: config.PULT_CALLBACK_AUTO === 'on' && config.PULT_MODE === 'ari', urgentSec: config.PULT_CALLBACK_URGENT_SEC,
    route: trunks.route,
  });
  // Reminder calls to executors who have not accepted an emergency request (issue 11, item 6).
  const reminderCalls = attachReminderCalls({
    db, pbx, router, lines, clock, logger: logger.child({ part: 'reminder-calls' }), tenantExists: (t) => tickets.tenantExists(t),
    accept: (id, by) => requests.service.transition(id, 'in_work', { comment: ACCEPTED_COMMENT }, by),
  }, {
    enabled: config.PULT_REMINDER_CALLS === 'on' && config.PULT_MODE === 'ari', schedule: config.PULT_REMINDER_CALL_SCHEDULE, timeZone: config.PULT_TIMEZONE,
    defaultAfterMin: config.PULT_REMINDER_CALL_AFTER_MIN, retryMin: config.PULT_REMINDER_CALL_RETRY_MIN, maxAttempts: config.PULT_REMINDER_CALL_ATTEMPTS,
    trunkEndpoint: config.PULT_TRUNK_ENDPOINT, ringSec: config.PULT_REMINDER_CALL_RING_SEC, digitWaitSec: config.PULT_REMINDER_CALL_DIGIT_SEC, lang: 'ru',
    speechDir: config.PULT_REMINDER_SPEECH_DIR ?? null,
    route: trunks.route,
  });
  const resync = new Resync(pbx, router, calls, lines, operators, recordings, clock, logger.child({ part: 'resync' }), {
    app: config.PULT_ARI_APP,
    trunkEndpoint: config.PULT_TRUNK_ENDPOINT,
    fallbackTimeoutSec: config.PULT_OVERFLOW_TIMEOUT_SEC,
  });

  // Calls routed by cloud PBXs, observed through their webhooks.
  const vpbxAccounts = new VpbxAccounts(db);
  // The webhooks' audit log and abuse limits (pruned by the retention job).
  const webhookLog = new WebhookLog(db);
  const webhookGuard = new WebhookGuard({ perAccountPerSec: config.PULT_WEBHOOK_RATE_PER_ACCOUNT, perIpPerSec: config.PULT_WEBHOOK_RATE_PER_IP, failedPerIpPerMin: config.PULT_WEBHOOK_FAILED_PER_IP });
  const externalCalls = new ExternalCallService(db, calls, lines, recordings, events, clock, logger.child({ part: 'vpbx' }));
  recordings.registerSource('vpbx:', vpbxRecordingSource(vpbxAccounts, calls, fetchPolicy, (url, dest, hosts) => recordings.download(url, dest, hosts)));

  // The billing link and push of closed requests (issue 14 item 9): outbox written in the closing transaction, signed, retried.
  const billing = attachBilling({
    db, clock, logger: logger.child({ part: 'billing' }), timeZone: config.PULT_TIMEZONE, schedule: config.PULT_BILLING_PUSH_CRON, masterSecret: config.PULT_BILLING_PUSH_SECRET ?? null,
    policy: { hosts: config.PULT_BILLING_PUSH_HOSTS, allowPrivate: config.PULT_FETCH_ALLOW_PRIVATE, timeoutMs: config.PULT_FETCH_TIMEOUT_SEC * 1000, maxBytes: 1024 * 1024 },
    backoffSec: config.PULT_BILLING_PUSH_BACKOFF_SEC, backoffMaxSec: config.PULT_BILLING_PUSH_BACKOFF_MAX_SEC, attempts: config.PULT_BILLING_PUSH_ATTEMPTS,
  });

  // Supervisor wallboard: snapshot, callbacks, supervision; socket push below.
  const wallboard = attachWallboard({ db, lines, operators, calls, events, router, pbx, clock, logger, timeZone: config.PULT_TIMEZONE, shortAbandonSec: config.PULT_SHORT_ABANDON_SEC });
  // Reports, the decree 416 compliance documents, daily / weekly snapshots (issue 12, item 3).
  const reports = attachReports({ db, clock, logger: logger.child({ part: 'reports' }), timeZone: config.PULT_TIMEZONE, shortAbandonSec: config.PULT_SHORT_ABANDON_SEC, fonts: pdfFonts });

  // AMI observer mode: an existing Asterisk with app_queue keeps call control;
  // Pult watches its AMI instead of running the ARI router (docs/ami-observer.md).
  const amiMode = config.PULT_MODE === 'ami-observer' ? createAmiObserverMode({ config, db, calls, lines, operators, recordings, events, clock, logger: logger.child({ part: 'ami' }) }) : null;

  // Calls the dialplan fallback took while Pult was down: imported at start and on every ARI connect.
  const fallbackImport = new FallbackImport(config.fallbackCdrFile, new FallbackImportRepository(db, calls), lines, recordings, events, logger.child({ part: 'fallback-import' }));

  let pbxSince: string | null = null;
  pbx.onConnectionChange((up) => {
    pbxSince = clock.now().toISOString();
    if (up) {
      if (!amiMode) fallbackImport.run();
      if (!amiMode) void trunks.service.resync();
      void router.enqueue('resync', async () => {
        const report = await resync.run();
        await callbackFeature.resync();
        await reminderCalls.resync();
        logger.info('resync done', { ...report });
      });
    }
  });

  // Prometheus /metrics (off unless PULT_METRICS_TOKEN or PULT_METRICS_ALLOW_PRIVATE=on).
  const metrics = new PultMetrics({ repo: new MetricsRepository(db), pbxLinks: (): Record<string, boolean> => (amiMode ? { ami: amiMode.pbxStatus.connected } : { ari: pbx.connected }) });
  const detachMetrics = metrics.attach(events);
  // Online backups on PULT_BACKUP_CRON; storage overview and recording retention for admins.
  const backups = new BackupService(db, config.backupDir, config.PULT_BACKUP_KEEP, clock, logger.child({ part: 'backup' }));
  const storage = storageRoutes({ repo: new StorageRepository(db), backups, dbPath: config.dbPath, stateDir: config.PULT_STATE_DIR, backupSchedule: config.PULT_BACKUP_CRON, backupKeep: config.PULT_BACKUP_KEEP });

  const app = createHttpApp({
    logger,
    publicRoutes: [metricsRoutes(metrics, { token: config.PULT_METRICS_TOKEN ?? null, allowPrivate: config.PULT_METRICS_ALLOW_PRIVATE === 'on' }), amiMode ? healthRoutes(db, amiMode.pbxStatus, amiMode.since, amiMode.health) : healthRoutes(db, pbx, () => pbxSince, () => ({ trunks: trunks.service.health() })), publicAuthRoutes(auth, throttle, logger.child({ part: 'auth' })), signedRecordingRoutes(calls, recordingLinks), attachments.publicRoutes, ...(webChannel ? [webChannel.publicRoutes] : []), booking.publicRoutes, webhookRoutes({ log: webhookLog, guard: webhookGuard, maxAgeSec: config.PULT_WEBHOOK_MAX_AGE_SEC, accounts: vpbxAccounts, service: externalCalls, lookup, clock, logger: logger.child({ part: 'webhooks' }), ratings: new CallRatings(db) }), apiDocsPageRoutes(config.PULT_UI_DIR)],
    uiDir: config.PULT_UI_DIR,
    sipWsUrl,
    tileUrl: config.PULT_MAP_TILE_URL,
    authenticate: requireAuth(auth),
    routes: [
      executors.gate,
      authRoutes(auth),
      userAdminRoutes(auth, audit),
      recordingRoutes(calls, lines, recordingLinks),
      callRoutes(calls, lines, recordingLinks, { transfer: (id, by, to) => router.run('transfer', () => router.transfer(id, by, to)) }, operators),
      operatorRoutes(auth, operators, pbx, logger, { wsUrl: sipWsUrl, domain: config.PULT_SIP_DOMAIN }, audit),
      operatorDeviceRoutes(operators, pbx, logger.child({ part: 'operators' }), { domain: config.PULT_SIP_DOMAIN }, audit),
      ticketRoutes(tickets, lookup, calls, lines, requests.lifecycle),
      requests.routes,
      documents.routes,
      categories.routes,
      dictionaries.routes,
      attachments.routes,
      executors.routes,
      executorApp.routes,
      directoryRoutes(directory),
      journal.routes,
      wallboard.routes,
      callbackFeature.routes,
      reports.routes,
      channels.routes,
      email.routes,
      webForms.routes,
      replies.routes,
      booking.routes,
      billing.routes,
      storage,
      reminderCalls.routes,
      lineRoutes(lines, { tenantExists: (t) => tickets.tenantExists(t), audit, trunkExists: (id) => trunks.service.exists(id) }),
      trunks.routes,
      overflowGroupRoutes(lines, { audit, userExists: (id) => auth.getUser(id) !== null }),
      tenantRoutes(new TenantRepository(db), audit),
      auditRoutes(audit),
      vpbxAdminRoutes(vpbxAccounts, externalCalls, calls, fetchPolicy, logger.child({ part: 'vpbx' }), audit),
      apiDocumentRoutes(),
    ],
  });
  const server = createAppServer(app, tls);
  let screenPop: ScreenPop | null = null;
  const io = createRealtime(server, auth, clock, logger.child({ part: 'realtime' }), (socket) => {
    screenPop?.onConnect(socket);
    wallboard.onConnect(socket);
  });
  screenPop = new ScreenPop(db, io, auth, calls, lines, lookup, tickets, logger.child({ part: 'screen-pop' }));
  screenPop.attach(events, operators);
  wallboard.connect(io);
  requests.connect(io);
  replies.connect(io);
  executors.connect(io);
  telegram.start();
  journal.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PULT_HTTP_PORT, config.PULT_HTTP_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = tls ? 'https' : 'http';
  logger.info(tls ? 'HTTPS listening' : 'HTTP listening', { url: `${scheme}://${config.PULT_HTTP_HOST}:${port}`, ...(tls ? { certificate: tls.subject, names: tls.altNames, validTo: tls.validTo.toISOString() } : {}) });
  if (tls && tls.validTo.getTime() - clock.now().getTime() < 14 * 86_400_000) logger.warn('the TLS certificate expires soon (or has expired): renew it, then reload Pult (SIGHUP)', { validTo: tls.validTo.toISOString() });
  // Plain HTTP next to HTTPS only redirects (no API, no pages on it).
  const redirect = tls && config.PULT_HTTP_REDIRECT_PORT !== undefined ? createRedirectServer(() => port, config.PULT_PUBLIC_URL ?? null, config.PULT_ACME_WEBROOT ?? null) : null;
  if (redirect) {
    await new Promise<void>((resolve, reject) => {
      redirect.once('error', reject);
      redirect.listen(config.PULT_HTTP_REDIRECT_PORT, config.PULT_HTTP_HOST, () => resolve());
    });
    logger.info('HTTP redirect to HTTPS listening', { url: `http://${config.PULT_HTTP_HOST}:${(redirect.address() as AddressInfo).port}` });
  }
  const redirectPort = redirect ? (redirect.address() as AddressInfo).port : null;
  if (amiMode) amiMode.start();
  else {
    fallbackImport.run();
    pbx.start();
    trunkAmi?.start();
  }
  const retention = startRetentionJobs(
    new RetentionService(db, logger.child({ part: 'retention' }), { webhookLogDays: config.PULT_WEBHOOK_LOG_RETENTION_DAYS, externalEventsDays: config.PULT_EXTERNAL_EVENTS_RETENTION_DAYS, idempotencyDays: config.PULT_IDEMPOTENCY_RETENTION_DAYS }),
    clock, logger.child({ part: 'retention' }), config.PULT_TIMEZONE,
  );
  await email.start();
  billing.start();
  const backupJob = startBackupJob(backups, config.PULT_BACKUP_CRON, config.PULT_TIMEZONE, logger.child({ part: 'backup' }));

  return {
    config, db, server, app, port, scheme, redirectPort, router, events, pbx, io, logger, operators, lines, mailPort: email.port(),
    reloadTls() {
      if (!tls || !config.PULT_TLS_CERT || !config.PULT_TLS_KEY) return null;
      const next = reloadTlsCredentials(server as https.Server, config.PULT_TLS_CERT, config.PULT_TLS_KEY);
      logger.info('TLS certificate reloaded', { certificate: next.subject, names: next.altNames, validTo: next.validTo.toISOString() });
      return next;
    },
    async stop() {
      router.stop();
      detachMetrics();
      callbackFeature.stop();
      await reminderCalls.stop();
      announcements.stop();
      await retention.stop();
      await journal.stop();
      await backupJob?.stop();
      await reports.stop();
      await billing.stop();
      await telegram.stop();
      await requests.stop();
      await requests.service.drain(); // documents still being made write to the database
      await email.stop();
      await replies.service.drain();
      wallboard.stop();
      fallbackImport.stop();
      recordings.stop();
      await pbx.stop();
      await trunkAmi?.stop();
      await amiMode?.stop();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (redirect) await new Promise<void>((resolve) => redirect.close(() => resolve()));
      db.close();
    },
  };
}
