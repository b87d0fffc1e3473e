// The API's description of itself (see src/http/openapi/registry.ts).
import { apiSection } from '../../http/openapi/registry.js';

export const apiDocsApi = apiSection('Описание API', [
  { method: 'get', path: '/api/openapi.json', summary: 'Это описание в формате OpenAPI 3.1 (нужен вход, любая роль)', access: 'user' },
  { method: 'get', path: '/api/docs/', summary: 'Страница с описанием API (данные берёт из /api/openapi.json после входа)', access: 'public', produces: 'text/html' },
]);
