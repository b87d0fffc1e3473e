// The only module that reads process.env. One schema, defaults documented in
// the README; a missing or malformed value fails the start with a clear line.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import cron from 'node-cron';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().min(0).max(86_400);
/** An optional variable left empty (`PULT_TLS_CERT=` in an environment file) counts as unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const configSchema = z.object({
  PULT_HTTP_PORT: port.default(8080),
  PULT_HTTP_HOST: z.string().default('127.0.0.1'),
  PULT_STATE_DIR: z.string().default('var'),
  PULT_DB: z.string().optional(),
  PULT_RECORDINGS_DIR: z.string().optional(),
  PULT_ARI_URL: z.string().url().default('http://127.0.0.1:8088'),
  PULT_ARI_USER: z.string().min(1).default('pult'),
  PULT_ARI_PASSWORD: z.string().min(8, 'PULT_ARI_PASSWORD must be set (8+ characters); `npm start` writes one to var/secrets.env'),
  PULT_ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/).default('pult'),
  PULT_TRUNK_ENDPOINT: z.string().default('carrier'),
  // The PBX's log of calls its dialplan fallback took while Pult was down
  // (dialplan/extensions.conf [pult-fallback-log]); imported at start and on
  // every ARI connect. Default: the sandbox of scripts/asterisk/instance.sh,
  // <PULT_STATE_DIR>/asterisk-pbx/log/pult-fallback.log. A remote Asterisk:
  // share its log folder with this host.
  PULT_FALLBACK_CDR_FILE: z.string().optional(),
  // Where the browser softphone registers. Unset: ws://127.0.0.1:8088/ws, or with PULT_TLS_CERT
  // wss://<the host the page was opened at>:<PULT_ASTERISK_TLS_PORT>/ws (Asterisk's TLS HTTP server).
  PULT_SIP_WS_URL: unsetIfEmpty(z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// URL')),
  PULT_SIP_DOMAIN: z.string().default('127.0.0.1'),
  PULT_UI_DIR: z.string().default('agent-ui/dist'),
  // Outbound fetches (cloud-PBX recording links and recording APIs): only these
  // hosts, by parsed hostname: exact names or `*.suffix` (any subdomain).
  PULT_RECORDING_HOSTS: z.string().default('*.megapbx.ru,*.mango-office.ru,*.zadarma.com,*.novofon.com').transform((v, ctx) => {
    const hosts = v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
    for (const h of hosts) {
      if (!/^(\*\.)?[a-z0-9.:[\]-]+$/.test(h)) {
        ctx.addIssue({ code: 'custom', message: `"${h}" is not a host name or *.suffix` });
        return z.NEVER;
      }
    }
    return hosts;
  }),
  // Tests only: let outbound fetches reach loopback/private addresses (refused after DNS resolution otherwise).
  PULT_FETCH_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  PULT_FETCH_TIMEOUT_SEC: z.coerce.number().int().min(1).max(3600).default(60),
  PULT_RECORDING_MAX_MB: z.coerce.number().positive().max(10_000).default(200),
  // Webhooks: a delivery whose signed timestamp is further than this from now is refused (0 = no check).
  PULT_WEBHOOK_MAX_AGE_SEC: z.coerce.number().int().min(0).max(31_536_000).default(600),
  // Webhook rate limits (429 beyond): per account, per source address, and failed-auth attempts per address.
  PULT_WEBHOOK_RATE_PER_ACCOUNT: z.coerce.number().int().positive().default(1000),
  PULT_WEBHOOK_RATE_PER_IP: z.coerce.number().int().positive().default(2000),
  PULT_WEBHOOK_FAILED_PER_IP: z.coerce.number().int().positive().default(20),
  PULT_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  // Retention (daily at 03:30 PULT_TIMEZONE): raw webhooks and applied-event keys older than N days are deleted.
  PULT_WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  PULT_EXTERNAL_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // Login throttling: failed logins counted per login and per address within the window;
  // past the limit each further failure doubles the wait (1 s, 2 s, 4 s… up to the max).
  PULT_LOGIN_FAILURES_PER_LOGIN: z.coerce.number().int().min(1).default(5),
  PULT_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  PULT_LOGIN_FAILURE_WINDOW_SEC: z.coerce.number().int().min(1).default(900),
  PULT_LOGIN_MAX_DELAY_SEC: z.coerce.number().int().min(1).default(900),
  // Signed recording links (<audio> cannot send headers): HMAC key and lifetime.
  // Without a key a random one is made per process (links die with a restart).
  PULT_URL_SIGNING_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  PULT_RECORDING_URL_TTL_SEC: z.coerce.number().int().min(10).max(86_400).default(300),
  // Requests' attachments (photos, PDFs): where they are kept (default <PULT_STATE_DIR>/attachments)
  // and the largest file accepted; their signed links live PULT_RECORDING_URL_TTL_SEC too.
  PULT_ATTACHMENTS_DIR: z.string().optional(),
  PULT_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1000).default(10),
  // Demo logins (password PULT_DEMO_PASSWORD) only when asked for; `npm start` sets 'on'.
  PULT_DEMO_DATA: z.enum(['on', 'off'], { error: "'on' or 'off' ('auto' is gone: demo data loads only with PULT_DEMO_DATA=on)" }).default('off'),
  PULT_DEMO_PASSWORD: z.string().min(4).default('demo'),
  PULT_DEMO_DID: z.string().regex(/^\d{3,15}$/).default('74950000001'),
  PULT_DEMO_MOBILE: z.string().regex(/^\d{5,15}$/).default('79990000001'),
  PULT_DEMO_ACCOUNTS: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  PULT_OVERFLOW_AFTER_SEC: seconds.default(20),
  PULT_RING_TIMEOUT_SEC: seconds.default(15),
  PULT_OVERFLOW_TIMEOUT_SEC: seconds.default(30),
  // Demo lines: goodbye + callback task after N s unanswered (the 5-minute rule); a missed mobile is rung again after N s.
  PULT_MAX_WAIT_SEC: seconds.default(300),
  PULT_MOBILE_RETRY_SEC: seconds.default(15),
  PULT_WRAPUP_SEC: seconds.default(10),
  // Callbacks (issue 15): demo lines' due time / attempts / spacing; Pult dials open tasks itself unless 'off'.
  PULT_CALLBACK_DUE_MIN: z.coerce.number().int().min(1).max(1440).default(10),
  PULT_CALLBACK_ATTEMPTS: z.coerce.number().int().min(0).max(20).default(3),
  PULT_CALLBACK_RETRY_SEC: seconds.default(120),
  PULT_CALLBACK_AUTO: z.enum(['on', 'off']).default('on'),
  // An automatic callback takes an operator whose companies have inbound callers waiting only within this long of its due time.
  PULT_CALLBACK_URGENT_SEC: seconds.default(120),
  // Demo lines: a waiting caller hears their place and "press 1 for a callback" every N s (0 = off).
  PULT_ANNOUNCE_EVERY_SEC: seconds.default(30),
  // Pause an operator («Не отвечает») after this many offers in a row rang out unanswered; 0 = never.
  PULT_AUTO_PAUSE_AFTER_MISSED: z.coerce.number().int().min(0).max(100).default(2),
  PULT_SHORT_ABANDON_SEC: seconds.default(5),
  PULT_TIMEZONE: z.string().default('Europe/Moscow'),
  // Zones page (/zones/): an optional map tile layer under the buildings, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.
  // Unset (the default): plain points on a blank canvas. Its origin is added to the CSP's img-src.
  PULT_MAP_TILE_URL: z.string().regex(/^https?:\/\/[^/\s]+\/\S*\{z\}\S*\{x\}\S*\{y\}/, 'an http(s) URL template with {z}, {x} and {y}').optional(),
  PULT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // AMI observer mode (docs/ami-observer.md): an existing Asterisk with app_queue keeps call control.
  PULT_MODE: z.enum(['ari', 'ami-observer']).default('ari'),
  PULT_AMI_HOST: z.string().default('127.0.0.1'),
  PULT_AMI_PORT: port.default(5038),
  PULT_AMI_USER: z.string().min(1).default('pult'),
  PULT_AMI_PASSWORD: z.string().optional(),
  PULT_AMI_QUEUE_LINES: z.string().default('').transform((v, ctx) => {
    const out: Record<string, number> = {};
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([^=\s]+)\s*=\s*(\d+)$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not queue=lineId (e.g. support=1,emergency=2)` });
        return z.NEVER;
      }
      out[m[1]!] = Number(m[2]);
    }
    return out;
  }),
  PULT_AMI_MONITOR_DIR: z.string().optional(),
  // Reminder calls (issue 11, item 6): an emergency request its executor has not accepted N minutes after the
  // assignment makes Pult ring the executor's mobile; «1» accepts it. N per company (PUT /api/reminder-calls/settings/:tenantId),
  // this is the default; minutes may be fractional. A call not ending in «1» is repeated RETRY_MIN later, ATTEMPTS calls at most.
  PULT_REMINDER_CALLS: z.enum(['on', 'off']).default('on'),
  PULT_REMINDER_CALL_AFTER_MIN: z.coerce.number().min(0.05).max(1440).default(10),
  PULT_REMINDER_CALL_RETRY_MIN: z.coerce.number().min(0.05).max(1440).default(5),
  PULT_REMINDER_CALL_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  PULT_REMINDER_CALL_RING_SEC: z.coerce.number().int().min(5).max(120).default(30),
  // After the prompt, how long Pult waits for a key (the prompt is said twice before giving up).
  PULT_REMINDER_CALL_DIGIT_SEC: z.coerce.number().int().min(2).max(60).default(8),
  // node-cron schedule of the scan (seconds field allowed).
  PULT_REMINDER_CALL_SCHEDULE: z.string().trim().regex(/^\S+(\s+\S+){4,5}$/, 'a cron expression of 5 or 6 fields').default('*/15 * * * * *'),
  // A folder Asterisk can read (same machine) where the street is spoken with espeak-ng at call time; unset: the request's number is said instead.
  PULT_REMINDER_SPEECH_DIR: z.string().optional(),
  // PDF documents («Заявка»): the directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf
  // (Debian's fonts-dejavu-core); the server refuses to start without them.
  PULT_PDF_FONT_DIR: z.string().min(1).default('/usr/share/fonts/truetype/dejavu'),
  // The journal (issue 12): monthly archive folder (default <PULT_STATE_DIR>/journal) and the address
  // people open Pult at (e.g. https://pult.example.ru), put before the request-page links in journal
  // files; unset: a live download uses the address it was asked at, the monthly archive a bare path.
  PULT_JOURNAL_DIR: z.string().optional(),
  PULT_PUBLIC_URL: z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin such as https://pult.example.ru (no path, no trailing slash)').optional(),
  // Prometheus GET /metrics: off by default. With a token, scrapes send `Authorization: Bearer <token>`;
  // without one, PULT_METRICS_ALLOW_PRIVATE=on serves it to loopback/private addresses only.
  PULT_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  PULT_METRICS_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  // Online database backups (src/features/backup): node-cron schedule (PULT_TIMEZONE), folder
  // (default <PULT_STATE_DIR>/backups) and how many of the newest to keep; 'off' = no scheduled backup.
  PULT_BACKUP_CRON: z.string().refine((v) => v === 'off' || cron.validate(v), "a cron expression such as '30 3 * * *', or 'off'").default('30 3 * * *'),
  PULT_BACKUP_DIR: z.string().optional(),
  PULT_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  // The executor's phone page (/x/): executors stay logged in this many days, renewed on use (sliding);
  // the page reminds of requests not yet accepted / not yet reported every N minutes;
  // executors' idempotency keys (retried actions) are kept N days (retention job).
  PULT_EXECUTOR_SESSION_DAYS: z.coerce.number().positive().max(365).default(30),
  PULT_EXECUTOR_REMIND_MIN: z.coerce.number().int().min(1).max(1440).default(10),
  PULT_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  // HTTPS (issue 13 item 3): PEM certificate (chain) and private key files, read at start; both or
  // neither. Set: Pult serves HTTPS on PULT_HTTP_PORT (socket.io too) and sends HSTS.
  PULT_TLS_CERT: unsetIfEmpty(z.string()),
  PULT_TLS_KEY: unsetIfEmpty(z.string()),
  // With TLS: a plain-HTTP listener on this port that only redirects (301 GET/HEAD, 308 others) to https.
  PULT_HTTP_REDIRECT_PORT: unsetIfEmpty(port),
  // A folder whose .well-known/acme-challenge/<token> files the redirect port serves (certbot --webroot),
  // so a certificate is renewed while Pult runs; unset: every plain-HTTP request is redirected.
  PULT_ACME_WEBROOT: unsetIfEmpty(z.string()),
  // The PBX's TLS HTTP server (http.conf tlsbindaddr; scripts/asterisk/instance.sh reads the same
  // variable): the port the softphone's wss:// URL names when PULT_SIP_WS_URL is unset and TLS is on.
  PULT_ASTERISK_TLS_PORT: port.default(8443),
  // The Telegram channel (issue 14): one bot per company as `<tenantId>=<bot token>` pairs separated by
  // commas (tokens from @BotFather); unset = no bots. The Bot API's address (a local fake in tests) and
  // the long-poll wait in seconds.
  PULT_TELEGRAM_BOTS: z.string().default('').transform((v, ctx) => {
    const bots = new Map<number, string>();
    for (const pair of v.split(',').map((x) => x.trim()).filter(Boolean)) {
      const m = /^(\d+)=(\d+:[A-Za-z0-9_-]{20,})$/.exec(pair);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'each entry is <tenantId>=<bot token>, e.g. 1=123456:AAE…' });
        return z.NEVER;
      }
      bots.set(Number(m[1]), m[2]!);
    }
    return bots;
  }),
  PULT_TELEGRAM_API_URL: z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin such as https://api.telegram.org').default('https://api.telegram.org'),
  PULT_TELEGRAM_POLL_SEC: z.coerce.number().int().min(0).max(50).default(25),
  // E-mail channel (issue 14): Pult's own SMTP listener for mail to the companies' inbound addresses
  // (PUT /api/tenants/:id/mail). Off unless a port is set (0: any free port). Bind host; STARTTLS when a
  // PEM certificate and key are given; a message over PULT_MAIL_MAX_MB is refused (552); a recipient
  // outside PULT_MAIL_DOMAINS (comma list, empty: any) or no company's address is refused (550);
  // at most PULT_MAIL_ATTACHMENTS_MAX images/PDFs per message are kept (each up to PULT_ATTACHMENT_MAX_MB).
  PULT_MAIL_SMTP_PORT: port.optional(),
  PULT_MAIL_SMTP_HOST: z.string().default('127.0.0.1'),
  PULT_MAIL_TLS_CERT: z.string().optional(),
  PULT_MAIL_TLS_KEY: z.string().optional(),
  PULT_MAIL_MAX_MB: z.coerce.number().positive().max(200).default(15),
  PULT_MAIL_DOMAINS: z.string().default('').transform((v) => v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)),
  PULT_MAIL_ATTACHMENTS_MAX: z.coerce.number().int().min(0).max(50).default(5),
  // Outgoing mail (acknowledgements, replies, «оцените работу»): smtp(s)://[user:password@]host:port; unset: no e-mail goes out.
  PULT_MAIL_SMTP_OUT_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'smtp://host:port or smtps://user:password@host:port').optional(),
  PULT_MAIL_FROM: z.string().min(3).default('Pult <pult@localhost>'),
  // How often closed e-mail requests are scanned to ask the resident for a rating (node-cron, seconds field allowed; 'off': never).
  PULT_MAIL_FEEDBACK_CRON: z.string().refine((v) => v === 'off' || cron.validate(v), "a cron expression such as '* * * * *', or 'off'").default('* * * * *'),
  // Online booking of visits (issue 14 item 3): local hours visits may start/end in (PULT_TIMEZONE),
  // how soon the first bookable slot starts, how many days ahead one may look,
  // and the public slot/booking requests per address per minute (429 beyond).
  PULT_BOOKING_HOURS: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM-HH:MM, e.g. 08:00-20:00').refine((v) => v.slice(0, 5) < v.slice(6), 'the end must be after the start').default('08:00-20:00'),
  PULT_BOOKING_LEAD_MIN: z.coerce.number().int().min(0).max(10_080).default(120),
  PULT_BOOKING_MAX_DAYS: z.coerce.number().int().min(1).max(60).default(14),
  PULT_BOOKING_RATE_PER_MIN: z.coerce.number().int().min(1).default(30),
  // Billing push (issue 14 item 9): closed requests are POSTed to each company's push URL, signed with
  // HMAC-SHA256 under a per-company key derived from PULT_BILLING_PUSH_SECRET (unset = pushes wait undelivered);
  // only hosts on PULT_BILLING_PUSH_HOSTS (exact or *.suffix); retries back off 1, 2, 4… × BACKOFF_SEC up to
  // BACKOFF_MAX_SEC, and after ATTEMPTS failures the push is marked failed (admin list + retry). The job runs on PULT_BILLING_PUSH_CRON.
  PULT_BILLING_PUSH_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PULT_BILLING_PUSH_HOSTS: z.string().default('').transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  PULT_BILLING_PUSH_CRON: z.string().refine((v) => cron.validate(v), "a cron expression such as '*/15 * * * * *'").default('*/15 * * * * *'),
  PULT_BILLING_PUSH_BACKOFF_SEC: z.coerce.number().int().min(1).max(86_400).default(60),
  PULT_BILLING_PUSH_BACKOFF_MAX_SEC: z.coerce.number().int().min(1).max(604_800).default(3600),
  PULT_BILLING_PUSH_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  // The residents' web form (/r/<company id>/) and status page (/s/<token>), issue 14: 'off' closes both.
  // Requests accepted per client address and per building (address) an hour; building searches per address a minute.
  PULT_WEB_FORM: z.enum(['on', 'off']).default('on'),
  PULT_WEB_FORM_PER_IP_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  PULT_WEB_FORM_PER_ADDRESS_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  PULT_WEB_SEARCH_PER_IP_MIN: z.coerce.number().int().min(1).max(100_000).default(60),
  PULT_WEB_FORM_MAX_PHOTOS: z.coerce.number().int().min(0).max(10).default(5),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  dbPath: string;
  recordingsDir: string;
  /** PULT_ATTACHMENTS_DIR or <PULT_STATE_DIR>/attachments. */
  attachmentsDir: string;
  /** PULT_FALLBACK_CDR_FILE or <PULT_STATE_DIR>/asterisk-pbx/log/pult-fallback.log. */
  fallbackCdrFile: string;
  /** PULT_JOURNAL_DIR or <PULT_STATE_DIR>/journal. */
  journalDir: string;
  /** PULT_BACKUP_DIR or <PULT_STATE_DIR>/backups. */
  backupDir: string;
}

