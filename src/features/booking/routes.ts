// Online booking over HTTP. Public (the residents' web form; rate-limited
// per address, answers only times, never who): the bookable categories, the
// free slots of a building, booking a visit together with the request.
// Staff (the request's company only): the request's visit, the slots it may
// move to, reschedule and cancel (both free the old slot); admins mark which
// categories need a visit and for how long.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import { uploadParser } from '../attachments/routes.js';
import { webFormSchema } from '../../channels/web/schema.js';
import { formOff } from '../../channels/web/routes.js';
import type { BookingRepository } from './repository.js';
import type { BookingService } from './service.js';

const id = z.coerce.number().int().positive();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const isoInstant = z.iso.datetime({ offset: true, message: 'время в формате ISO 8601' });

export const slotsQuery = z.object({ tenantId: id, buildingId: id, categoryId: id, from: date.optional(), days: z.coerce.number().int().min(1).max(60).default(7) }).strict();
export const staffSlotsQuery = z.object({ from: date.optional(), days: z.coerce.number().int().min(1).max(60).default(7) }).strict();

export const bookBody = z.object({
  tenantId: z.number().int().positive(),
  buildingId: z.number().int().positive(),
  categoryId: z.number().int().positive(),
  start: isoInstant,
  description: z.string().trim().min(3, 'опишите, что нужно сделать (не короче 3 символов)').max(4000),
  flat: z.string().trim().max(20).nullable().optional(),
  contact: z.object({
    name: z.string().trim().max(200).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    email: z.email('неверный адрес почты').max(200).nullable().optional(),
  }).strict(),
  // Honeypot: a field people never see; a bot filling it is refused.
  website: z.string().max(0, 'недопустимое поле').optional(),
}).strict().superRefine((b, ctx) => {
  const phone = b.contact.phone ? normalizePhone(b.contact.phone) : null;
  if (b.contact.phone && (!phone || phone.length < 10)) ctx.addIssue({ code: 'custom', path: ['contact', 'phone'], message: 'неверный номер телефона' });
  if (!b.contact.phone && !b.contact.email) ctx.addIssue({ code: 'custom', path: ['contact'], message: 'укажите телефон или почту для связи' });
});

/** The residents' web form (multipart, its own fields: src/channels/web/schema.ts) with the chosen visit start. */
export const webBookingForm = webFormSchema.extend({ start: isoInstant });

export const moveBody = z.object({ start: isoInstant }).strict();
export const visitBody = z.object({ needsVisit: z.boolean(), visitMinutes: z.number().int().min(15).max(480).nullable() }).strict();

const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);

