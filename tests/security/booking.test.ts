// Issue 14 item 3 (seed 001), from outside: residents see only the free
// times of the executors serving their building; 50 parallel bookings of one
// slot give exactly one booking and 49 «время уже занято»; the booking hands
// the request to the executor with the visit time (their /x/ card shows it);
// the dispatcher's cancel and reschedule free the slot; another company's
// building, request or category cannot be booked or touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface Slots { durationMin: number; slots: { start: string; end: string }[] }
let s: Server;
let admin = '';
let operator = '';
let building1 = 0;
let building2 = 0;
let meters = 0;
let executor1 = 0;
let day = '';

const pub = async <T>(method: string, path: string, body?: unknown) => {
  const r = await fetch(s.url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, body: (await r.json()) as T };
};
const slots = (tenantId: number, buildingId: number, from = day, days = 1) => pub<Slots>('GET', `/api/public/slots?tenantId=${tenantId}&buildingId=${buildingId}&categoryId=${meters}&from=${from}&days=${days}`);
const booking = (start: string, o: Record<string, unknown> = {}) => ({
  tenantId: 1, buildingId: building1, categoryId: meters, start, description: 'Поверка двух счётчиков воды', flat: '12', contact: { name: 'Жилец', phone: '+7 916 555-44-33' }, ...o,
});
const one = <T>(sql: string, ...args: unknown[]) => s.db.prepare(sql).pluck().get(...args) as T;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_BOOKING_RATE_PER_MIN: '10000', PULT_TIMEZONE: 'Europe/Moscow', PULT_BOOKING_HOURS: '08:00-20:00' });
  admin = await login(s.url, 'admin', 'demo');
  operator = await login(s.url, 'operator', 'demo');
  building1 = one<number>('SELECT id FROM buildings WHERE tenant_id = 1 ORDER BY id LIMIT 1');
  building2 = one<number>('SELECT id FROM buildings WHERE tenant_id = 2 ORDER BY id LIMIT 1');
  meters = one<number>("SELECT id FROM ticket_categories WHERE code = 'meter-install'");
  executor1 = one<number>("SELECT id FROM users WHERE login = 'executor'");
  const executor2 = one<number>("SELECT id FROM users WHERE login = 'executor2'");
  // Three days ahead (Moscow date); the second demo plumber is on vacation then, so one executor serves each slot.
  day = new Date(Date.now() + 3 * 86_400_000 + 3 * 3600_000).toISOString().slice(0, 10);
  const v = await api(s.url, 'POST', `/api/executors/${executor2}/exceptions`, { kind: 'vacation', from: day, to: day }, admin);
  expect(v.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await s.stop();
});

describe('free slots (public)', () => {
  it('lists the demo plumbers’ free hours inside the booking hours, times only', async () => {
    const r = await slots(1, building1);
    expect(r.status).toBe(200);
    expect(r.body.durationMin).toBe(60);
    // 08:00–20:00 Moscow, hourly: 12 slots, the first at 05:00 UTC.
    expect(r.body.slots).toHaveLength(12);
    expect(r.body.slots[0]).toEqual({ start: `${day}T05:00:00.000Z`, end: `${day}T06:00:00.000Z` });
    expect(JSON.stringify(r.body)).not.toMatch(/executor|Морозов|Волков/i);
  }, 120_000);

  it('another company’s building is refused (404), and a category that is not booked is a 400', async () => {
    expect((await slots(1, building2)).status).toBe(404);
    expect((await slots(2, building1)).status).toBe(404);
    const leak = one<number>("SELECT id FROM ticket_categories WHERE code = 'water-leak'");
    const r = await pub<{ error: { details: { field: string }[] } }>('GET', `/api/public/slots?tenantId=1&buildingId=${building1}&categoryId=${leak}&from=${day}`);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]!.field).toBe('categoryId');
    expect((await pub('GET', `/api/public/slots?tenantId=1&buildingId=${building1}&categoryId=${meters}&from=tomorrow`)).status).toBe(400);
  }, 120_000);
});

