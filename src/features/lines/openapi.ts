// The API's description of lines and overflow groups (see src/http/openapi/registry.ts).
import { ADMIN, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { entryMenuBody, holidaysBody, linePatchBody, newLineBody } from './routes.js';
import { groupBody } from './overflow-routes.js';

const id = { id: pathId };

export const linesApi = apiSection('Линии', [
  { method: 'get', path: '/api/lines', summary: 'Линии своих компаний', access: STAFF },
  { method: 'post', path: '/api/lines', summary: 'Новая линия с номерами (DID)', access: STAFF, body: newLineBody, status: 201 },
  { method: 'get', path: '/api/lines/:id', summary: 'Линия', access: STAFF, params: id },
  { method: 'patch', path: '/api/lines/:id', summary: 'Изменить линию: номера, таймауты, часы работы…', access: STAFF, params: id, body: linePatchBody },
  { method: 'get', path: '/api/lines/:id/holidays', summary: 'Праздничные дни линии', access: STAFF, params: id },
  { method: 'put', path: '/api/lines/:id/holidays', summary: 'Праздничные дни линии: выходной (как в нерабочее время) или сокращённые часы', access: STAFF, params: id, body: holidaysBody },
  { method: 'put', path: '/api/lines/:id/entry-menu', summary: 'Голосовое меню линии («аварийная — 1, плановая — 2»)', access: STAFF, params: id, body: entryMenuBody },
  { method: 'delete', path: '/api/lines/:id/entry-menu', summary: 'Убрать голосовое меню', access: STAFF, params: id, status: 204 },
]);

export const overflowGroupsApi = apiSection('Группы переадресации на мобильные', [
  { method: 'get', path: '/api/overflow-groups', summary: 'Группы', access: ADMIN },
  { method: 'post', path: '/api/overflow-groups', summary: 'Новая группа', access: ADMIN, body: groupBody, status: 201 },
  { method: 'put', path: '/api/overflow-groups/:id', summary: 'Изменить группу', access: ADMIN, params: id, body: groupBody },
  { method: 'delete', path: '/api/overflow-groups/:id', summary: 'Удалить группу (если ни одна линия её не использует)', access: ADMIN, params: id, status: 204 },
]);
