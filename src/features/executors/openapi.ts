// The API's description of executors, their shifts, zones, groups and reminder calls (see src/http/openapi/registry.ts).
import { ADMIN, DESK, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { assignBody, categorySpecialityBody, dayRouteQuery, specialityBody } from './routes.js';
import { exceptionBody, executorBody, executorPatch, scheduleBody, zoneBody } from './schemas.js';
import { coordinatesBody, pointsQuery, zoneExecutorsBody, zonesQuery } from './zone-routes.js';
import { groupBody } from './group-routes.js';
import { settingsBody } from './reminder-calls/routes.js';

const id = { id: pathId };

export const executorsApi = apiSection('Исполнители', [
  { method: 'get', path: '/api/specialities', summary: 'Специальности', access: DESK },
  { method: 'post', path: '/api/specialities', summary: 'Новая специальность', access: ADMIN, body: specialityBody, status: 201 },
  { method: 'put', path: '/api/ticket-categories/:id/speciality', summary: 'Специальность, нужная для категории', access: ADMIN, params: id, body: categorySpecialityBody },
  { method: 'get', path: '/api/executors', summary: 'Исполнители своих компаний', access: STAFF },
  { method: 'post', path: '/api/executors', summary: 'Новый исполнитель (с учётной записью)', access: STAFF, body: executorBody, status: 201 },
  { method: 'get', path: '/api/executors/me/route', summary: 'Мой маршрут на день', access: ['executor'], query: dayRouteQuery },
  { method: 'get', path: '/api/executors/:id', summary: 'Исполнитель', access: STAFF, params: id },
  { method: 'patch', path: '/api/executors/:id', summary: 'Изменить исполнителя', access: STAFF, params: id, body: executorPatch },
  { method: 'get', path: '/api/executors/:id/schedules', summary: 'Смены и отсутствия исполнителя', access: STAFF, params: id },
  { method: 'post', path: '/api/executors/:id/schedules', summary: 'Добавить смену', access: STAFF, params: id, body: scheduleBody, status: 201 },
  { method: 'delete', path: '/api/executors/:id/schedules/:sid', summary: 'Удалить смену', access: STAFF, params: { id: pathId, sid: pathId }, status: 204 },
  { method: 'post', path: '/api/executors/:id/exceptions', summary: 'Отпуск, больничный или другое отсутствие', access: STAFF, params: id, body: exceptionBody, status: 201 },
  { method: 'delete', path: '/api/executors/:id/exceptions/:xid', summary: 'Удалить отсутствие', access: STAFF, params: { id: pathId, xid: pathId }, status: 204 },
  { method: 'get', path: '/api/executors/:id/route', summary: 'Маршрут исполнителя на день (JSON, текст или страница)', access: STAFF, params: id, query: dayRouteQuery },
  { method: 'post', path: '/api/requests/:id/assign', summary: 'Назначить исполнителя заявке', access: DESK, params: id, body: assignBody },
]);

export const zonesApi = apiSection('Зоны обслуживания', [
  { method: 'get', path: '/api/zones/companies', summary: 'Компании для карты зон', access: STAFF },
  { method: 'get', path: '/api/zones', summary: 'Зоны', access: STAFF, query: zonesQuery },
  { method: 'post', path: '/api/zones', summary: 'Новая зона (многоугольник на карте)', access: STAFF, body: zoneBody, status: 201 },
  { method: 'get', path: '/api/zones/:id', summary: 'Зона', access: STAFF, params: id },
  { method: 'put', path: '/api/zones/:id', summary: 'Изменить зону', access: STAFF, params: id, body: zoneBody },
  { method: 'delete', path: '/api/zones/:id', summary: 'Удалить зону', access: STAFF, params: id, status: 204 },
  { method: 'put', path: '/api/zones/:id/executors', summary: 'Исполнители зоны', access: STAFF, params: id, body: zoneExecutorsBody },
  { method: 'get', path: '/api/buildings/points', summary: 'Дома компании на карте', access: STAFF, query: pointsQuery },
  { method: 'put', path: '/api/buildings/:id/coordinates', summary: 'Координаты дома', access: STAFF, params: id, body: coordinatesBody },
]);

export const executorGroupsApi = apiSection('Бригады', [
  { method: 'get', path: '/api/executor-groups', summary: 'Бригады', access: STAFF },
  { method: 'post', path: '/api/executor-groups', summary: 'Новая бригада', access: STAFF, body: groupBody, status: 201 },
  { method: 'put', path: '/api/executor-groups/:id', summary: 'Изменить бригаду', access: STAFF, params: id, body: groupBody },
  { method: 'delete', path: '/api/executor-groups/:id', summary: 'Удалить бригаду', access: STAFF, params: id, status: 204 },
  { method: 'get', path: '/api/executor-groups/:id/schedules', summary: 'Смены бригады', access: STAFF, params: id },
  { method: 'post', path: '/api/executor-groups/:id/schedules', summary: 'Добавить смену бригаде', access: STAFF, params: id, body: scheduleBody, status: 201 },
  { method: 'delete', path: '/api/executor-groups/:id/schedules/:sid', summary: 'Удалить смену бригады', access: STAFF, params: { id: pathId, sid: pathId }, status: 204 },
]);

export const reminderCallsApi = apiSection('Звонки-напоминания исполнителям', [
  { method: 'get', path: '/api/reminder-calls/settings/:tenantId', summary: 'Настройка напоминаний компании', access: STAFF, params: { tenantId: pathId } },
  { method: 'put', path: '/api/reminder-calls/settings/:tenantId', summary: 'Изменить настройку напоминаний', access: STAFF, params: { tenantId: pathId }, body: settingsBody },
  { method: 'get', path: '/api/requests/:id/reminder-calls', summary: 'Звонки-напоминания по заявке', access: DESK, params: id },
]);
