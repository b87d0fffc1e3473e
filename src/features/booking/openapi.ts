// The API's description of online booking (see src/http/openapi/registry.ts).
import { ADMIN, DESK, apiSection, pathId } from '../../http/openapi/registry.js';
import { bookBody, moveBody, slotsQuery, staffSlotsQuery, visitBody, webBookingForm } from './routes.js';

const id = { id: pathId };

export const bookingApi = apiSection('Онлайн-запись на визит', [
  { method: 'get', path: '/api/public/booking/categories', summary: 'Категории, на которые можно записаться онлайн', access: 'public' },
  { method: 'get', path: '/api/public/slots', summary: 'Свободное время визита в доме', access: 'public', query: slotsQuery },
  { method: 'post', path: '/api/public/bookings', summary: 'Записаться на визит вместе с заявкой', access: 'public', body: bookBody, status: 201 },
  { method: 'post', path: '/api/public/web/:tenantId/bookings', summary: 'Заявка с веб-формы с выбранным временем визита (поля и фото)', access: 'public', params: { tenantId: pathId }, bodyType: 'multipart/form-data', body: webBookingForm, status: 201 },
  { method: 'get', path: '/api/requests/:id/booking', summary: 'Визит по заявке', access: DESK, params: id },
  { method: 'put', path: '/api/requests/:id/booking', summary: 'Перенести визит', access: DESK, params: id, body: moveBody },
  { method: 'delete', path: '/api/requests/:id/booking', summary: 'Отменить визит (время освобождается)', access: DESK, params: id, status: 204 },
  { method: 'get', path: '/api/requests/:id/booking/slots', summary: 'Свободное время для переноса визита', access: DESK, params: id, query: staffSlotsQuery },
  { method: 'put', path: '/api/categories/:id/visit', summary: 'Нужен ли категории визит и на сколько минут', access: ADMIN, params: id, body: visitBody },
]);
