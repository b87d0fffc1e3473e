// Issue 11: executors, zones, schedules, automatic assignment, routes and
// scope — from outside, over HTTP and socket.io. Demo companies: 1
// «Северный квартал», 2 «Рассвет»; their buildings have coordinates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, socketFor, until, type Client, type Server } from '../support/security-probes.js';
import { localParts } from '../../src/domain/schedule.js';

let s: Server;
let admin = '';
let sup1 = ''; // company 1 only
let sup1Id = 0;
let sup2 = ''; // company 2 only
const sockets: Client[] = [];
const sql = <T>(q: string, ...args: unknown[]) => s.db.prepare(q).all(...args) as T[];
const cat = (code: string) => sql<{ id: number }>('SELECT id FROM ticket_categories WHERE code = ?', code)[0]!.id;
const spec = (code: string) => sql<{ id: number }>('SELECT id FROM specialities WHERE code = ?', code)[0]!.id;
const today = () => localParts(new Date(), 'Europe/Moscow').date;
const shiftDate = (d: string, days: number) => new Date(new Date(`${d}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

// Two buildings of company 1 with an account each, far enough apart that a small square holds only the first.
let b1: { id: number; lat: number; lon: number; account: string };
let b2: { id: number; lat: number; lon: number; account: string };
let zoneId = 0;
let plumber = 0; // on shift all week, serves b1 through the zone
let plumberToken = '';
let idlePlumber = 0; // serves b1 by name, on vacation now
let electrician = 0; // serves b1, wrong speciality for a leak

type Detail = { request: { id: number; assignee: { id: number } | null; history: { comment: string | null }[]; ruleErrors: { error: string }[] } };
const newRequest = async (account: string, categoryCode: string, token = admin) => {
  const r = await api<Detail>(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: cat(categoryCode), description: 'течёт стояк в подвале', accountNumber: account, channel: 'call' }, token);
  expect(r.status).toBe(201);
  return r.body.request;
};

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '1000', PULT_TIMEZONE: 'Europe/Moscow' });
  admin = await login(s.url, 'admin', 'demo');
  // The demo's own plumbers serve every building of company 1 around the clock: out of this test's choices.
  s.db.prepare("UPDATE users SET disabled_at = ? WHERE login IN ('executor', 'executor2')").run(new Date().toISOString());
  ({ id: sup1Id, token: sup1 } = await extraUser(s, 'sup-north', 'supervisor', [1]));
  sup2 = (await extraUser(s, 'sup-dawn', 'supervisor', [2])).token;
  const rows = sql<{ id: number; lat: number; lon: number; account: string }>(
    `SELECT b.id, b.lat, b.lon, min(a.account_number) AS account FROM buildings b JOIN accounts a ON a.building_id = b.id WHERE b.tenant_id = 1 AND b.lat IS NOT NULL GROUP BY b.id ORDER BY b.id`);
  b1 = rows[0]!;
  b2 = rows.find((r) => Math.abs(r.lat - b1.lat) > 0.003 || Math.abs(r.lon - b1.lon) > 0.003)!;
  expect(b2).toBeDefined();

  // Company 1's emergency pipeline: entering «Новая» assigns automatically.
  const p = await api<{ pipeline: { stages: { code: string; name: string; position: number; closes: boolean; rules: unknown[] }[]; transitions: unknown[] } }>(s.url, 'GET', '/api/pipelines/1/emergency', undefined, admin);
  const stages = p.body.pipeline.stages.map((st) => ({ ...st, rules: st.code === 'new' ? [{ type: 'assign', to: 'auto' }] : st.rules }));
  const put = await api(s.url, 'PUT', '/api/pipelines/1/emergency', { stages: stages.map(({ code, name, position, closes, rules }) => ({ code, name, position, closes, rules })), transitions: p.body.pipeline.transitions }, admin);
  expect(put.status).toBe(200);
});

afterAll(async () => {
  for (const c of sockets) c.close();
  await s?.stop();
});

describe('buildings have coordinates; zones hold the buildings inside them', () => {
  it('the demo buildings are plotted around Vologda', async () => {
    const r = await api<{ items: { lat: number; lon: number }[] }>(s.url, 'GET', '/api/buildings/points?tenantId=1', undefined, sup1);
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const p of r.body.items) expect(p.lat > 59.1 && p.lat < 59.3 && p.lon > 39.7 && p.lon < 40.1).toBe(true);
    expect((await api(s.url, 'GET', '/api/buildings/points?tenantId=1', undefined, sup2)).status).toBe(404);
  });

  it('a zone is validated, materialised, and invisible to another company', async () => {
    const d = 0.001;
    const square = [[b1.lon - d, b1.lat - d], [b1.lon + d, b1.lat - d], [b1.lon + d, b1.lat + d], [b1.lon - d, b1.lat + d]];
    for (const polygon of [square.slice(0, 2), [...square.slice(0, 3), [b1.lon, 95]], [[1, 1], [1, 1], [1, 1], [1, 1]]]) {
      const bad = await api<{ error: { code: string } }>(s.url, 'POST', '/api/zones', { tenantId: 1, name: 'плохая', polygon }, sup1);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_input');
    }
    expect((await api(s.url, 'POST', '/api/zones', { tenantId: 1, name: 'чужая', polygon: square }, sup2)).status).toBe(400);
    const r = await api<{ zone: { id: number; buildingCount: number; polygon: number[][] } }>(s.url, 'POST', '/api/zones', { tenantId: 1, name: 'Центр', polygon: square, responsibleId: sup1Id }, sup1);
    expect(r.status).toBe(201);
    zoneId = r.body.zone.id;
    expect(r.body.zone.buildingCount).toBeGreaterThanOrEqual(1);
    expect(r.body.zone.polygon).toHaveLength(5); // closed
    expect(sql('SELECT 1 FROM zone_buildings WHERE zone_id = ? AND building_id = ?', zoneId, b1.id)).toHaveLength(1);
    expect(sql('SELECT 1 FROM zone_buildings WHERE zone_id = ? AND building_id = ?', zoneId, b2.id)).toHaveLength(0);
    expect((await api(s.url, 'GET', `/api/zones/${zoneId}`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'PUT', `/api/zones/${zoneId}`, { tenantId: 1, name: 'x', polygon: square }, sup2)).status).toBe(404);
    expect((await api(s.url, 'DELETE', `/api/zones/${zoneId}`, undefined, sup2)).status).toBe(404);
    expect(((await api<{ items: unknown[] }>(s.url, 'GET', '/api/zones', undefined, sup2)).body.items)).toEqual([]);
  });
});

describe('executors and their schedules', () => {
  it('creates executors (user + profile); another company gets 404 on them', async () => {
    const mk = async (login: string, body: Record<string, unknown>) => {
      const r = await api<{ executor: { id: number; specialityIds: number[] } }>(s.url, 'POST', '/api/executors', { login, password: 'executor-pass-1', fullName: login, mobileNumber: '+7 911 000-00-00', tenantIds: [1], ...body }, sup1);
      expect(r.status).toBe(201);
      return r.body.executor.id;
    };
    plumber = await mk('plumber1', { specialityIds: [spec('plumber')], zoneIds: [zoneId] });
    idlePlumber = await mk('plumber2', { specialityIds: [spec('plumber')], buildingIds: [b1.id] });
    electrician = await mk('electric1', { specialityIds: [spec('electrician')], buildingIds: [b1.id] });
    expect(sql<{ role: string }>('SELECT role FROM users WHERE id = ?', plumber)[0]!.role).toBe('executor');
    plumberToken = await login(s.url, 'plumber1', 'executor-pass-1');

    expect((await api(s.url, 'GET', `/api/executors/${plumber}`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'PATCH', `/api/executors/${plumber}`, { fullName: 'x' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/executors/${plumber}/schedules`, { weekdays: [1], from: '08:00', to: '17:00' }, sup2)).status).toBe(404);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/executors', undefined, sup2)).body.items).toEqual([]);
    // Company 2's staff cannot create an executor for company 1, nor one serving company 1's building.
    expect((await api(s.url, 'POST', '/api/executors', { login: 'x1', password: 'executor-pass-1', fullName: 'x', tenantIds: [1] }, sup2)).status).toBe(400);
    expect((await api(s.url, 'POST', '/api/executors', { login: 'x2', password: 'executor-pass-1', fullName: 'x', tenantIds: [2], buildingIds: [b1.id] }, admin)).status).toBe(400);
    expect((await api(s.url, 'POST', '/api/executors', { login: 'x3', password: 'executor-pass-1', fullName: 'x', tenantIds: [2], zoneIds: [zoneId] }, admin)).status).toBe(400);
  });

  it('saves shifts, warns about overlaps, and records leave', async () => {
    const allWeek = { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' };
    for (const id of [plumber, idlePlumber, electrician]) {
      const r = await api<{ warnings: unknown[] }>(s.url, 'POST', `/api/executors/${id}/schedules`, allWeek, sup1);
      expect(r.status).toBe(201);
      expect(r.body.warnings).toEqual([]);
    }
    const second = await api<{ id: number; warnings: { weekday: string; from: string; to: string }[] }>(s.url, 'POST', `/api/executors/${plumber}/schedules`, { weekdays: [2], from: '09:00', to: '12:00' }, sup1);
    expect(second.body.warnings).toEqual([expect.objectContaining({ weekday: 'вт', from: '09:00', to: '12:00' })]);
    expect((await api(s.url, 'DELETE', `/api/executors/${plumber}/schedules/${second.body.id}`, undefined, sup1)).status).toBe(204);
    expect((await api(s.url, 'POST', `/api/executors/${plumber}/schedules`, { weekdays: [8], from: '25:00', to: '12:00' }, sup1)).status).toBe(400);
    const leave = await api(s.url, 'POST', `/api/executors/${idlePlumber}/exceptions`, { kind: 'vacation', from: shiftDate(today(), -1), to: shiftDate(today(), 1) }, sup1);
    expect(leave.status).toBe(201);
    expect((await api(s.url, 'POST', `/api/executors/${idlePlumber}/exceptions`, { kind: 'sick', from: '2026-02-30', to: '2026-03-01' }, sup1)).status).toBe(400);
  });
});

