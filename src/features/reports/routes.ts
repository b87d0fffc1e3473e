// The reports' HTTP side, for supervisors (their companies) and admins (all):
//   GET /api/reports/companies
//   GET /api/reports/requests?from&to&tenantId&by=company|category|executor|building|channel|day
//   GET /api/reports/calls?from&to&tenantId&by=hour|day|line
//   GET /api/reports/executors?from&to&tenantId
//   GET /api/reports/complaints?from&to&tenantId&limit
//   GET /api/reports/compliance?tenantId&month=YYYY-MM  (and .pdf, .xlsx)
//   GET /api/reports/snapshots?tenantId&kind&limit, GET /api/reports/snapshots/:id
// from/to are local dates (PULT_TIMEZONE), both included, at most a year apart.
import type { PdfFonts } from '../../documents/pdf.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import { periodDays, type Period } from '../../domain/report-figures.js';
import { CALL_DIMENSIONS, REQUEST_DIMENSIONS } from './repository.js';
import type { ReportService } from './service.js';
import { compliancePdf, complianceXlsx } from './compliance-docs.js';

export const MAX_PERIOD_DAYS = 366;

const isDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine(isDate, 'not a calendar date');
const id = z.coerce.number().int().positive();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

const periodShape = { from: date, to: date, tenantId: id.optional() };
const checkPeriod = (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  if (!isDate(q.from) || !isDate(q.to)) return;
  if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (periodDays(q) > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is at most one year (${MAX_PERIOD_DAYS} days)` });
};
export const requestsQuery = z.object({ ...periodShape, by: z.enum(REQUEST_DIMENSIONS).default('company') }).strict().superRefine(checkPeriod);
export const callsQuery = z.object({ ...periodShape, by: z.enum(CALL_DIMENSIONS).default('day') }).strict().superRefine(checkPeriod);
export const executorsQuery = z.object(periodShape).strict().superRefine(checkPeriod);
export const complaintsQuery = z.object({ ...periodShape, limit: z.coerce.number().int().min(1).max(100).default(10) }).strict().superRefine(checkPeriod);
export const complianceQuery = z.object({ tenantId: id, month }).strict();
export const snapshotsQuery = z.object({ tenantId: id.optional(), kind: z.enum(['daily', 'weekly']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

export function reportRoutes(service: ReportService, fonts: PdfFonts): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor');

  /** The companies a report covers: the one asked for (404 when it is not the viewer's), or all of the viewer's. */
  const scope = (req: Request, tenantId: number | undefined): number[] => {
    const mine = service.companies(currentUser(req).tenantIds).map((t) => t.id);
    if (tenantId === undefined) return mine;
    if (!mine.includes(tenantId)) throw notFound('company');
    return [tenantId];
  };
  const company = (req: Request, tenantId: number) => {
    const t = service.companies(currentUser(req).tenantIds).find((x) => x.id === tenantId);
    if (!t) throw notFound('company');
    return t;
  };
  const period = (q: Period): Period => ({ from: q.from, to: q.to });

  r.get('/api/reports/companies', staff, (req, res) => {
    res.json({ items: service.companies(currentUser(req).tenantIds), timeZone: service.timeZone });
  });

  r.get('/api/reports/requests', staff, (req, res) => {
    const q = parse(requestsQuery, req.query, 'query');
    res.json(service.requests(period(q), scope(req, q.tenantId), q.by));
  });

  r.get('/api/reports/calls', staff, (req, res) => {
    const q = parse(callsQuery, req.query, 'query');
    res.json(service.calls(period(q), scope(req, q.tenantId), q.by));
  });

  r.get('/api/reports/executors', staff, (req, res) => {
    const q = parse(executorsQuery, req.query, 'query');
    res.json({ period: period(q), items: service.executors(period(q), scope(req, q.tenantId)) });
  });

  r.get('/api/reports/complaints', staff, (req, res) => {
    const q = parse(complaintsQuery, req.query, 'query');
    res.json(service.complaints(period(q), scope(req, q.tenantId), q.limit));
  });

  r.get('/api/reports/compliance', staff, (req, res) => {
    const q = parse(complianceQuery, req.query, 'query');
    res.json(service.compliance(company(req, q.tenantId), q.month));
  });

  const fileName = (tenantId: number, m: string, ext: string) => `attachment; filename="compliance-416-${tenantId}-${m}.${ext}"`;

  r.get('/api/reports/compliance.pdf', staff, async (req, res) => {
    const q = parse(complianceQuery, req.query, 'query');
    const pdf = await compliancePdf(service.compliance(company(req, q.tenantId), q.month), fonts);
    res.type('application/pdf').setHeader('content-disposition', fileName(q.tenantId, q.month, 'pdf'));
    res.send(pdf);
  });

  r.get('/api/reports/compliance.xlsx', staff, async (req, res) => {
    const q = parse(complianceQuery, req.query, 'query');
    const xlsx = await complianceXlsx(service.compliance(company(req, q.tenantId), q.month));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').setHeader('content-disposition', fileName(q.tenantId, q.month, 'xlsx'));
    res.send(xlsx);
  });

  r.get('/api/reports/snapshots', staff, (req, res) => {
    const q = parse(snapshotsQuery, req.query, 'query');
    res.json({ items: service.snapshots.list(scope(req, q.tenantId), q.kind ?? null, q.limit) });
  });

  r.get('/api/reports/snapshots/:id', staff, (req, res) => {
    const snapshotId = parse(id, req.params.id, 'id');
    const s = service.snapshots.get(snapshotId);
    if (!s || !service.companies(currentUser(req).tenantIds).some((t) => t.id === s.tenantId)) throw notFound('snapshot');
    res.json(s);
  });

  return r;
}
