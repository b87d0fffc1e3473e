// The API's description of the call log, transfers and recordings (see src/http/openapi/registry.ts).
import { apiSection } from '../../http/openapi/registry.js';
import { callbacksQuery, listQuery, transferBody } from './routes.js';

export const callsApi = apiSection('Звонки', [
  { method: 'get', path: '/api/calls', summary: 'Журнал звонков линий своих компаний', access: 'user', query: listQuery },
  { method: 'get', path: '/api/calls/:id', summary: 'Звонок', access: 'user' },
  { method: 'post', path: '/api/calls/:id/transfer', summary: 'Перевести звонок оператору (внутренний номер) или на внешний номер', access: 'user', body: transferBody },
  { method: 'get', path: '/api/calls/:id/recording', summary: 'Запись разговора (WAV): с токеном или по подписанной ссылке (?exp=…&sig=…)', access: 'user', produces: 'audio/wav' },
  { method: 'get', path: '/api/calls/:id/recording-url', summary: 'Подписанная ссылка на запись для плеера', access: 'user' },
  { method: 'get', path: '/api/callbacks', summary: 'Задачи обратного звонка', access: 'user', query: callbacksQuery },
]);
