// The API's description of the executor's phone page and proposals (see src/http/openapi/registry.ts).
import { DESK, apiSection, pathId } from '../../http/openapi/registry.js';
import { actionBody, decisionBody, proposalBody } from './routes.js';

const executor = ['executor'] as const;
const id = { id: pathId };

export const executorAppApi = apiSection('Телефон исполнителя', [
  { method: 'get', path: '/api/x/requests', summary: 'Мои заявки', access: executor },
  { method: 'get', path: '/api/x/requests/:id', summary: 'Моя заявка', access: executor, params: id },
  { method: 'post', path: '/api/x/requests/:id/actions', summary: 'Принять, выполнить, отложить или «невозможно» (повтор по ключу идемпотентности безопасен)', access: executor, params: id, body: actionBody },
  { method: 'post', path: '/api/x/requests/:id/proposals', summary: 'Предложить изменение (материалы, объём работ)', access: executor, params: id, body: proposalBody, status: 201 },
  { method: 'post', path: '/api/x/requests/:id/photos', summary: 'Фото с места работ', access: executor, params: id, bodyType: 'multipart/form-data', status: 201 },
  { method: 'get', path: '/api/requests/:id/proposals', summary: 'Предложения исполнителей по заявке', access: DESK, params: id },
  { method: 'post', path: '/api/requests/:id/proposals/:pid/decision', summary: 'Подтвердить или отклонить предложение', access: DESK, params: { id: pathId, pid: pathId }, body: decisionBody },
]);