describe('automatic assignment on entering the assign stage', () => {
  it('picks the on-shift plumber serving the building and records it in history', async () => {
    const r = await newRequest(b1.account, 'water-leak');
    expect(r.assignee?.id).toBe(plumber); // not the electrician (speciality), not the plumber on vacation
    expect(r.history.some((h) => h.comment?.startsWith('назначен автоматически'))).toBe(true);
    expect(r.ruleErrors).toEqual([]);
  });

  it('nobody fits: the request stays unassigned, the dispatchers get an alarm, the error is on the request', async () => {
    const sock = await socketFor(s, sup1);
    sockets.push(sock);
    const alarms: { requestId: number; reason: string }[] = [];
    sock.on('request.alarm', (e) => alarms.push(e));
    const r = await newRequest(b2.account, 'water-leak'); // b2: nobody serves it
    expect(r.assignee).toBeNull();
    expect(r.ruleErrors[0]?.error).toMatch(/^Не назначена/);
    const got = await until('the alarm reaches the company supervisor', () => alarms.find((a) => a.requestId === r.id));
    expect(got.reason).toMatch(/обслуживающих/);
  });

  it('the dispatcher reassigns at any time; every assignment is in history', async () => {
    const r = await newRequest(b1.account, 'water-leak');
    const a = await api(s.url, 'POST', `/api/requests/${r.id}/assign`, { userId: electrician }, sup1);
    expect(a.status).toBe(200);
    const p = await api(s.url, 'PATCH', `/api/requests/${r.id}`, { assigneeId: idlePlumber }, sup1);
    expect(p.status).toBe(200);
    const d = await api<Detail>(s.url, 'GET', `/api/requests/${r.id}`, undefined, sup1);
    expect(d.body.request.assignee?.id).toBe(idlePlumber);
    const comments = d.body.request.history.map((h) => h.comment);
    expect(comments).toEqual(expect.arrayContaining([expect.stringMatching(/^назначен автоматически: plumber1/), 'назначен: electric1', 'назначен: plumber2']));
    expect((await api(s.url, 'POST', `/api/requests/${r.id}/assign`, { userId: plumber }, sup2)).status).toBe(404);
    const foreign = (await extraUser(s, 'op-dawn', 'operator', [2])).id;
    expect((await api(s.url, 'POST', `/api/requests/${r.id}/assign`, { userId: foreign }, sup1)).status).toBe(400);
  });
});

