// The API's description of the audit log (see src/http/openapi/registry.ts).
import { STAFF, apiSection } from '../../http/openapi/registry.js';
import { query } from './routes.js';

export const auditApi = apiSection('Журнал изменений', [
  { method: 'get', path: '/api/audit', summary: 'Кто, когда и что изменил (до и после)', access: STAFF, query },
]);
