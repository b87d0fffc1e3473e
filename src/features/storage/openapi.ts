// The API's description of the storage overview and recording retention (see src/http/openapi/registry.ts).
import { ADMIN, apiSection } from '../../http/openapi/registry.js';
import { retentionBody, tenantParam } from './routes.js';

export const storageApi = apiSection('Хранилище и резервные копии', [
  { method: 'get', path: '/api/admin/storage', summary: 'Место на диске, база, записи, резервные копии', access: ADMIN },
  { method: 'put', path: '/api/admin/tenants/:id/recording-retention', summary: 'Срок хранения записей компании', access: ADMIN, params: tenantParam.shape, body: retentionBody },
]);