/** Reads `KEY=value` lines (the secrets file written by the start script). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const stateDir = env.PULT_STATE_DIR ?? 'var';
  // Environment wins over the generated secrets file.
  const merged = { ...readEnvFile(path.join(stateDir, 'secrets.env')), ...env };
  // The ARI is not used in AMI observer mode: its password is not required there.
  if (merged.PULT_MODE === 'ami-observer' && !merged.PULT_ARI_PASSWORD) merged.PULT_ARI_PASSWORD = 'unused-in-ami-observer-mode';
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.PULT_MODE === 'ami-observer' && !c.PULT_AMI_PASSWORD) throw new Error('invalid configuration:\n  PULT_AMI_PASSWORD: must be set in PULT_MODE=ami-observer');
  if (Boolean(c.PULT_TLS_CERT) !== Boolean(c.PULT_TLS_KEY)) throw new Error(`invalid configuration:\n  ${c.PULT_TLS_CERT ? 'PULT_TLS_KEY' : 'PULT_TLS_CERT'}: must be set too (HTTPS needs both the certificate and its private key)`);
  if (c.PULT_ACME_WEBROOT !== undefined && c.PULT_HTTP_REDIRECT_PORT === undefined) throw new Error('invalid configuration:\n  PULT_ACME_WEBROOT: served on the plain-HTTP redirect port; set PULT_HTTP_REDIRECT_PORT too');
  if (c.PULT_HTTP_REDIRECT_PORT !== undefined && !c.PULT_TLS_CERT) throw new Error('invalid configuration:\n  PULT_HTTP_REDIRECT_PORT: redirects to https only; set PULT_TLS_CERT and PULT_TLS_KEY too');
  return {
    ...c,
    dbPath: c.PULT_DB ?? path.join(c.PULT_STATE_DIR, 'pult.sqlite'),
    recordingsDir: c.PULT_RECORDINGS_DIR ?? path.join(c.PULT_STATE_DIR, 'recordings'),
    attachmentsDir: c.PULT_ATTACHMENTS_DIR ?? path.join(c.PULT_STATE_DIR, 'attachments'),
    fallbackCdrFile: c.PULT_FALLBACK_CDR_FILE ?? path.join(c.PULT_STATE_DIR, 'asterisk-pbx', 'log', 'pult-fallback.log'),
    journalDir: c.PULT_JOURNAL_DIR ?? path.join(c.PULT_STATE_DIR, 'journal'),
    backupDir: c.PULT_BACKUP_DIR ?? path.join(c.PULT_STATE_DIR, 'backups'),
  };
}
