// The API's description of the channels: a request's conversation, the
// company's mail settings, reply templates and replies, the residents' web
// form and status page (see src/http/openapi/registry.ts).
import { ADMIN, DESK, STAFF, apiSection, pathId } from '../http/openapi/registry.js';
import { messageBody } from './routes.js';
import { mailSettingsBody } from './email/routes.js';
import { approveBody, draftQuery, pendingQuery, rejectBody, replyBody, searchQuery, templateBody } from './replies/routes.js';
import { buildingSearchQuery, tenantParam } from './web/routes.js';
import { webFormSettingsBody } from './web/settings-routes.js';
import { ratingFormSchema, residentMessageSchema, webFormSchema } from './web/schema.js';

const id = { id: pathId };
const tenant = { tenantId: tenantParam };

export const conversationApi = apiSection('Переписка с жителем', [
  { method: 'get', path: '/api/requests/:id/messages', summary: 'Переписка по заявке и оценки жителя', access: 'user', params: id },
  { method: 'post', path: '/api/requests/:id/messages', summary: 'Сообщение жителю (видно на странице статуса)', access: 'user', params: id, body: messageBody, status: 201 },
  { method: 'post', path: '/api/requests/:id/status-link', summary: 'Новая личная ссылка на статус заявки для жителя', access: 'user', params: id, status: 201 },
  { method: 'get', path: '/api/tenants/:id/mail', summary: 'Почта компании: входящий адрес, согласование ответов', access: STAFF, params: id },
  { method: 'put', path: '/api/tenants/:id/mail', summary: 'Изменить почту компании', access: ADMIN, params: id, body: mailSettingsBody },
  { method: 'get', path: '/api/web-form/settings', summary: 'Какие компании принимают заявки через веб-форму', access: ADMIN },
  { method: 'put', path: '/api/tenants/:id/web-form', summary: 'Включить или выключить веб-форму компании', access: ADMIN, params: id, body: webFormSettingsBody },
]);

export const repliesApi = apiSection('Ответы жителям и шаблоны', [
  { method: 'get', path: '/api/reply-templates', summary: 'Шаблоны ответов компании, поиск по первым буквам темы', access: DESK, query: searchQuery },
  { method: 'post', path: '/api/reply-templates', summary: 'Новый шаблон ответа', access: STAFF, body: templateBody, status: 201 },
  { method: 'get', path: '/api/reply-templates/placeholders', summary: 'Подстановки, доступные в шаблонах', access: DESK },
  { method: 'get', path: '/api/reply-templates/:id', summary: 'Шаблон ответа', access: DESK, params: id },
  { method: 'put', path: '/api/reply-templates/:id', summary: 'Изменить шаблон ответа', access: STAFF, params: id, body: templateBody },
  { method: 'delete', path: '/api/reply-templates/:id', summary: 'Удалить шаблон ответа', access: STAFF, params: id, status: 204 },
  { method: 'get', path: '/api/requests/:id/reply-draft', summary: 'Черновик ответа по шаблону с подстановками заявки', access: DESK, params: id, query: draftQuery },
  { method: 'get', path: '/api/requests/:id/replies', summary: 'Ответы жителю по заявке', access: DESK, params: id },
  { method: 'post', path: '/api/requests/:id/replies', summary: 'Отправить ответ жителю или отдать на согласование (202)', access: DESK, params: id, body: replyBody, status: 201 },
  { method: 'get', path: '/api/replies/pending', summary: 'Ответы, ждущие согласования', access: STAFF, query: pendingQuery },
  { method: 'post', path: '/api/replies/:id/approve', summary: 'Согласовать и отправить ответ', access: STAFF, params: id, body: approveBody },
  { method: 'post', path: '/api/replies/:id/reject', summary: 'Вернуть ответ на доработку с комментарием', access: STAFF, params: id, body: rejectBody },
  { method: 'post', path: '/api/replies/:id/retry', summary: 'Повторить отправку ответа, которая не удалась', access: DESK, params: id },
]);

export const webFormApi = apiSection('Веб-форма и страница статуса для жителей', [
  { method: 'get', path: '/api/public/companies', summary: 'Компании, принимающие заявки через веб-форму', access: 'public' },
  { method: 'get', path: '/api/public/web/:tenantId', summary: 'Веб-форма компании: категории, лимиты фото', access: 'public', params: tenant },
  { method: 'get', path: '/api/public/web/:tenantId/buildings', summary: 'Поиск дома по улице и номеру', access: 'public', params: tenant, query: buildingSearchQuery },
  { method: 'post', path: '/api/public/web/:tenantId/requests', summary: 'Заявка жителя с веб-формы (поля и фото)', access: 'public', params: tenant, bodyType: 'multipart/form-data', body: webFormSchema, status: 201 },
  { method: 'get', path: '/api/public/status/:token', summary: 'Статус заявки по личной ссылке', access: 'public' },
  { method: 'post', path: '/api/public/status/:token/messages', summary: 'Сообщение жителя со страницы статуса', access: 'public', body: residentMessageSchema, status: 201 },
  { method: 'post', path: '/api/public/status/:token/rating', summary: 'Оценка выполненной заявки', access: 'public', body: ratingFormSchema, status: 201 },
]);
