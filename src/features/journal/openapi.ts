// The API's description of the journal of requests (see src/http/openapi/registry.ts).
import { ADMIN, DESK, apiSection, pathId } from '../../http/openapi/registry.js';
import { downloadQuery, exportBody, exportsQuery, pageQuery } from './routes.js';

export const journalApi = apiSection('Журнал заявок', [
  { method: 'get', path: '/api/journal/companies', summary: 'Компании, чей журнал доступен', access: DESK },
  { method: 'get', path: '/api/journal', summary: 'Журнал компании за период', access: DESK, query: pageQuery },
  { method: 'get', path: '/api/journal.xlsx', summary: 'Журнал в XLSX', access: DESK, query: downloadQuery, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { method: 'get', path: '/api/journal.csv', summary: 'Журнал в CSV', access: DESK, query: downloadQuery, produces: 'text/csv' },
  { method: 'get', path: '/api/journal/exports', summary: 'Архив журнала по месяцам', access: DESK, query: exportsQuery },
  { method: 'get', path: '/api/journal/exports/:id', summary: 'Файл архива журнала', access: DESK, params: { id: pathId }, produces: 'application/octet-stream' },
  { method: 'post', path: '/api/journal/exports', summary: 'Сформировать архив журнала за месяц', access: ADMIN, body: exportBody, status: 201 },
]);
