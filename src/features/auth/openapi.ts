// The API's description of login, sessions and user accounts (see src/http/openapi/registry.ts).
import { ADMIN, apiSection, pathId } from '../../http/openapi/registry.js';
import { loginBody, passwordBody } from './routes.js';
import { createBody, listQuery, patchBody, resetPasswordBody } from './users-routes.js';

export const authApi = apiSection('Вход и сессии', [
  { method: 'post', path: '/api/auth/login', summary: 'Вход: логин и пароль → токен', access: 'public', body: loginBody },
  { method: 'post', path: '/api/auth/logout', summary: 'Выход: токен больше не действует', access: 'user', status: 204 },
  { method: 'get', path: '/api/me', summary: 'Кто я: пользователь, роль, компании', access: 'user' },
  { method: 'post', path: '/api/me/password', summary: 'Сменить свой пароль', access: 'user', body: passwordBody, status: 204 },
]);

export const usersApi = apiSection('Пользователи', [
  { method: 'get', path: '/api/users', summary: 'Все учётные записи', access: ADMIN, query: listQuery },
  { method: 'post', path: '/api/users', summary: 'Новый администратор, супервизор или дежурный с мобильным', access: ADMIN, body: createBody, status: 201 },
  { method: 'patch', path: '/api/users/:id', summary: 'Изменить имя, мобильный, роль, компании', access: ADMIN, params: { id: pathId }, body: patchBody },
  { method: 'post', path: '/api/users/:id/disable', summary: 'Отключить: сессии и сокеты закрываются сразу', access: ADMIN, params: { id: pathId }, status: 204 },
  { method: 'post', path: '/api/users/:id/enable', summary: 'Включить снова', access: ADMIN, params: { id: pathId }, status: 204 },
  { method: 'post', path: '/api/users/:id/reset-password', summary: 'Задать новый пароль', access: ADMIN, params: { id: pathId }, body: resetPasswordBody, status: 204 },
]);
