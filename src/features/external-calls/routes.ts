// Webhooks from cloud PBXs (public: authenticated by the vendor's token or
// signature, checked in constant time) and the admin API for their accounts.
// Every webhook is logged raw for audit; a refused one stores nothing else.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import { ApiError, notFound } from '../../http/errors.js';
import type { CallRepository } from '../calls/repository.js';
import type { FetchPolicy } from '../../net/safe-fetch.js';
import { ClickToCallError, clickToCallRequest, sendClickToCall } from './click-to-call.js';
import type { CallerLookup } from '../screen-pop/lookup.js';
import { itoolabsWebhookSchema } from '../../telephony/vpbx/itoolabs/schema.js';
import { verifyItoolabsToken } from '../../telephony/vpbx/itoolabs/verify.js';
import { translateItoolabs } from '../../telephony/vpbx/itoolabs/translate.js';
import { itoolabsContactReply } from '../../telephony/vpbx/itoolabs/replies.js';
import { mangoEndpoints, parseMangoJson, type MangoEndpoint } from '../../telephony/vpbx/mango/schema.js';
import { verifyMangoSign } from '../../telephony/vpbx/mango/verify.js';
import { translateMango } from '../../telephony/vpbx/mango/translate.js';
import { zadarmaWebhookSchema } from '../../telephony/vpbx/zadarma/schema.js';
import { verifyZadarmaSignature, zadarmaEcho } from '../../telephony/vpbx/zadarma/verify.js';
import { translateZadarma } from '../../telephony/vpbx/zadarma/translate.js';
import { zadarmaStartReply } from '../../telephony/vpbx/zadarma/replies.js';
import { secretsSchema, vendors, type Vendor, type VpbxAccount, type VpbxAccounts } from './accounts.js';
import type { ExternalCallService } from './service.js';

interface Deps {
  db: Db;
  accounts: VpbxAccounts;
  service: ExternalCallService;
  lookup: CallerLookup;
  clock: Clock;
  logger: Logger;
}

const issues = (e: z.ZodError) => e.issues.map((i) => ({ field: i.path.join('.') || 'body', problem: i.message }));

export function webhookRoutes(d: Deps): Router {
  const r = Router();
  r.use('/hooks', express.urlencoded({ extended: false, limit: '1mb' }));

  const log = (vendor: Vendor, accountId: number | null, status: number, req: Request, error: string | null) => {
    const body = JSON.stringify(req.body ?? null).slice(0, 65_536);
    stmt(d.db, 'INSERT INTO webhook_log (vendor, account_id, received_at, status, body, error) VALUES (?, ?, ?, ?, ?, ?)').run(vendor, accountId, d.clock.now().toISOString(), status, body, error);
    if (status >= 400) d.logger.warn('webhook refused', { vendor, accountId, status, error });
  };
  const refuse = (res: Response, vendor: Vendor, account: VpbxAccount | null, req: Request, status: number, message: string, details?: unknown) => {
    log(vendor, account?.id ?? null, status, req, message);
    res.status(status).json({ error: { message, details } });
  };
  const accountOf = (vendor: Vendor, req: Request): VpbxAccount | null => {
    const id = Number(req.params.accountId);
    return Number.isInteger(id) && id > 0 ? d.accounts.of(vendor, id) : null;
  };
  const form = (req: Request) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
  const callerName = (account: VpbxAccount, phone: string | undefined) => (phone ? (d.lookup.accountsByPhone(phone, [account.tenantId], account.tenantId)[0]?.holderName ?? null) : null);

  // Megafon / Dom.ru / Gravitel "API for CRM": one URL, cmd=event|history|contact|rating.
  r.post('/hooks/itoolabs/:accountId', (req, res) => {
    const account = accountOf('itoolabs', req);
    if (!account) return refuse(res, 'itoolabs', null, req, 404, 'unknown account');
    if (!verifyItoolabsToken(form(req), account.secrets.crmToken ?? '')) return refuse(res, 'itoolabs', account, req, 401, 'bad crm_token');
    const msg = itoolabsWebhookSchema.safeParse(form(req));
    if (!msg.success) return refuse(res, 'itoolabs', account, req, 400, 'invalid webhook', issues(msg.error));
    const result = d.service.apply(account, translateItoolabs(msg.data, { account: account.account, receivedAt: d.clock.now().toISOString() }));
    log('itoolabs', account.id, 200, req, null);
    if (msg.data.cmd === 'contact') return void res.json(itoolabsContactReply({ contactName: callerName(account, msg.data.phone), responsibleLogin: null }));
    res.json({ ok: true, ...result });
  });

  // Mango Office: /events/call|summary|recording|record/added, form fields vpbx_api_key, sign, json.
  for (const endpoint of Object.keys(mangoEndpoints) as MangoEndpoint[]) {
    r.post(`/hooks/mango/:accountId/events/${endpoint}`, (req, res) => {
      const account = accountOf('mango', req);
      if (!account) return refuse(res, 'mango', null, req, 404, 'unknown account');
      const f = form(req);
      if (!verifyMangoSign(f, { apiKey: account.account, apiSalt: account.secrets.apiSalt ?? '' })) return refuse(res, 'mango', account, req, 401, 'bad sign');
      let msg;
      try {
        msg = parseMangoJson(endpoint, String(f.json));
      } catch (err) {
        return refuse(res, 'mango', account, req, 400, 'invalid webhook', err instanceof z.ZodError ? issues(err) : String(err));
      }
      // Out-of-order delivery is absorbed by the service: every event is idempotent and
      // a call is created by whichever of its events comes first.
      const result = d.service.apply(account, translateMango(msg, { account: account.account, receivedAt: d.clock.now().toISOString() }));
      log('mango', account.id, 200, req, null);
      res.json({ ok: true, ...result });
    });
  }

  // Zadarma: GET ?zd_echo= to check the URL; POST NOTIFY_* with a Signature header.
  r.get('/hooks/zadarma/:accountId', (req, res) => {
    const echo = zadarmaEcho(req.query as Record<string, unknown>);
    if (echo === null || !accountOf('zadarma', req)) return void res.status(404).end();
    res.type('text/plain').send(echo);
  });
  r.post('/hooks/zadarma/:accountId', (req, res) => {
    const account = accountOf('zadarma', req);
    if (!account) return refuse(res, 'zadarma', null, req, 404, 'unknown account');
    if (!verifyZadarmaSignature(form(req), req.header('signature'), account.secrets.secret ?? '')) return refuse(res, 'zadarma', account, req, 401, 'bad Signature');
    const msg = zadarmaWebhookSchema.safeParse(form(req));
    if (!msg.success) return refuse(res, 'zadarma', account, req, 400, 'invalid webhook', issues(msg.error));
    const result = d.service.apply(account, translateZadarma(msg.data, { account: account.account, receivedAt: d.clock.now().toISOString(), timeZone: account.timeZone }));
    log('zadarma', account.id, 200, req, null);
    if (msg.data.event === 'NOTIFY_START') return void res.json(zadarmaStartReply({ callerName: callerName(account, String(msg.data.caller_id)) }));
    res.json({ ok: true, ...result });
  });
  return r;
}

