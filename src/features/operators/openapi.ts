// The API's description of operators (see src/http/openapi/registry.ts).
import { ADMIN, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { createBody, stateBody } from './routes.js';
import { deviceBody } from './device-routes.js';

export const operatorsApi = apiSection('Операторы', [
  { method: 'get', path: '/api/operators', summary: 'Операторы своих компаний', access: STAFF },
  { method: 'post', path: '/api/operators', summary: 'Новый оператор: учётная запись, внутренний номер, устройство', access: ADMIN, body: createBody, status: 201 },
  { method: 'patch', path: '/api/operators/:userId', summary: 'Сменить внутренний номер или устройство оператора (софтфон в браузере, настольный SIP-телефон)', access: ADMIN, params: { userId: pathId }, body: deviceBody },
  { method: 'get', path: '/api/operators/me', summary: 'Мой профиль оператора и данные софтфона', access: 'user' },
  { method: 'post', path: '/api/operators/me/state', summary: 'Мой статус: готов, перерыв (с причиной), не в сети', access: 'user', body: stateBody },
  { method: 'post', path: '/api/operators/:userId/state', summary: 'Статус оператора (супервизор)', access: STAFF, params: { userId: pathId }, body: stateBody },
]);
