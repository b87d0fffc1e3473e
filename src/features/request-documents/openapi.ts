// The API's description of the printable request and its templates (see src/http/openapi/registry.ts).
import { ADMIN, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { previewBody, templateBody } from './routes.js';

export const requestDocumentsApi = apiSection('Бланк заявки (PDF)', [
  { method: 'get', path: '/api/requests/:id/document.pdf', summary: 'Бланк заявки в PDF', access: 'user', params: { id: pathId }, produces: 'application/pdf' },
  { method: 'get', path: '/api/requests/:id/documents', summary: 'Сохранённые бланки заявки', access: 'user', params: { id: pathId } },
  { method: 'get', path: '/api/document-templates/:tenantId', summary: 'Шаблон бланка компании', access: STAFF, params: { tenantId: pathId } },
  { method: 'put', path: '/api/document-templates/:tenantId', summary: 'Сохранить шаблон бланка', access: ADMIN, params: { tenantId: pathId }, body: templateBody },
  { method: 'delete', path: '/api/document-templates/:tenantId', summary: 'Вернуть шаблон по умолчанию', access: ADMIN, params: { tenantId: pathId } },
  { method: 'post', path: '/api/document-templates/:tenantId/preview', summary: 'Предпросмотр шаблона в PDF', access: ADMIN, params: { tenantId: pathId }, body: previewBody, produces: 'application/pdf' },
]);
