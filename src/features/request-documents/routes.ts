// The «Заявка» over HTTP: a request's PDF on demand and its stored documents
// (the request's companies; an executor: their own requests), and the
// companies' templates (read: admins and supervisors of the company; write,
// preview, reset: admins).
import { Router, type Response } from 'express';
import { z } from 'zod';
import { notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import { inScope, visible } from '../requests/routes.js';
import type { RequestDocumentService } from './service.js';
import { placeholders, templateSchema } from './template.js';

const id = z.coerce.number().int().positive();

export interface DocumentRouteDeps {
  documents: RequestDocumentService;
  requestState: (id: number) => { id: number; tenantId: number; assigneeId: number | null } | null;
  tenantExists: (id: number) => boolean;
}

/** `filename` for Content-Disposition: an ASCII fallback plus the UTF-8 name (RFC 6266 / 5987). */
const disposition = (name: string) => `inline; filename="${name.replace(/[^A-Za-z0-9._ -]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

function sendPdf(res: Response, pdf: Buffer, name: string): void {
  res.set({ 'content-type': 'application/pdf', 'content-disposition': disposition(name), 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
  res.send(pdf);
}

export const templateBody = z.object({ template: templateSchema }).strict();
export const previewBody = z.object({ template: templateSchema, requestNumber: z.string().trim().min(1).max(30).optional() }).strict();

export function requestDocumentRoutes(d: DocumentRouteDeps): Router {
  const r = Router();
  const request = (user: User, raw: unknown) => {
    const s = d.requestState(parse(id, raw, 'id'));
    if (!s || !visible(user, s)) throw notFound('request');
    return s;
  };
  const company = (user: User, raw: unknown) => {
    const tenantId = parse(id, raw, 'tenantId');
    if (!inScope(user, tenantId) || !d.tenantExists(tenantId)) throw notFound('company');
    return tenantId;
  };

  r.get('/api/requests/:id/document.pdf', async (req, res) => {
    const s = request(currentUser(req), req.params.id);
    const { pdf, name } = await d.documents.render(s.id, s.tenantId);
    sendPdf(res, pdf, name);
  });

  r.get('/api/requests/:id/documents', (req, res) => {
    const s = request(currentUser(req), req.params.id);
    res.setHeader('cache-control', 'private, no-store');
    res.json({ documents: d.documents.documents(s.id) });
  });

  r.get('/api/document-templates/:tenantId', requireRole('admin', 'supervisor'), (req, res) => {
    const tenantId = company(currentUser(req), req.params.tenantId);
    res.json({ tenantId, ...d.documents.template(tenantId), placeholders });
  });

  r.put('/api/document-templates/:tenantId', requireRole('admin'), (req, res) => {
    const user = currentUser(req);
    const tenantId = company(user, req.params.tenantId);
    const b = parse(templateBody, req.body);
    d.documents.saveTemplate(tenantId, b.template, user.id);
    res.json({ tenantId, ...d.documents.template(tenantId), placeholders });
  });

  r.delete('/api/document-templates/:tenantId', requireRole('admin'), (req, res) => {
    const tenantId = company(currentUser(req), req.params.tenantId);
    d.documents.resetTemplate(tenantId);
    res.json({ tenantId, ...d.documents.template(tenantId), placeholders });
  });

  /** The editor's «Предпросмотр»: an unsaved template filled with a request's data (by its number, optional) or made-up values. */
  r.post('/api/document-templates/:tenantId/preview', requireRole('admin'), async (req, res) => {
    const user = currentUser(req);
    const tenantId = company(user, req.params.tenantId);
    const b = parse(previewBody, req.body);
    let requestId: number | null = null;
    if (b.requestNumber !== undefined) {
      const found = d.documents.requestByNumber(tenantId, b.requestNumber);
      const s = found !== null ? d.requestState(found) : null;
      if (!s || s.tenantId !== tenantId || !visible(user, s)) throw notFound('request');
      requestId = s.id;
    }
    sendPdf(res, await d.documents.preview(tenantId, b.template, requestId), 'Предпросмотр.pdf');
  });

  return r;
}
