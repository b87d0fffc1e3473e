// Journal API («Журнал»): the screen's pages, the period as XLSX or CSV
// (streamed), and the monthly archive (list, verified download, an admin's
// export of a past month). Dispatchers, supervisors and admins, within their
// companies; another company's journal or export is a 404.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { JournalArchive } from './archive.js';
import type { JournalExport } from './repository.js';
import type { JournalPeriod, JournalService } from './service.js';
import { localDate, monthRange } from './time.js';
import type { JournalFormat } from './writers.js';

const id = z.coerce.number().int().positive();
const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const MAX_DAYS = 366;

const periodQuery = z.object({ tenantId: id, from: day.optional(), to: day.optional() });
export const pageQuery = periodQuery.extend({
  cursor: z.string().regex(/^[0-9T:.\-Z]+\|\d+$/, 'the `next` value of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();
export const exportBody = z.object({ tenantId: z.number().int().positive(), period: month }).strict();

const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);

/** A stable view of an export for the list (no server paths). */
const view = (e: JournalExport) => ({ id: e.id, tenantId: e.tenantId, tenantName: e.tenantName, period: e.period, format: e.format, sha256: e.sha256, size: e.size, rows: e.rows, createdAt: e.createdAt, auto: e.createdBy === null, url: `/api/journal/exports/${e.id}` });

const contentTypes: Record<JournalFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export const downloadQuery = periodQuery.strict();
export const exportsQuery = z.object({ tenantId: id.optional() }).strict();

export function journalRoutes(journal: JournalService, archive: JournalArchive): Router {
  const r = Router();
  const readers = requireRole('admin', 'supervisor', 'operator');

  /** The company (in the user's scope, else 404) and the local days asked for (default: this month). */
  const period = (req: Request, q: z.infer<typeof periodQuery>): JournalPeriod => {
    const user = currentUser(req);
    if (!inScope(user, q.tenantId) || journal.repo.tenantName(q.tenantId) === null) throw notFound('company');
    const today = localDate(journal.now(), journal.timeZone);
    const m = monthRange(today.slice(0, 7), journal.timeZone);
    const fromDay = q.from ?? m.firstDay;
    const toDay = q.to ?? (q.from && q.from > m.lastDay ? q.from : m.lastDay);
    if (fromDay > toDay) throw new ApiError(400, 'invalid_input', 'invalid query: from: must not be after `to`', [{ field: 'from', problem: 'must not be after `to`' }]);
    const days = (Date.parse(toDay) - Date.parse(fromDay)) / 86_400_000 + 1;
    if (days > MAX_DAYS) throw new ApiError(400, 'invalid_input', `invalid query: to: a journal covers at most ${MAX_DAYS} days`, [{ field: 'to', problem: `at most ${MAX_DAYS} days from \`from\`` }]);
    return { tenantId: q.tenantId, fromDay, toDay };
  };
  const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  // The companies whose journal this user may read (the screen's company pick).
  r.get('/api/journal/companies', readers, (req, res) => {
    const user = currentUser(req);
    res.json({ items: journal.repo.tenants().filter((t) => inScope(user, t.id)), timeZone: journal.timeZone, currentPeriod: archive.currentPeriod() });
  });

  r.get('/api/journal', readers, (req, res) => {
    const q = parse(pageQuery, req.query, 'query');
    const p = period(req, q);
    const [createdAt, after] = q.cursor ? q.cursor.split('|') : [];
    res.json(journal.page(p, q.limit, createdAt ? { createdAt, id: Number(after) } : undefined, origin(req)));
  });

  for (const format of ['xlsx', 'csv'] as const) {
    r.get(`/api/journal.${format}`, readers, async (req, res) => {
      const q = parse(downloadQuery, req.query, 'query');
      const p = period(req, q);
      res.setHeader('content-type', contentTypes[format]);
      res.setHeader('cache-control', 'private, no-store');
      res.attachment(journal.fileName(p.tenantId, p.fromDay, p.toDay, format));
      res.type(contentTypes[format]);
      try {
        await journal.write(format, res, p, origin(req));
      } catch (err) {
        // Past the headers an error can only cut the download short.
        if (!res.headersSent) throw err;
        res.destroy(err as Error);
      }
    });
  }

  r.get('/api/journal/exports', readers, (req, res) => {
    const user = currentUser(req);
    const q = parse(exportsQuery, req.query, 'query');
    if (q.tenantId !== undefined && !inScope(user, q.tenantId)) throw notFound('company');
    res.json({ items: journal.repo.listExports(user.tenantIds, q.tenantId).map(view) });
  });

  r.get('/api/journal/exports/:id', readers, (req, res) => {
    const user = currentUser(req);
    const e = journal.repo.getExport(parse(id, req.params.id, 'id'));
    if (!e || !inScope(user, e.tenantId)) throw notFound('export');
    const bytes = archive.read(e);
    const m = monthRange(e.period, journal.timeZone);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-sha256', e.sha256);
    res.attachment(journal.fileName(e.tenantId, m.firstDay, m.lastDay, e.format));
    res.type(contentTypes[e.format]);
    res.send(bytes);
  });

  r.post('/api/journal/exports', requireRole('admin'), async (req, res) => {
    const user = currentUser(req);
    const b = parse(exportBody, req.body);
    if (journal.repo.tenantName(b.tenantId) === null) throw notFound('company');
    const current = archive.currentPeriod();
    if (b.period >= current) throw new ApiError(400, 'invalid_input', `invalid body: period: only a past month can be archived (the current month is ${current})`, [{ field: 'period', problem: `only a month before ${current}` }]);
    const done = await archive.exportPeriod(b.tenantId, b.period, user.id);
    res.status(done.some((d) => d.created) ? 201 : 200).json({ items: done.map((d) => ({ ...view(d.export), created: d.created })) });
  });

  return r;
}