const createBody = z.object({
  vendor: z.enum(vendors),
  name: z.string().min(1).max(200),
  tenantId: z.number().int().positive(),
  account: z.string().min(1).max(200),
  secrets: z.record(z.string(), z.string()),
  lineId: z.number().int().positive().nullable().default(null),
  timeZone: z.string().default('Europe/Moscow'),
  agents: z.record(z.string().min(1), z.number().int().positive()).default({}),
});

const clickBody = z.object({ number: z.string().trim().regex(/^\+?[\d\s()-]{5,20}$/, 'a phone number'), callbackId: z.number().int().positive().optional() });

/** Admin: register a cloud PBX account for a company, with its agents → users. Users: click-to-call. */
export function vpbxAdminRoutes(accounts: VpbxAccounts, service: ExternalCallService, calls: CallRepository, fetchPolicy: FetchPolicy, logger: Logger): Router {
  const r = Router();
  // Click-to-call from the card or the callback list, through the user's company's cloud PBX.
  r.post('/api/click-to-call', async (req, res) => {
    const user = currentUser(req);
    const b = parse(clickBody, req.body);
    // A callback task of another company is as unknown as a missing one.
    if (b.callbackId !== undefined && !calls.callbackInTenants(b.callbackId, user.tenantIds)) throw notFound(`callback ${b.callbackId}`);
    const mine = accounts.list().filter((a) => user.tenantIds === null || user.tenantIds.includes(a.tenantId));
    const account = mine.map((a) => accounts.get(a.id)!).find((a) => service.pbxLoginOf(a, user.id) !== null);
    if (!account) throw new ApiError(409, 'conflict', 'no cloud PBX account knows you: ask an admin to map your PBX login');
    const agent = service.pbxLoginOf(account, user.id)!;
    let request;
    try {
      request = clickToCallRequest(account, agent, b.number);
    } catch (err) {
      throw new ApiError(400, 'invalid_input', (err as Error).message, [{ field: 'number', problem: (err as Error).message }]);
    }
    try {
      await sendClickToCall(request, fetchPolicy, logger);
    } catch (err) {
      throw new ApiError(502, 'pbx_error', err instanceof ClickToCallError ? err.message : `the cloud PBX did not answer: ${(err as Error).message}`);
    }
    if (b.callbackId !== undefined) calls.assignPendingCallback(b.callbackId, user.id);
    res.status(202).json({ calling: true, via: account.vendor, agent });
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
    const created = accounts.create({ ...rest, secrets }, agents);
    res.status(201).json({ account: { ...created, secrets: undefined }, webhookUrl: `/hooks/${b.vendor}/${created.id}` });
  });
  return r;
}
