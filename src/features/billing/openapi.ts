// The API's description of the billing link and push (see src/http/openapi/registry.ts).
import { ADMIN, DESK, apiSection, pathId } from '../../http/openapi/registry.js';
import { failedQuery, linkQuery, settingsBody } from './routes.js';

const id = { id: pathId };

export const billingApi = apiSection('Биллинг: ссылка и передача заявок', [
  { method: 'get', path: '/api/tenants/:id/billing', summary: 'Настройки биллинга компании и ключ подписи', access: ADMIN, params: id },
  { method: 'put', path: '/api/tenants/:id/billing', summary: 'Изменить шаблон ссылки и адрес передачи в биллинг', access: ADMIN, params: id, body: settingsBody },
  { method: 'get', path: '/api/billing/link', summary: 'Ссылка на лицевой счёт в биллинге', access: DESK, query: linkQuery },
  { method: 'get', path: '/api/requests/:id/billing-link', summary: 'Ссылка на лицевой счёт заявки в биллинге', access: DESK, params: id },
  { method: 'get', path: '/api/billing-push/failed', summary: 'Неудавшиеся передачи в биллинг', access: ADMIN, query: failedQuery },
  { method: 'post', path: '/api/billing-push/:id/retry', summary: 'Повторить передачу в биллинг', access: ADMIN, params: id },
]);
