// The API's description of the companies' own dictionaries (see src/http/openapi/registry.ts).
import { STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { chooseBody, createBody, listQuery, patchBody } from './routes.js';

export const dictionariesApi = apiSection('Справочники компаний', [
  { method: 'get', path: '/api/dictionaries', summary: 'Справочники своих компаний', access: 'user', query: listQuery },
  { method: 'post', path: '/api/dictionaries', summary: 'Новый справочник', access: STAFF, body: createBody, status: 201 },
  { method: 'patch', path: '/api/dictionaries/:id', summary: 'Изменить справочник и его значения', access: STAFF, params: { id: pathId }, body: patchBody },
  { method: 'delete', path: '/api/dictionaries/:id', summary: 'Удалить справочник', access: STAFF, params: { id: pathId }, status: 204 },
  { method: 'get', path: '/api/requests/:id/dictionary-values', summary: 'Значения справочников заявки', access: 'user', params: { id: pathId } },
  { method: 'put', path: '/api/requests/:id/dictionary-values', summary: 'Выбрать значения справочников заявки', access: 'user', params: { id: pathId }, body: chooseBody },
  { method: 'get', path: '/api/accounts/:accountNumber/dictionary-values', summary: 'Значения справочников лицевого счёта', access: 'user' },
  { method: 'put', path: '/api/accounts/:accountNumber/dictionary-values', summary: 'Выбрать значения справочников лицевого счёта', access: 'user', body: chooseBody },
]);
