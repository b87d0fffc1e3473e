// The API's description of reports and the decree 416 documents (see src/http/openapi/registry.ts).
import { STAFF, apiSection, pathId } from '../../http/openapi/registry.js';
import { callsQuery, complaintsQuery, complianceQuery, executorsQuery, requestsQuery, snapshotsQuery } from './routes.js';

export const reportsApi = apiSection('Отчёты', [
  { method: 'get', path: '/api/reports/companies', summary: 'Компании для отчётов', access: STAFF },
  { method: 'get', path: '/api/reports/requests', summary: 'Заявки: по компаниям, категориям, стадиям…', access: STAFF, query: requestsQuery },
  { method: 'get', path: '/api/reports/calls', summary: 'Звонки: уровень обслуживания, пропущенные…', access: STAFF, query: callsQuery },
  { method: 'get', path: '/api/reports/executors', summary: 'Исполнители: выполнено, просрочено', access: STAFF, query: executorsQuery },
  { method: 'get', path: '/api/reports/complaints', summary: 'Дома и категории с повторными жалобами', access: STAFF, query: complaintsQuery },
  { method: 'get', path: '/api/reports/compliance', summary: 'Соответствие постановлению 416 за месяц', access: STAFF, query: complianceQuery },
  { method: 'get', path: '/api/reports/compliance.pdf', summary: 'Отчёт по постановлению 416 в PDF', access: STAFF, query: complianceQuery, produces: 'application/pdf' },
  { method: 'get', path: '/api/reports/compliance.xlsx', summary: 'Отчёт по постановлению 416 в XLSX', access: STAFF, query: complianceQuery, produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { method: 'get', path: '/api/reports/snapshots', summary: 'Сохранённые ежедневные и еженедельные сводки', access: STAFF, query: snapshotsQuery },
  { method: 'get', path: '/api/reports/snapshots/:id', summary: 'Сводка', access: STAFF, params: { id: pathId } },
]);
