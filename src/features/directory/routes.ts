// HTTP API of the directory: search-as-you-type, one account, and the CSV
// import (admin only). Mounted after authentication; every read is scoped to
// the management companies of the user (admins see all).
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import { importFields, ImportMappingError, type ImportMapping, type ImportReport } from './import.js';
import { searchDefaults, type DirectoryService } from './service.js';
import { CsvError } from './csv.js';
import { ImportTracker } from './import-status.js';

export const searchQuery = z.object({
  q: z.string({ error: 'q: введите от 1 до 100 символов' }).trim().min(1, 'q: введите от 1 до 100 символов').max(100, 'q: не длиннее 100 символов'),
  limit: z.coerce.number().int().min(1).max(searchDefaults.maxLimit).default(searchDefaults.limit),
});

const mappingSchema = z.partialRecord(z.enum(importFields), z.string().min(1).max(200));
export const importQuery = z.object({
  /** JSON object: our field → the CSV header, e.g. {"accountNumber":"ЛС","holderName":"ФИО"}. */
  mapping: z.string().optional().transform((v, ctx) => {
    if (!v) return undefined;
    try {
      const r = mappingSchema.safeParse(JSON.parse(v));
      if (r.success) return r.data as ImportMapping;
      ctx.addIssue({ code: 'custom', message: `mapping: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'mapping: не JSON-объект' });
    }
    return z.NEVER;
  }),
  encoding: z.string().max(40).optional(),
  delimiter: z.enum([';', ',', '\t']).optional(),
  tenant: z.string().trim().min(1).max(200).optional(),
}).catchall(z.string());

/** Largest import body (bytes). */
export const maxImportBytes = 200 * 1024 * 1024;

/** The request body as a byte stream, failing with 413 past the limit. */
async function* bodyStream(req: Request, limit: number): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.byteLength;
    if (n > limit) throw new ApiError(413, 'too_large', `файл больше ${Math.round(limit / 1024 / 1024)} МБ`);
    yield chunk;
  }
}

export function directoryRoutes(service: DirectoryService): Router {
  const r = Router();
  const imports = new ImportTracker();

  r.get('/api/accounts/search', (req, res) => {
    const q = parse(searchQuery, req.query, 'query');
    res.json({ items: service.searchAccounts(q.q, { limit: q.limit, tenantIds: currentUser(req).tenantIds }) });
  });

  r.get('/api/accounts/by-phone/:phone', (req, res) => {
    res.json({ items: service.lookupByPhone(req.params.phone, currentUser(req).tenantIds) });
  });

  r.get('/api/accounts/:accountNumber', (req, res) => {
    const account = service.accountByNumber(req.params.accountNumber, currentUser(req).tenantIds);
    if (!account) throw notFound('account');
    res.json(account);
  });

  // The body is streamed straight into the importer (not buffered), so a
  // 200 MB export costs a few MB of memory. Send it as text/csv.
  r.post('/api/directory/import', requireRole('admin'), async (req, res) => {
    const q = parse(importQuery, req.query, 'query');
    const type = req.header('content-type') ?? '';
    if (!/^(text\/csv|text\/plain|application\/octet-stream)\b/i.test(type)) {
      throw new ApiError(415, 'unsupported_media_type', 'отправьте файл CSV с Content-Type: text/csv');
    }
    const charset = /charset=([\w-]+)/i.exec(type)?.[1];
    const totalBytes = Number(req.header('content-length')) || null;
    const job = imports.start(currentUser(req).login, totalBytes);
    if (!job) throw new ApiError(409, 'import_running', 'импорт уже идёт, дождитесь его окончания');
    let report: ImportReport;
    try {
      report = await service.importCsv(bodyStream(req, maxImportBytes), {
        mapping: q.mapping,
        encoding: q.encoding ?? charset ?? 'utf-8',
        delimiter: q.delimiter,
        defaultTenant: q.tenant,
        totalBytes,
        onProgress: (p) => imports.progress(p),
      });
    } catch (err) {
      imports.fail(err instanceof Error ? err.message : String(err));
      if (err instanceof ImportMappingError) throw new ApiError(400, 'bad_header', err.message, { missing: err.missing, header: err.header });
      if (err instanceof CsvError) throw new ApiError(400, 'bad_csv', `строка ${err.line}: ${err.message}`);
      throw err;
    }
    imports.finish(report);
    res.setHeader('x-import-id', job.id);
    res.json(report);
  });

  // The import under way (or the last one): rows and bytes read so far, then its report.
  r.get('/api/directory/import/status', requireRole('admin'), (_req, res) => {
    res.json({ import: imports.status() });
  });

  return r;
}