/** `formOpen`: whether the company takes requests by the residents' web form (off: its booking is a 404 too). */
export function publicBookingRoutes(service: BookingService, repo: BookingRepository, o: { ratePerMin: number; maxBytes: number; maxPhotos: number; formOpen?: (tenantId: number) => boolean }): Router {
  const open = (tenantId: number) => {
    if (o.formOpen && !o.formOpen(tenantId)) throw formOff();
    return tenantId;
  };
  const r = Router();
  const limiter = new RateLimiterMemory({ keyPrefix: 'booking-ip', points: o.ratePerMin, duration: 60 });
  const limited = async (req: Request, res: Response, next: NextFunction) => {
    try {
      await limiter.consume(req.ip ?? '?');
      next();
    } catch (err) {
      if (err instanceof Error) return next(err);
      res.status(429).json({ error: { code: 'rate_limited', message: 'слишком много запросов: попробуйте через минуту' } });
    }
  };

  r.get('/api/public/booking/categories', limited, (_req, res) => {
    res.json({ items: repo.visitCategories().map((c) => ({ id: c.id, name: c.name, visitMinutes: c.visitMinutes ?? 60 })) });
  });

  r.get('/api/public/slots', limited, (req, res) => {
    const q = parse(slotsQuery, req.query, 'query');
    res.json(service.slots(open(q.tenantId), q.buildingId, q.categoryId, q.from, q.days));
  });

  r.post('/api/public/bookings', limited, async (req, res) => {
    const b = parse(bookBody, req.body);
    open(b.tenantId);
    const phone = b.contact.phone ? normalizePhone(b.contact.phone) : null;
    const done = await service.book({
      tenantId: b.tenantId, buildingId: b.buildingId, categoryId: b.categoryId, start: b.start, description: b.description, flat: b.flat ?? null,
      contact: { name: b.contact.name ?? null, phone, email: b.contact.email ?? null },
    });
    res.status(201).json({ number: done.request.number, statusUrl: done.request.statusUrl, visit: done.visit });
  });

  // The residents' web form with a visit chosen in its slot picker: the form's fields and photos, plus `start`.
  r.post('/api/public/web/:tenantId/bookings', limited, uploadParser(o.maxBytes), async (req, res) => {
    const tenantId = open(parse(id, req.params.tenantId, 'tenantId'));
    const f = parse(webBookingForm, req.body ?? {});
    if (f.website) throw new ApiError(400, 'invalid_input', 'website: недопустимое поле', [{ field: 'website', problem: 'недопустимое поле' }]);
    const files = (req.files ?? []) as Express.Multer.File[];
    if (files.length > o.maxPhotos) throw new ApiError(413, 'too_many_files', `at most ${o.maxPhotos} photos`, [{ field: 'files', problem: `не больше ${o.maxPhotos} фото` }]);
    const done = await service.book({
      tenantId, buildingId: f.buildingId, categoryId: f.categoryId, start: f.start, description: f.description, flat: f.flat,
      contact: { name: f.name, phone: f.phone, email: f.email }, attachments: files.map((x) => ({ filename: x.originalname, bytes: x.buffer })),
    });
    res.status(201).json({ number: done.request.number, statusUrl: done.request.statusUrl, visit: done.visit });
  });
  return r;
}

export function staffBookingRoutes(service: BookingService, repo: BookingRepository): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor', 'operator');
  /** The request, if the user's companies include it (404 otherwise). */
  const scoped = (user: User, raw: unknown) => {
    const t = repo.ticket(parse(id, raw, 'id'));
    if (!t || !inScope(user, t.tenantId)) throw notFound('request');
    return t;
  };

  r.get('/api/requests/:id/booking', staff, (req, res) => {
    const t = scoped(currentUser(req), req.params.id);
    res.json({ visit: service.visit(t.id) });
  });

  r.get('/api/requests/:id/booking/slots', staff, (req, res) => {
    const t = scoped(currentUser(req), req.params.id);
    const q = parse(staffSlotsQuery, req.query, 'query');
    res.json(service.slotsFor(t.id, q.from, q.days));
  });

  r.put('/api/requests/:id/booking', staff, (req, res) => {
    const user = currentUser(req);
    const t = scoped(user, req.params.id);
    const b = parse(moveBody, req.body);
    res.json({ visit: service.reschedule(t.id, b.start, user.id) });
  });

  r.delete('/api/requests/:id/booking', staff, (req, res) => {
    const user = currentUser(req);
    const t = scoped(user, req.params.id);
    service.cancel(t.id, user.id);
    res.status(204).end();
  });

  r.put('/api/categories/:id/visit', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const b = parse(visitBody, req.body);
    const cat = repo.category(catId);
    if (!cat) throw notFound('category');
    if (b.needsVisit && cat.kind === 'emergency') throw new ApiError(400, 'invalid_input', 'needsVisit: an emergency-only category is not booked online', [{ field: 'needsVisit', problem: 'аварийные заявки не записываются на время' }]);
    repo.setVisit(catId, b.needsVisit, b.visitMinutes);
    res.json({ categoryId: catId, needsVisit: b.needsVisit, visitMinutes: b.visitMinutes });
  });
  return r;
}
