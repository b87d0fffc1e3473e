// The API's description of requests' attachments (see src/http/openapi/registry.ts).
import { apiSection, pathId } from '../../http/openapi/registry.js';

const id = { id: pathId };

export const attachmentsApi = apiSection('Вложения', [
  { method: 'post', path: '/api/requests/:id/attachments', summary: 'Приложить фото или PDF к заявке', access: 'user', params: id, bodyType: 'multipart/form-data', status: 201 },
  { method: 'get', path: '/api/requests/:id/attachments', summary: 'Вложения заявки (с подписанными ссылками)', access: 'user', params: id },
  { method: 'get', path: '/api/attachments/:id', summary: 'Файл вложения: с токеном или по подписанной ссылке (?exp=…&sig=…)', access: 'user', params: id, produces: 'application/octet-stream' },
  { method: 'get', path: '/api/attachments/:id/thumb', summary: 'Миниатюра вложения: с токеном или по подписанной ссылке', access: 'user', params: id, produces: 'image/jpeg' },
]);
