// The API's description of SIP trunks (see src/http/openapi/registry.ts).
import { ADMIN, apiSection, pathId } from '../../http/openapi/registry.js';
import { newTrunkBody, trunkPatchBody } from './schema.js';

const id = { id: pathId };

export const trunksApi = apiSection('SIP-транки', [
  { method: 'get', path: '/api/trunks', summary: 'SIP-транки с состоянием регистрации', access: ADMIN },
  { method: 'post', path: '/api/trunks', summary: 'Новый SIP-транк (сразу передаётся на АТС)', access: ADMIN, body: newTrunkBody, status: 201 },
  { method: 'get', path: '/api/trunks/:id', summary: 'SIP-транк', access: ADMIN, params: id },
  { method: 'patch', path: '/api/trunks/:id', summary: 'Изменить SIP-транк', access: ADMIN, params: id, body: trunkPatchBody },
  { method: 'delete', path: '/api/trunks/:id', summary: 'Удалить SIP-транк (если ни одна линия через него не звонит)', access: ADMIN, params: id, status: 204 },
]);
