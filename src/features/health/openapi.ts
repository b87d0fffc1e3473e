// The API's description of health and metrics (see src/http/openapi/registry.ts).
import { apiSection } from '../../http/openapi/registry.js';

export const healthApi = apiSection('Состояние и метрики', [
  { method: 'get', path: '/api/health', summary: 'Жив ли сервер, связь с АТС, база', access: 'public' },
  { method: 'get', path: '/metrics', summary: 'Метрики Prometheus: с токеном PULT_METRICS_TOKEN или с частного адреса', access: 'public', produces: 'text/plain' },
]);