describe('booking a slot', () => {
  let requestId = 0;
  const first = () => `${day}T07:00:00.000Z`; // 10:00 Moscow

  it('50 parallel bookings of one slot: exactly one 201, 49 clear 409 «время уже занято»', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pub<{ number?: string; statusUrl?: string; visit?: { start: string }; error?: { message: string } }>('POST', '/api/public/bookings', booking(first(), { description: `Поверка счётчиков, житель ${i}` }))));
    const ok = results.filter((r) => r.status === 201);
    const taken = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(taken).toHaveLength(49);
    expect(taken.every((r) => r.body.error?.message === 'время уже занято')).toBe(true);
    expect(ok[0]!.body.visit?.start).toBe(first());
    expect(ok[0]!.body.statusUrl).toMatch(/\/s\//);
    // One request was registered, not 50.
    expect(one<number>("SELECT count(*) FROM tickets WHERE description LIKE 'Поверка счётчиков, житель %'")).toBe(1);
    expect(one<number>('SELECT count(*) FROM bookings')).toBe(1);
    requestId = one<number>("SELECT id FROM tickets WHERE description LIKE 'Поверка счётчиков, житель %'");
    const slotsAfter = await slots(1, building1);
    expect(slotsAfter.body.slots.map((x) => x.start)).not.toContain(first());
    expect(slotsAfter.body.slots).toHaveLength(11);
  }, 120_000);

  it('the request is the web channel’s, handed to the executor with the visit; the console and the executor’s /x/ card show it', async () => {
    const req = await api<{ request: { channel: string; assignee: { id: number } | null; stage: { code: string } } }>(s.url, 'GET', `/api/requests/${requestId}`, undefined, operator);
    expect(req.body.request.channel).toBe('web');
    expect(req.body.request.assignee?.id).toBe(executor1);
    expect(req.body.request.stage.code).toBe('assigned');
    const v = await api<{ visit: { start: string; end: string; executor: { id: number } } }>(s.url, 'GET', `/api/requests/${requestId}/booking`, undefined, operator);
    expect(v.body.visit).toMatchObject({ start: first(), end: `${day}T08:00:00.000Z`, executor: { id: executor1 } });
    const x = await login(s.url, 'executor', 'demo');
    const list = await api<{ items: { id: number; visit: { start: string; end: string } | null }[] }>(s.url, 'GET', '/api/x/requests', undefined, x);
    expect(list.body.items.find((c) => c.id === requestId)?.visit).toEqual({ start: first(), end: `${day}T08:00:00.000Z` });
    const card = await api<{ request?: { visit: unknown }; visit?: unknown }>(s.url, 'GET', `/api/x/requests/${requestId}`, undefined, x);
    expect(JSON.stringify(card.body)).toContain(first());
  }, 120_000);

  it('bad bookings are clear 4xx: off-grid time, past time, honeypot, no contact, another company’s building', async () => {
    const off = await pub<{ error: { details: { field: string }[] } }>('POST', '/api/public/bookings', booking(`${day}T07:20:00.000Z`));
    expect(off.status).toBe(400);
    expect(off.body.error.details[0]!.field).toBe('start');
    expect((await pub('POST', '/api/public/bookings', booking(new Date(Date.now() - 3600_000).toISOString()))).status).toBe(400);
    expect((await pub('POST', '/api/public/bookings', booking(`${day}T09:00:00.000Z`, { website: 'http://spam' }))).status).toBe(400);
    expect((await pub('POST', '/api/public/bookings', booking(`${day}T09:00:00.000Z`, { contact: { name: 'X' } }))).status).toBe(400);
    expect((await pub('POST', '/api/public/bookings', booking(`${day}T09:00:00.000Z`, { buildingId: building2 }))).status).toBe(404);
    expect((await pub('POST', '/api/public/bookings', booking(`${day}T09:00:00.000Z`, { tenantId: 2 }))).status).toBe(404);
    expect(one<number>('SELECT count(*) FROM bookings')).toBe(1);
  }, 120_000);

  it('the dispatcher reschedules: the old slot frees, the new one is taken', async () => {
    const to = `${day}T10:00:00.000Z`;
    const r = await api<{ visit: { start: string } }>(s.url, 'PUT', `/api/requests/${requestId}/booking`, { start: to }, operator);
    expect(r.status).toBe(200);
    expect(r.body.visit.start).toBe(to);
    const after = (await slots(1, building1)).body.slots.map((x) => x.start);
    expect(after).toContain(first());
    expect(after).not.toContain(to);
    // Someone else cannot have the moved-to slot.
    expect((await pub('POST', '/api/public/bookings', booking(to))).status).toBe(409);
  }, 120_000);

  it('the dispatcher cancels the visit: the slot is free again and can be booked', async () => {
    const to = `${day}T10:00:00.000Z`;
    expect((await api(s.url, 'DELETE', `/api/requests/${requestId}/booking`, undefined, operator)).status).toBe(204);
    expect((await slots(1, building1)).body.slots.map((x) => x.start)).toContain(to);
    expect((await api(s.url, 'GET', `/api/requests/${requestId}/booking`, undefined, operator)).body).toEqual({ visit: null });
    expect((await pub('POST', '/api/public/bookings', booking(to))).status).toBe(201);
  }, 120_000);

  it('cancelling the request frees its visit’s slot', async () => {
    const at = `${day}T12:00:00.000Z`;
    const b = await pub<{ number: string }>('POST', '/api/public/bookings', booking(at, { description: 'Замена счётчика ГВС' }));
    expect(b.status).toBe(201);
    const id = one<number>("SELECT id FROM tickets WHERE description = 'Замена счётчика ГВС'");
    const t = await api(s.url, 'POST', `/api/requests/${id}/transition`, { to: 'cancelled', reason: 'житель отказался' }, operator);
    expect(t.status).toBe(200);
    expect((await slots(1, building1)).body.slots.map((x) => x.start)).toContain(at);
  }, 120_000);

  it('a user of another company cannot see, move or cancel the visit (404)', async () => {
    const created = await api<{ user: { id: number } }>(s.url, 'POST', '/api/users', { login: 'rassvet-sv', password: 'rassvet-pass-1', role: 'supervisor', fullName: 'Старший диспетчер Рассвета', tenantIds: [2] }, admin);
    expect(created.status).toBe(201);
    const other = await login(s.url, 'rassvet-sv', 'rassvet-pass-1');
    const id = one<number>("SELECT ticket_id FROM bookings WHERE status = 'active' ORDER BY id LIMIT 1");
    expect((await api(s.url, 'GET', `/api/requests/${id}/booking`, undefined, other)).status).toBe(404);
    expect((await api(s.url, 'PUT', `/api/requests/${id}/booking`, { start: `${day}T13:00:00.000Z` }, other)).status).toBe(404);
    expect((await api(s.url, 'DELETE', `/api/requests/${id}/booking`, undefined, other)).status).toBe(404);
    expect(one<number>("SELECT count(*) FROM bookings WHERE ticket_id = ? AND status = 'active'", id)).toBe(1);
    // An executor cannot cancel a visit either.
    const x = await login(s.url, 'executor', 'demo');
    expect((await api(s.url, 'DELETE', `/api/requests/${id}/booking`, undefined, x)).status).toBe(403);
  }, 120_000);
});
