// The API's description of the categories directory (see src/http/openapi/registry.ts).
import { ADMIN, STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { createBody, patchBody } from './routes.js';

export const categoriesApi = apiSection('Категории', [
  { method: 'get', path: '/api/categories', summary: 'Справочник категорий с подкатегориями', access: STAFF },
  { method: 'post', path: '/api/categories', summary: 'Новая категория', access: ADMIN, body: createBody, status: 201 },
  { method: 'patch', path: '/api/categories/:id', summary: 'Изменить категорию', access: ADMIN, params: { id: pathId }, body: patchBody },
  { method: 'delete', path: '/api/categories/:id', summary: 'Удалить категорию', access: ADMIN, params: { id: pathId }, status: 204 },
]);
