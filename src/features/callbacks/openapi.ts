// The API's description of outbound calls placed by Pult (see src/http/openapi/registry.ts).
import { apiSection, pathId } from '../../http/openapi/registry.js';
import { dialBody, outboundBody } from './routes.js';

export const callbacksApi = apiSection('Исходящие и обратные звонки', [
  { method: 'post', path: '/api/calls/dial', summary: 'Набрать номер с софтфона оператора', access: 'user', body: dialBody, status: 202 },
  { method: 'post', path: '/api/calls/outbound', summary: 'Исходящий звонок через Пульт: сначала оператору, затем абоненту', access: 'user', body: outboundBody, status: 202 },
  { method: 'post', path: '/api/callbacks/:id/call', summary: 'Перезвонить по задаче обратного звонка', access: 'user', params: { id: pathId }, status: 202 },
  { method: 'get', path: '/api/callbacks/:id', summary: 'Задача обратного звонка с попытками', access: 'user', params: { id: pathId } },
]);
