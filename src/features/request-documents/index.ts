// The request documents feature, wired: fonts, templates, the stage rule's generator, routes.
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import type { PdfFonts } from '../../documents/pdf.js';
import { DocumentRepository } from './repository.js';
import { requestDocumentRoutes, type DocumentRouteDeps } from './routes.js';
import { RequestDocumentService, type StoreAttachment } from './service.js';

export { RequestDocumentService };

export function attachRequestDocuments(o: {
  db: Db; clock: Clock; timeZone: string; fonts: PdfFonts; store: StoreAttachment;
  stageName: (tenantId: number, kind: 'emergency' | 'planned', code: string) => string;
  requestState: DocumentRouteDeps['requestState']; tenantExists: (id: number) => boolean;
}) {
  const service = new RequestDocumentService(new DocumentRepository(o.db), o.fonts, o.clock, o.timeZone, o.store, o.stageName);
  return { service, routes: requestDocumentRoutes({ documents: service, requestState: o.requestState, tenantExists: o.tenantExists }) };
}
