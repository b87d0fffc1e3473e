// Webhooks from cloud PBXs (public: authenticated by the vendor's token or
// signature, checked in constant time) and the admin API for their accounts.
// Every webhook is logged for audit (secrets redacted; a refused one without
// its body) and rate-limited; a refused one stores nothing else.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import { ApiError, notFound } from '../../http/errors.js';
import type { CallRepository } from '../calls/repository.js';
import type { AuditLog } from '../audit/repository.js';
import type { FetchPolicy } from '../../net/safe-fetch.js';
import { ClickToCallError, cloudClickToCall, NoCloudAccountError } from './click-to-call.js';
import { checkDialNumber } from '../../domain/dialling.js';
import type { CallerLookup } from '../screen-pop/lookup.js';
import { itoolabsWebhookSchema } from '../../telephony/vpbx/itoolabs/schema.js';
import { verifyItoolabsToken } from '../../telephony/vpbx/itoolabs/verify.js';
import { itoolabsRating, translateItoolabs } from '../../telephony/vpbx/itoolabs/translate.js';
import type { CallRatings } from './ratings.js';
import { itoolabsContactReply } from '../../telephony/vpbx/itoolabs/replies.js';
import { mangoEndpoints, parseMangoJson, type MangoEndpoint } from '../../telephony/vpbx/mango/schema.js';
import { mangoDeliveryTime, verifyMangoSign } from '../../telephony/vpbx/mango/verify.js';
import { translateMango } from '../../telephony/vpbx/mango/translate.js';
import { zadarmaWebhookSchema } from '../../telephony/vpbx/zadarma/schema.js';
import { verifyZadarmaSignature, zadarmaDeliveryTime, zadarmaEcho } from '../../telephony/vpbx/zadarma/verify.js';
import { translateZadarma } from '../../telephony/vpbx/zadarma/translate.js';
import { zadarmaStartReply } from '../../telephony/vpbx/zadarma/replies.js';
import { secretsSchema, vendors, type Vendor, type VpbxAccount, type VpbxAccounts } from './accounts.js';
import type { ExternalCallService } from './service.js';
import type { WebhookLog } from './webhook-log.js';
import type { WebhookGuard } from './webhook-guard.js';
import { isFresh } from '../../telephony/vpbx/shared.js';

interface Deps {
  log: WebhookLog;
  guard: WebhookGuard;
  /** Freshness window for deliveries that carry a signed time (PULT_WEBHOOK_MAX_AGE_SEC; 0 = off). */
  maxAgeSec: number;
  accounts: VpbxAccounts;
  service: ExternalCallService;
  lookup: CallerLookup;
  clock: Clock;
  logger: Logger;
  /** Post-call ratings (cmd=rating), stored on the call. */
  ratings?: CallRatings;
}

const issues = (e: z.ZodError) => e.issues.map((i) => ({ field: i.path.join('.') || 'body', problem: i.message }));

