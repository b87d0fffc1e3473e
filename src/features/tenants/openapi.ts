// The API's description of management companies (see src/http/openapi/registry.ts).
import { ADMIN, apiSection, pathId } from '../../http/openapi/registry.js';
import { body } from './routes.js';

export const tenantsApi = apiSection('Управляющие компании', [
  { method: 'get', path: '/api/tenants', summary: 'Компании', access: ADMIN },
  { method: 'post', path: '/api/tenants', summary: 'Новая компания', access: ADMIN, body, status: 201 },
  { method: 'patch', path: '/api/tenants/:id', summary: 'Переименовать компанию', access: ADMIN, params: { id: pathId }, body },
]);
