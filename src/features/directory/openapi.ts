// The API's description of the accounts directory and its import (see src/http/openapi/registry.ts).
import { ADMIN, apiSection } from '../../http/openapi/registry.js';
import { importQuery, searchQuery } from './routes.js';

export const directoryApi = apiSection('Справочник абонентов', [
  { method: 'get', path: '/api/accounts/search', summary: 'Поиск лицевых счетов (номер, адрес, ФИО)', access: 'user', query: searchQuery },
  { method: 'get', path: '/api/accounts/by-phone/:phone', summary: 'Лицевые счета по номеру телефона', access: 'user' },
  { method: 'get', path: '/api/accounts/:accountNumber', summary: 'Лицевой счёт', access: 'user' },
  { method: 'post', path: '/api/directory/import', summary: 'Загрузить справочник из CSV (потоком)', access: ADMIN, query: importQuery, bodyType: 'text/csv' },
  { method: 'get', path: '/api/directory/import/status', summary: 'Ход текущего импорта', access: ADMIN },
]);
