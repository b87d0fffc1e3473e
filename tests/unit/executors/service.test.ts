// ExecutorService against a real (in-memory) database with a fake clock:
// the automatic choice at the current or booked time, alarms, the day route.
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.js';
import { AuthService } from '../../../src/features/auth/service.js';
import { ExecutorRepository } from '../../../src/features/executors/repository.js';
import { ExecutorService, localMidnight, type AlarmEvent } from '../../../src/features/executors/service.js';
import { silentLogger } from '../../../src/log.js';

let db: Db;
let now = new Date('2026-12-07T06:00:00Z'); // Monday 09:00 in Moscow
const clock = { now: () => now };
let alarms: { tenantId: number; dispatchers: number[]; e: AlarmEvent }[];
let assigned: number[];
let repo: ExecutorRepository;
let svc: ExecutorService;
let ticketSeq = 0;

const leak = () => db.prepare("SELECT id FROM ticket_categories WHERE code = 'water-leak'").pluck().get() as number;
const plumberSpec = () => db.prepare("SELECT id FROM specialities WHERE code = 'plumber'").pluck().get() as number;
const request = (buildingId: number, o: { postponedUntil?: string; createdAt?: string } = {}) => {
  const id = ++ticketSeq;
  db.prepare(`INSERT INTO tickets (id, number, tenant_id, kind, category_id, description, building_id, address, status, created_by, created_at, stage_code, postponed_until)
    VALUES (?, ?, 1, 'emergency', ?, 'течь', ?, 'адрес', 'open', 1, ?, 'new', ?)`).run(id, `N-${id}`, leak(), buildingId, o.createdAt ?? now.toISOString(), o.postponedUntil ?? null);
  return id;
};

beforeEach(() => {
  db = openDb(':memory:');
  now = new Date('2026-12-07T06:00:00Z');
  alarms = [];
  assigned = [];
  ticketSeq = 0;
  db.prepare("INSERT INTO tenants (id, name) VALUES (1, 'УК')").run();
  db.prepare("INSERT INTO users (id, login, password_hash, role, full_name, created_at) VALUES (1, 'disp', 'x', 'supervisor', 'Диспетчер', '2026-01-01')").run();
  const b = db.prepare("INSERT INTO buildings (id, tenant_id, street, house, address, street_key, house_key, house_num, addr_key, lat, lon) VALUES (?, 1, 'ул. Мира', ?, ?, 'мира', ?, ?, ?, ?, ?)");
  for (const [id, lat, lon] of [[1, 59.22, 39.88], [2, 59.22, 39.90], [3, 59.22, 39.89], [4, 59.30, 39.80]] as const) b.run(id, String(id), `ул. Мира, д. ${id}`, String(id), id, `|мира|${id}`, lat, lon);
  repo = new ExecutorRepository(db);
  svc = new ExecutorService(repo, new AuthService(db, clock, 12), clock, 'Europe/Moscow', { assigned: (u) => assigned.push(u), alarm: (tenantId, dispatchers, e) => alarms.push({ tenantId, dispatchers, e }) }, silentLogger);
});

