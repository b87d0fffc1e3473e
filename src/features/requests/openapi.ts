// The API's description of requests, pipelines and their rules (see src/http/openapi/registry.ts).
import { ADMIN, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { appendBody, deadlineRuleBody, defaultExecutorBody, editBody, executorsQuery, kind, listQuery, monitorQuery, newRequestBody, pipelineBody, textBody, transitionBody } from './routes.js';

const pipelineParams = { tenantId: pathId, kind };

export const requestsApi = apiSection('Заявки', [
  { method: 'get', path: '/api/requests', summary: 'Поиск заявок (фильтры, страницы)', access: 'user', query: listQuery },
  { method: 'get', path: '/api/requests/monitor', summary: 'Монитор сроков: просроченные и горящие заявки', access: STAFF, query: monitorQuery },
  { method: 'get', path: '/api/requests/executors', summary: 'Исполнители компании для назначения', access: 'user', query: executorsQuery },
  { method: 'post', path: '/api/requests', summary: 'Новая заявка (канал: телефон, сайт, почта, лично…)', access: 'user', body: newRequestBody, status: 201 },
  { method: 'get', path: '/api/requests/:id', summary: 'Заявка с историей', access: 'user', params: { id: pathId } },
  { method: 'patch', path: '/api/requests/:id', summary: 'Изменить поля заявки', access: 'user', params: { id: pathId }, body: editBody },
  { method: 'post', path: '/api/requests/:id/transition', summary: 'Перевести заявку на другую стадию', access: 'user', params: { id: pathId }, body: transitionBody },
  { method: 'post', path: '/api/requests/:id/comments', summary: 'Комментарий к заявке', access: 'user', params: { id: pathId }, body: textBody, status: 201 },
  { method: 'post', path: '/api/requests/:id/append', summary: 'Дополнение к заявке (повторное обращение)', access: 'user', params: { id: pathId }, body: appendBody, status: 201 },
  { method: 'get', path: '/api/pipelines/:tenantId/:kind', summary: 'Воронка компании: стадии и правила', access: 'user', params: pipelineParams },
  { method: 'put', path: '/api/pipelines/:tenantId/:kind', summary: 'Сохранить воронку компании', access: ADMIN, params: pipelineParams, body: pipelineBody },
  { method: 'put', path: '/api/ticket-categories/:id/deadline-rule', summary: 'Правило срока для категории', access: ADMIN, params: { id: pathId }, body: deadlineRuleBody },
  { method: 'put', path: '/api/buildings/:id/default-executor', summary: 'Исполнитель дома по умолчанию', access: STAFF, params: { id: pathId }, body: defaultExecutorBody },
]);