export function webhookRoutes(d: Deps): Router {
  const r = Router();
  // Rate limits before anything is parsed or stored: per source address, and
  // no more tries for an address that keeps failing authentication.
  r.use('/hooks', async (req, res, next) => {
    if (await d.guard.admitAddress(req.ip ?? '?')) return next();
    res.status(429).json({ error: { message: 'too many webhook requests' } });
  });
  r.use('/hooks', express.urlencoded({ extended: false, limit: '1mb' }));

  const log = (vendor: Vendor, account: VpbxAccount | null, status: number, req: Request, error: string | null) => {
    const size = Number(req.headers['content-length']) || JSON.stringify(req.body ?? null).length;
    d.log.record({ vendor, accountId: account?.id ?? null, accountGiven: String(req.params.accountId ?? ''), receivedAt: d.clock.now().toISOString(), status, body: req.body, size, error });
    if (status >= 400) d.logger.warn('webhook refused', { vendor, accountId: account?.id ?? null, status, error });
  };
  const refuse = async (res: Response, vendor: Vendor, account: VpbxAccount | null, req: Request, status: number, message: string, details?: unknown) => {
    if (status === 401 || status === 404) await d.guard.refused(req.ip ?? '?');
    log(vendor, account, status, req, message);
    res.status(status).json({ error: { message, details } });
  };
  /** The account the URL names, or null; a known account over its rate limit answers 429 (and null). */
  const accountOf = async (vendor: Vendor, req: Request, res: Response): Promise<VpbxAccount | null | 'limited'> => {
    const id = Number(req.params.accountId);
    const account = Number.isInteger(id) && id > 0 ? d.accounts.of(vendor, id) : null;
    if (account && !(await d.guard.admitAccount(`${vendor}:${account.id}`))) {
      res.status(429).json({ error: { message: 'too many webhook requests for this account' } });
      return 'limited';
    }
    return account;
  };
  const fresh = (atMs: number, latePastSec = 0) => isFresh(atMs, d.clock.now().getTime(), d.maxAgeSec, latePastSec);
  const form = (req: Request) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
  const callerName = (account: VpbxAccount, phone: string | undefined) => (phone ? (d.lookup.accountsByPhone(phone, [account.tenantId], account.tenantId)[0]?.holderName ?? null) : null);

  // Megafon / Dom.ru / Gravitel "API for CRM": one URL, cmd=event|history|contact|rating.
  // Only the crm_token authenticates it and no time is sent: no freshness window.
  r.post('/hooks/itoolabs/:accountId', async (req, res) => {
    const account = await accountOf('itoolabs', req, res);
    if (account === 'limited') return;
    if (!account) return refuse(res, 'itoolabs', null, req, 404, 'unknown account');
    if (!verifyItoolabsToken(form(req), account.secrets.crmToken ?? '')) return refuse(res, 'itoolabs', account, req, 401, 'bad crm_token');
    const msg = itoolabsWebhookSchema.safeParse(form(req));
    if (!msg.success) return refuse(res, 'itoolabs', account, req, 400, 'invalid webhook', issues(msg.error));
    if (msg.data.cmd === 'rating') {
      // The caller's post-call survey: stored on the call (of this account only), not dropped.
      const rating = itoolabsRating(msg.data, { account: account.account });
      if (!rating) return refuse(res, 'itoolabs', account, req, 400, 'invalid webhook', [{ field: 'rating', problem: 'a whole number from 1 to 10' }]);
      const stored = d.ratings?.store(account, rating, d.clock.now().toISOString()) ?? { callId: null };
      log('itoolabs', account, 200, req, null);
      return void res.json({ ok: true, rating: rating.score, callId: stored.callId });
    }
    const result = d.service.apply(account, translateItoolabs(msg.data, { account: account.account, receivedAt: d.clock.now().toISOString() }));
    log('itoolabs', account, 200, req, null);
    if (msg.data.cmd === 'contact') return void res.json(itoolabsContactReply({ contactName: callerName(account, msg.data.phone), responsibleLogin: null }));
    res.json({ ok: true, ...result });
  });

  // Mango Office: /events/call|summary|recording|record/added, form fields vpbx_api_key, sign, json.
  for (const endpoint of Object.keys(mangoEndpoints) as MangoEndpoint[]) {
    r.post(`/hooks/mango/:accountId/events/${endpoint}`, async (req, res) => {
      const account = await accountOf('mango', req, res);
      if (account === 'limited') return;
      if (!account) return refuse(res, 'mango', null, req, 404, 'unknown account');
      const f = form(req);
      if (!verifyMangoSign(f, { apiKey: account.account, apiSalt: account.secrets.apiSalt ?? '' })) return refuse(res, 'mango', account, req, 401, 'bad sign');
      let msg;
      try {
        msg = parseMangoJson(endpoint, String(f.json));
      } catch (err) {
        return refuse(res, 'mango', account, req, 400, 'invalid webhook', err instanceof z.ZodError ? issues(err) : String(err));
      }
      // The sign covers the whole json, its time included: a replay outside the window is refused.
      const at = mangoDeliveryTime(msg);
      if (at !== null && !fresh(at * 1000)) return refuse(res, 'mango', account, req, 401, 'stale delivery: its timestamp is outside the freshness window (PULT_WEBHOOK_MAX_AGE_SEC)');
      // Out-of-order delivery is absorbed by the service: every event is idempotent and
      // a call is created by whichever of its events comes first.
      const result = d.service.apply(account, translateMango(msg, { account: account.account, receivedAt: d.clock.now().toISOString() }));
      log('mango', account, 200, req, null);
      res.json({ ok: true, ...result });
    });
  }

  // Zadarma: GET ?zd_echo= to check the URL; POST NOTIFY_* with a Signature header.
  r.get('/hooks/zadarma/:accountId', async (req, res) => {
    const echo = zadarmaEcho(req.query as Record<string, unknown>);
    const account = await accountOf('zadarma', req, res);
    if (account === 'limited') return;
    if (echo === null || !account) return void res.status(404).end();
    res.type('text/plain').send(echo);
  });
  r.post('/hooks/zadarma/:accountId', async (req, res) => {
    const account = await accountOf('zadarma', req, res);
    if (account === 'limited') return;
    if (!account) return refuse(res, 'zadarma', null, req, 404, 'unknown account');
    // Zadarma signs only a few fields per event (verify.ts): exactly those are checked.
    if (!verifyZadarmaSignature(form(req), req.header('signature'), account.secrets.secret ?? '')) return refuse(res, 'zadarma', account, req, 401, 'bad Signature');
    const msg = zadarmaWebhookSchema.safeParse(form(req));
    if (!msg.success) return refuse(res, 'zadarma', account, req, 400, 'invalid webhook', issues(msg.error));
    // call_start is signed: a captured notification replayed (with other unsigned fields) later is refused.
    const at = zadarmaDeliveryTime(msg.data, account.timeZone);
    if (at !== null && !fresh(at.atMs, at.latePastSec)) return refuse(res, 'zadarma', account, req, 401, 'stale delivery: its call_start is outside the freshness window (PULT_WEBHOOK_MAX_AGE_SEC)');
    const result = d.service.apply(account, translateZadarma(msg.data, { account: account.account, receivedAt: d.clock.now().toISOString(), timeZone: account.timeZone }));
    log('zadarma', account, 200, req, null);
    if (msg.data.event === 'NOTIFY_START') return void res.json(zadarmaStartReply({ callerName: callerName(account, String(msg.data.caller_id)) }));
    res.json({ ok: true, ...result });
  });
  return r;
}

