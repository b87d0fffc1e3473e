// The API's description of the console's tickets (see src/http/openapi/registry.ts).
import { apiSection, pathId } from '../../http/openapi/registry.js';
import { createBody, listQuery } from './routes.js';

export const ticketsApi = apiSection('Заявки (карточка звонка)', [
  { method: 'get', path: '/api/ticket-categories', summary: 'Категории заявок для формы', access: 'user' },
  { method: 'post', path: '/api/tickets', summary: 'Зарегистрировать заявку из карточки звонка', access: 'user', body: createBody, status: 201 },
  { method: 'get', path: '/api/tickets', summary: 'Заявки по лицевому счёту или статусу', access: 'user', query: listQuery },
  { method: 'get', path: '/api/tickets/:id', summary: 'Заявка', access: 'user', params: { id: pathId } },
  { method: 'post', path: '/api/tickets/:id/close', summary: 'Закрыть заявку', access: 'user', params: { id: pathId } },
]);
