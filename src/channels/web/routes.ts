// The residents' web form and status page, public (no login, no cookies:
// nothing for a cross-site request to ride on). The form creates a request
// through the channels' core (channel `web`); the status page is opened by
// the private token alone (only its hash is stored).
import { randomBytes, randomInt } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../log.js';
import type { Clock } from '../../clock.js';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uploadParser } from '../../features/attachments/routes.js';
import type { ChannelIntake } from '../intake.js';
import type { FeedbackService } from '../feedback.js';
import type { WebFormLimits } from './limits.js';
import type { WebFormRepository } from './repository.js';
import { ratingFormSchema, residentMessageSchema, webFormSchema, type WebFormAnswer } from './schema.js';
import { statusView, type StatusDeps } from './status.js';

export interface WebRouteDeps {
  repo: WebFormRepository;
  intake: ChannelIntake;
  feedback: FeedbackService;
  limits: WebFormLimits;
  status: StatusDeps;
  clock: Clock;
  logger: Logger;
  maxPhotos: number;
  maxBytes: number;
}

/** No such company, or it does not take requests by the form (the public is not told which). */
export const formOff = () => new ApiError(404, 'not_found', 'company not found, or it does not take requests by the web form');

export const tenantParam = z.coerce.number({ error: 'a company id' }).int().positive();
export const buildingSearchQuery = z.object({ q: z.string().trim().min(2, 'введите улицу (от 2 букв)').max(100) }).strict();

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Runs a limit; past it, the 429 carries Retry-After. */
async function limited(res: Response, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ApiError && err.status === 429) res.setHeader('retry-after', String((err.details as { retryAfterSec: number }).retryAfterSec));
    throw err;
  }
}

export function webFormRoutes(d: WebRouteDeps): Router {
  const r = Router();
  const company = (raw: unknown) => {
    const c = d.repo.company(parse(tenantParam, raw, 'company'));
    if (!c) throw formOff();
    return c;
  };
  const byToken = (token: string | undefined) => {
    const id = d.intake.byStatusToken(token ?? '');
    if (id === null) throw notFound('request');
    return id;
  };
  const noStore = (res: Response) => res.setHeader('cache-control', 'private, no-store');

  r.get('/api/public/companies', (_req, res) => {
    res.json({ items: d.repo.companies() });
  });

  r.get('/api/public/web/:tenantId', (req, res) => {
    res.json({ company: company(req.params.tenantId), categories: d.repo.categories(), maxPhotos: d.maxPhotos, maxMb: Math.round((d.maxBytes / 1024 / 1024) * 10) / 10 });
  });

  // Street and house → building ids and addresses only.
  r.get('/api/public/web/:tenantId/buildings', async (req, res) => {
    const c = company(req.params.tenantId);
    const q = parse(buildingSearchQuery, req.query, 'query');
    await limited(res, () => d.limits.searched(clientIp(req)));
    res.json({ items: d.repo.searchBuildings(c.id, q.q) });
  });

  r.post('/api/public/web/:tenantId/requests', uploadParser(d.maxBytes), async (req, res) => {
    const c = company(req.params.tenantId);
    const f = parse(webFormSchema, req.body ?? {});
    if (d.repo.buildingTenant(f.buildingId) !== c.id) throw new ApiError(400, 'invalid_input', 'buildingId: выберите адрес из списка', [{ field: 'buildingId', problem: 'выберите адрес из списка' }]);
    const files = (req.files ?? []) as Express.Multer.File[];
    if (files.length > d.maxPhotos) throw new ApiError(413, 'too_many_files', `at most ${d.maxPhotos} photos`, [{ field: 'files', problem: `не больше ${d.maxPhotos} фото`, maxFiles: d.maxPhotos }]);
    await limited(res, () => d.limits.submit(clientIp(req), f.buildingId));
    noStore(res);
    if (f.website) {
      // The honeypot: people never see the field, bots fill it. They get an answer that looks like
      // success (so they learn nothing to adapt to) and nothing is created.
      d.logger.warn('web form: honeypot filled, nothing created', { ip: clientIp(req), tenantId: c.id });
      const fake: WebFormAnswer = { number: `${d.clock.now().getUTCFullYear()}-${String(randomInt(1, 999_999)).padStart(6, '0')}`, statusUrl: `/s/${randomBytes(24).toString('base64url')}`, company: c.name };
      return void res.status(201).json(fake);
    }
    const got = await d.intake.accept({
      channel: 'web', tenantId: c.id, categoryId: f.categoryId, buildingId: f.buildingId, flat: f.flat, description: f.description,
      contact: { name: f.name, phone: f.phone, email: f.email },
      attachments: files.map((x) => ({ filename: x.originalname, bytes: x.buffer })),
    });
    const answer: WebFormAnswer = { number: got.number, statusUrl: got.statusUrl, company: c.name };
    res.status(201).json(answer);
  });

  r.get('/api/public/status/:token', (req, res) => {
    const id = byToken(req.params.token);
    noStore(res);
    res.json({ request: statusView(d.status, id) });
  });

  r.post('/api/public/status/:token/rating', async (req, res) => {
    const id = byToken(req.params.token);
    const b = parse(ratingFormSchema, req.body ?? {});
    await limited(res, () => d.limits.searched(clientIp(req)));
    const out = d.feedback.rate(id, { score: b.score as 1 | 2 | 3 | 4 | 5, comment: b.comment, questionsLeft: b.questionsLeft, channel: 'web' });
    noStore(res);
    res.status(201).json({ ...out, request: statusView(d.status, id) });
  });

  r.post('/api/public/status/:token/messages', async (req, res) => {
    const id = byToken(req.params.token);
    const b = parse(residentMessageSchema, req.body ?? {});
    await limited(res, () => d.limits.searched(clientIp(req)));
    const t = d.status.tickets.get(id)!;
    d.intake.addMessage(id, { direction: 'in', channel: 'web', body: b.text, author: t.callerName });
    noStore(res);
    res.status(201).json({ request: statusView(d.status, id) });
  });

  return r;
}