describe('automatic assignment', () => {
  it('assigns the on-shift plumber at the current time; off shift → alarm to the zone’s dispatcher', () => {
    const zone = repo.geo.saveZone({ tenantId: 1, city: '', name: 'Центр', polygon: [[39.87, 59.21], [39.91, 59.21], [39.91, 59.23], [39.87, 59.23]], responsibleId: 1 });
    const p = svc.create({ login: 'p1', password: 'secret-pass-1', fullName: 'Сантехник', mobileNumber: null, tenantIds: [1], specialityIds: [plumberSpec()], buildingIds: [], zoneIds: [zone] });
    svc.addSchedule(p, { weekdays: 0b0011111, from: '08:00', to: '17:00', zoneId: null });
    expect(svc.autoAssign(request(1), 'new')).toBe(p);
    expect(assigned).toEqual([p]);
    expect(db.prepare('SELECT last_assigned_at FROM executor_profiles WHERE user_id = ?').pluck().get(p)).toBe(now.toISOString());

    now = new Date('2026-12-07T15:00:00Z'); // 18:00
    const late = request(1);
    expect(() => svc.autoAssign(late, 'new')).toThrow(/^Не назначена: нет исполнителей на смене/);
    expect(alarms).toEqual([{ tenantId: 1, dispatchers: [1], e: expect.objectContaining({ requestId: late, reason: 'нет исполнителей на смене в это время' }) }]);
    expect(db.prepare('SELECT assignee_id FROM tickets WHERE id = ?').pluck().get(late)).toBeNull();

    // Booked for tomorrow 10:00: the shift then counts.
    expect(svc.autoAssign(request(1, { postponedUntil: '2026-12-08T07:00:00Z' }), 'new')).toBe(p);
    // A building outside the zone: nobody serves it.
    expect(() => svc.autoAssign(request(4), 'new')).toThrow(/обслуживающих дом/);
  });

  it('the least loaded of two wins; the tie goes to the one longest without an assignment', () => {
    const mk = (login: string) => {
      const id = svc.create({ login, password: 'secret-pass-1', fullName: login, mobileNumber: null, tenantIds: [1], specialityIds: [plumberSpec()], buildingIds: [1], zoneIds: [] });
      svc.addSchedule(id, { weekdays: 127, from: '00:00', to: '00:00', zoneId: null });
      return id;
    };
    const a = mk('a');
    const b = mk('b');
    const first = svc.autoAssign(request(1), 'new');
    expect(first).toBe(a); // both never assigned, no load: the lower id
    expect(svc.autoAssign(request(1), 'new')).toBe(b); // a now has one open request
    now = new Date(now.getTime() + 60_000);
    db.prepare("UPDATE tickets SET status = 'closed'").run();
    expect(svc.autoAssign(request(1), 'new')).toBe(a); // no load on either: a waited longer
  });

  it('warns about overlapping shifts when one is saved', () => {
    const p = svc.create({ login: 'p2', password: 'secret-pass-1', fullName: 'x', mobileNumber: null, tenantIds: [1], specialityIds: [], buildingIds: [], zoneIds: [] });
    const first = svc.addSchedule(p, { weekdays: 0b0000001, from: '08:00', to: '17:00', zoneId: null });
    expect(first.warnings).toEqual([]);
    expect(svc.addSchedule(p, { weekdays: 0b0000011, from: '16:00', to: '18:00', zoneId: null }).warnings).toEqual([{ scheduleId: first.id, weekday: 'пн', from: '16:00', to: '17:00' }]);
  });
});

describe('the day route', () => {
  it('orders the day’s visits along the street and skips other days', () => {
    const p = svc.create({ login: 'p3', password: 'secret-pass-1', fullName: 'x', mobileNumber: null, tenantIds: [1], specialityIds: [], buildingIds: [], zoneIds: [] });
    const ids = [request(2), request(1), request(3), request(1, { postponedUntil: '2026-12-09T07:00:00Z' })];
    db.prepare(`UPDATE tickets SET assignee_id = ? WHERE id IN (${ids.join(',')})`).run(p);
    const r = svc.route(p, '2026-12-07');
    // Buildings at lon 39.90 (first request), 39.88, 39.89: the order walks the line 2 → 3 → 1 (lon 39.90 → 39.89 → 39.88).
    expect(r.visits.map((v) => v.requestId)).toEqual([ids[0], ids[2], ids[1]]);
    expect(r.yandexMapsUrl).toBe('https://yandex.ru/maps/?rtext=59.220000,39.900000~59.220000,39.890000~59.220000,39.880000&rtt=auto');
    expect(r.distanceKm).toBeCloseTo(1.1, 1); // 0.02° of longitude at 59° N
    expect(svc.route(p, '2026-12-09').visits.map((v) => v.requestId)).toContain(ids[3]);
    expect(svc.route(p, '2026-12-06').visits).toEqual([]); // before they were registered
  });

  it('local midnight follows the time zone and DST', () => {
    expect(localMidnight('2026-12-07', 'Europe/Moscow').toISOString()).toBe('2026-12-06T21:00:00.000Z');
    expect(localMidnight('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(localMidnight('2026-01-01', 'Europe/Berlin').toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });
});