export const createBody = z.object({
  vendor: z.enum(vendors),
  name: z.string().min(1).max(200),
  tenantId: z.number().int().positive(),
  account: z.string().min(1).max(200),
  secrets: z.record(z.string(), z.string()),
  lineId: z.number().int().positive().nullable().default(null),
  timeZone: z.string().default('Europe/Moscow'),
  agents: z.record(z.string().min(1), z.number().int().positive()).default({}),
});

export const clickBody = z.object({ number: z.string().trim().regex(/^\+?[\d\s()-]{5,20}$/, 'a phone number'), callbackId: z.number().int().positive().optional() });

/** Admin: register a cloud PBX account for a company, with its agents → users. Users: click-to-call. */
export function vpbxAdminRoutes(accounts: VpbxAccounts, service: ExternalCallService, calls: CallRepository, fetchPolicy: FetchPolicy, logger: Logger, audit?: AuditLog): Router {
  const r = Router();
  // Click-to-call from the card or the callback list, through the user's company's cloud PBX.
  r.post('/api/click-to-call', async (req, res) => {
    const user = currentUser(req);
    const b = parse(clickBody, req.body);
    const checked = checkDialNumber(b.number);
    if (!checked.ok) throw new ApiError(400, 'invalid_input', `number: ${checked.problem}`, [{ field: 'number', problem: checked.problem }]);
    // A callback task of another company is as unknown as a missing one.
    if (b.callbackId !== undefined && !calls.callbackInTenants(b.callbackId, user.tenantIds)) throw notFound(`callback ${b.callbackId}`);
    let placed;
    try {
      placed = await cloudClickToCall({ accounts, service, fetchPolicy, logger }, user.id, user.tenantIds, checked.number);
    } catch (err) {
      if (err instanceof NoCloudAccountError) throw new ApiError(409, 'conflict', err.message);
      throw new ApiError(502, 'pbx_error', err instanceof ClickToCallError ? err.message : `the cloud PBX did not answer: ${(err as Error).message}`);
    }
    if (b.callbackId !== undefined) calls.assignPendingCallback(b.callbackId, user.id);
    res.status(202).json({ calling: true, via: placed.vendor, agent: placed.agent });
  });
  r.get('/api/vpbx-accounts', requireRole('admin'), (_req, res) => {
    res.json({ items: accounts.list() });
  });
  r.post('/api/vpbx-accounts', requireRole('admin'), (req, res) => {
    const b = parse(createBody, req.body);
    const secrets = parse(secretsSchema[b.vendor], b.secrets, 'secrets');
    const { agents, ...rest } = b;
    const foreign = accounts.foreignReferences(b.tenantId, b.lineId, agents);
    if (foreign.length) throw new ApiError(400, 'invalid_input', `invalid body: ${foreign.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, foreign);
    const create = () => accounts.create({ ...rest, secrets }, agents);
    const created = audit ? audit.change(() => {
      const a = create();
      audit.record({ userId: currentUser(req).id, action: 'create', entity: 'vpbx-account', entityId: a.id, tenantId: a.tenantId, before: null, after: { ...a, secrets: undefined, agents } });
      return a;
    }) : create();
    res.status(201).json({ account: { ...created, secrets: undefined }, webhookUrl: `/hooks/${b.vendor}/${created.id}` });
  });
  return r;
}
