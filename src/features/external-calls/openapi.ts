// The API's description of cloud-PBX accounts, click-to-call and the vendors'
// webhooks (see src/http/openapi/registry.ts). Webhooks are public: each is
// checked by its vendor's signature or token, then by the account's limits.
import { ADMIN, apiSection } from '../../http/openapi/registry.js';
import { itoolabsWebhookSchema } from '../../telephony/vpbx/itoolabs/schema.js';
import { mangoEndpoints, mangoFormSchema, type MangoEndpoint } from '../../telephony/vpbx/mango/schema.js';
import { zadarmaWebhookSchema } from '../../telephony/vpbx/zadarma/schema.js';
import { clickBody, createBody } from './routes.js';
import { pathId } from '../../http/openapi/registry.js';

const account = { accountId: pathId };
const form = 'application/x-www-form-urlencoded' as const;

export const cloudPbxApi = apiSection('Облачные АТС', [
  { method: 'post', path: '/api/click-to-call', summary: 'Позвонить через облачную АТС своей компании', access: 'user', body: clickBody, status: 202 },
  { method: 'get', path: '/api/vpbx-accounts', summary: 'Учётные записи облачных АТС (без секретов)', access: ADMIN },
  { method: 'post', path: '/api/vpbx-accounts', summary: 'Подключить облачную АТС компании', access: ADMIN, body: createBody, status: 201 },
]);

export const webhooksApi = apiSection('Вебхуки облачных АТС', [
  { method: 'post', path: '/hooks/itoolabs/:accountId', summary: 'МегаФон/Dom.ru (iTooLabs): события звонков, поле crm_token', access: 'public', params: account, bodyType: form, body: itoolabsWebhookSchema },
  ...(Object.keys(mangoEndpoints) as MangoEndpoint[]).map((endpoint) => ({
    method: 'post' as const, path: `/hooks/mango/:accountId/events/${endpoint}`, summary: `Mango Office: ${endpoint} (поля vpbx_api_key, sign, json)`, access: 'public' as const, params: account, bodyType: form, body: mangoFormSchema,
  })),
  { method: 'get', path: '/hooks/zadarma/:accountId', summary: 'Zadarma: проверка адреса (zd_echo)', access: 'public', params: account, produces: 'text/plain' },
  { method: 'post', path: '/hooks/zadarma/:accountId', summary: 'Zadarma: события звонков, подпись в заголовке Signature', access: 'public', params: account, bodyType: form, body: zadarmaWebhookSchema },
]);
