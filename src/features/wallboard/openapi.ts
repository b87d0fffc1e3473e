// The API's description of the supervisor's wallboard and supervision (see src/http/openapi/registry.ts).
import { STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { assignBody, superviseBody } from './routes.js';

export const wallboardApi = apiSection('Табло супервизора', [
  { method: 'get', path: '/api/wallboard', summary: 'Снимок табло: очереди, операторы, показатели', access: STAFF },
  { method: 'post', path: '/api/callbacks/:id/assign', summary: 'Поручить обратный звонок оператору', access: STAFF, params: { id: pathId }, body: assignBody },
  { method: 'post', path: '/api/callbacks/:id/done', summary: 'Отметить обратный звонок выполненным', access: 'user', params: { id: pathId } },
  { method: 'post', path: '/api/supervise', summary: 'Прослушать, подсказать или вмешаться в разговор', access: STAFF, body: superviseBody, status: 201 },
  { method: 'get', path: '/api/supervise', summary: 'Текущие сеансы прослушивания', access: STAFF },
  { method: 'delete', path: '/api/supervise/:sessionId', summary: 'Закончить прослушивание', access: STAFF, status: 204 },
]);