describe('groups share shifts', () => {
  it('a group’s shift puts its members on duty; another company’s staff get 404', async () => {
    const e = await api<{ executor: { id: number } }>(s.url, 'POST', '/api/executors', { login: 'brigade1', password: 'executor-pass-1', fullName: 'brigade1', tenantIds: [1], specialityIds: [spec('plumber')], buildingIds: [b2.id] }, sup1);
    expect(e.status).toBe(201);
    // No shift of their own: nobody is on duty for b2.
    const before = await newRequest(b2.account, 'water-leak');
    expect(before.assignee).toBeNull();
    const g = await api<{ group: { id: number; userIds: number[] } }>(s.url, 'POST', '/api/executor-groups', { tenantId: 1, name: 'Бригада 1', userIds: [e.body.executor.id] }, sup1);
    expect(g.status).toBe(201);
    expect(g.body.group.userIds).toEqual([e.body.executor.id]);
    const shift = await api<{ warnings: unknown[] }>(s.url, 'POST', `/api/executor-groups/${g.body.group.id}/schedules`, { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' }, sup1);
    expect(shift.status).toBe(201);
    const overlap = await api<{ warnings: unknown[] }>(s.url, 'POST', `/api/executor-groups/${g.body.group.id}/schedules`, { weekdays: [3], from: '10:00', to: '11:00' }, sup1);
    expect(overlap.body.warnings).toHaveLength(1);
    const after = await newRequest(b2.account, 'water-leak');
    expect(after.assignee?.id).toBe(e.body.executor.id);

    expect((await api(s.url, 'GET', `/api/executor-groups/${g.body.group.id}/schedules`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/executor-groups/${g.body.group.id}/schedules`, { weekdays: [1], from: '08:00', to: '09:00' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'DELETE', `/api/executor-groups/${g.body.group.id}`, undefined, sup2)).status).toBe(404);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/executor-groups', undefined, sup2)).body.items).toEqual([]);
    expect((await api(s.url, 'POST', '/api/executor-groups', { tenantId: 2, name: 'чужие', userIds: [e.body.executor.id] }, admin)).status).toBe(400);
  });
});

describe('an executor sees only the requests assigned to them', () => {
  it('list and page: their own only; other requests 404; other APIs 403', async () => {
    const mine = await newRequest(b1.account, 'water-leak');
    expect(mine.assignee?.id).toBe(plumber);
    const other = await newRequest(b2.account, 'water-leak');
    const list = await api<{ items: { id: number; assigneeId: number }[] }>(s.url, 'GET', '/api/requests?limit=200', undefined, plumberToken);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.id)).toContain(mine.id);
    expect(list.body.items.every((i) => i.assigneeId === plumber)).toBe(true);
    // Asking for someone else's requests still gives only their own.
    const spoof = await api<{ items: { assigneeId: number }[] }>(s.url, 'GET', `/api/requests?assigneeId=${electrician}`, undefined, plumberToken);
    expect(spoof.body.items.every((i) => i.assigneeId === plumber)).toBe(true);
    expect((await api(s.url, 'GET', `/api/requests/${mine.id}`, undefined, plumberToken)).status).toBe(200);
    expect((await api(s.url, 'GET', `/api/requests/${other.id}`, undefined, plumberToken)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${other.id}/comments`, { text: 'я тут' }, plumberToken)).status).toBe(404);
    for (const [m, p] of [['GET', '/api/calls'], ['GET', '/api/tickets'], ['GET', '/api/executors'], ['POST', '/api/requests'], ['GET', '/api/accounts/search?q=ленина'], ['GET', '/api/wallboard']] as const) {
      expect((await api(s.url, m, p, m === 'POST' ? {} : undefined, plumberToken)).status, `${m} ${p}`).toBe(403);
    }
  });
});

describe('the day route', () => {
  it('orders the executor’s visits, links Yandex Maps, prints', async () => {
    const r = await api<{ visits: { requestId: number; order: number }[]; yandexMapsUrl: string; distanceKm: number }>(s.url, 'GET', `/api/executors/${plumber}/route?date=${today()}`, undefined, sup1);
    expect(r.status).toBe(200);
    expect(r.body.visits.length).toBeGreaterThanOrEqual(2);
    expect(r.body.yandexMapsUrl).toMatch(/^https:\/\/yandex\.ru\/maps\/\?rtext=59\.\d+,39\.\d+(~59\.\d+,39\.\d+)+&rtt=auto$/);
    const own = await api(s.url, 'GET', `/api/executors/me/route?date=${today()}`, undefined, plumberToken);
    expect(own.body).toEqual(expect.objectContaining({ visits: r.body.visits }));
    const text = await fetch(`${s.url}/api/executors/${plumber}/route?date=${today()}&format=text`, { headers: { authorization: `Bearer ${sup1}` } });
    expect(await text.text()).toMatch(/^Маршрут на \d{4}-\d{2}-\d{2}: plumber1/);
    expect((await api(s.url, 'GET', `/api/executors/${plumber}/route?date=2026-13-01`, undefined, sup1)).status).toBe(400);
    expect((await api(s.url, 'GET', `/api/executors/${plumber}/route?date=${today()}`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/executors/${plumber}/route?date=${today()}`, undefined, plumberToken)).status).toBe(403);
  });

  it('moving a building out of the zone re-materialises it', async () => {
    const r = await api<{ zoneIds: number[] }>(s.url, 'PUT', `/api/buildings/${b1.id}/coordinates`, { lat: b2.lat, lon: b2.lon }, sup1);
    expect(r.status).toBe(200);
    expect(r.body.zoneIds).toEqual([]);
    const back = await api<{ zoneIds: number[] }>(s.url, 'PUT', `/api/buildings/${b1.id}/coordinates`, { lat: b1.lat, lon: b1.lon }, sup1);
    expect(back.body.zoneIds).toEqual([zoneId]);
    expect((await api(s.url, 'PUT', `/api/buildings/${b1.id}/coordinates`, { lat: 1, lon: 1 }, sup2)).status).toBe(404);
    expect((await api(s.url, 'PUT', `/api/buildings/${b1.id}/coordinates`, { lat: 91, lon: 1 }, sup1)).status).toBe(400);
  });
});

describe('the directory import takes buildings’ coordinates', () => {
  it('lat/lon columns set coordinates and zones; bad ones are rejected with the reason', async () => {
    const d = 0.0005;
    const zone = await api<{ zone: { id: number } }>(s.url, 'POST', '/api/zones', { tenantId: 1, name: 'Новый квартал', polygon: [[40.5 - d, 59.5 - d], [40.5 + d, 59.5 - d], [40.5 + d, 59.5 + d], [40.5 - d, 59.5 + d]] }, admin);
    const csv = [
      'Лицевой счет;ФИО;УК;Город;Улица;Дом;Квартира;Широта;Долгота',
      '9900001;Иванов И. И.;УК «Северный квартал»;Вологда;ул. Новая;1;1;59,5;40.5',
      '9900002;Петров П. П.;УК «Северный квартал»;Вологда;ул. Новая;2;1;95;40.5',
      '9900003;Сидоров С. С.;УК «Северный квартал»;Вологда;ул. Новая;3;1;59.5;',
    ].join('\r\n');
    const r = await fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${admin}` }, body: csv });
    expect(r.status).toBe(200);
    const report = await r.json() as { inserted: number; rejected: number; errors: { line: number; field: string; problem: string }[] };
    expect(report.inserted).toBe(1);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 3, field: 'lat', problem: expect.stringMatching(/^широта «95»/) }),
      expect.objectContaining({ line: 4, field: 'lon', problem: expect.stringMatching(/нужны и широта, и долгота/) }),
    ]);
    const b = sql<{ id: number; lat: number; lon: number }>(`SELECT b.id, b.lat, b.lon FROM buildings b JOIN accounts a ON a.building_id = b.id WHERE a.account_number = '9900001'`)[0]!;
    expect([b.lat, b.lon]).toEqual([59.5, 40.5]);
    expect(sql('SELECT 1 FROM zone_buildings WHERE zone_id = ? AND building_id = ?', zone.body.zone.id, b.id)).toHaveLength(1);
  });
});
