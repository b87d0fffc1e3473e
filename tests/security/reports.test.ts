// Issue 12, item 3: reports over HTTP on a constructed data set
// (tests/support/report-fixture.ts). Every figure is asserted exactly:
// counts per dimension, medians and p90s, shares, service level, ASA; the
// company scope (another company's id → 404, operators → 403); bad queries
// → 400 with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { loadReportFixture, type ReportFixture } from '../support/report-fixture.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { AuthService } from '../../src/features/auth/service.js';
import { systemClock } from '../../src/clock.js';

let s: Server;
let fx: ReportFixture;
let sup: string;
let sup1: string;
const nov = 'from=2026-11-01&to=2026-11-30';

interface Share { met: number; of: number; pct: number | null }
interface Stats { count: number; medianSec: number | null; p90Sec: number | null }
interface RequestFigures { received: number; done: number; late: number; open: number; cancelled: number; onTime: Share; handover: Stats; complete: Stats }
interface CallFigures {
  offered: number; answered: number; answeredOnMobile: number; abandoned: number; shortAbandoned: number; unanswered: number; waiting: number;
  serviceLevel: number | null; asaSec: number | null; abandonRate: number | null; answeredWithin5Min: Share; callbacksWithin10Min: Share;
}
interface Report<F> { total: F; rows: { key: string | number | null; label: string | null; figures: F }[] }

const share = (met: number, of: number, pct: number | null): Share => ({ met, of, pct });
const stats = (count: number, medianSec: number | null, p90Sec: number | null): Stats => ({ count, medianSec, p90Sec });

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '200' });
  fx = loadReportFixture(s.db);
  new AuthService(s.db, systemClock, 12).createUser({ login: 'sup-north', password: 'secret-pass', role: 'supervisor', fullName: 'Старший диспетчер севера', tenantIds: [1] });
  sup = await login(s.url, 'supervisor', 'demo');
  sup1 = await login(s.url, 'sup-north', 'secret-pass');
}, 60_000);

afterAll(async () => {
  await s?.stop();
});

const get = <T>(path: string, token = sup) => api<T>(s.url, 'GET', path, undefined, token);

describe('requests report', () => {
  it('company 1 in November: totals, medians and p90s of handing over and completing', async () => {
    const r = await get<Report<RequestFigures>>(`/api/reports/requests?${nov}&tenantId=1&by=company`);
    expect(r.status).toBe(200);
    // r1..r7 (r8 is 31 October local, r9 is company 2). Deadlines decided: r1, r2, r3 done; r4, r5 open past due; met: r1, r3.
    // Handed after 600, 1200, 300, 2400, 3600 s; done after 1500, 3000, 3600, 10800 s.
    const total: RequestFigures = { received: 7, done: 4, late: 3, open: 2, cancelled: 1, onTime: share(2, 5, 40), handover: stats(5, 1200, 3600), complete: stats(4, 3300, 10800) };
    expect(r.body.total).toEqual(total);
    expect(r.body.rows).toEqual([{ key: 1, label: 'УК «Северный квартал»', figures: total }]);
  });

  it('by category', async () => {
    const r = await get<Report<RequestFigures>>(`/api/reports/requests?${nov}&tenantId=1&by=category`);
    expect(r.body.rows.map((x) => [x.key, x.figures])).toEqual([
      [fx.categories.waterLeak, { received: 3, done: 2, late: 1, open: 0, cancelled: 1, onTime: share(1, 2, 50), handover: stats(2, 900, 1200), complete: stats(2, 2250, 3000) }],
      [fx.categories.sewer, { received: 2, done: 1, late: 1, open: 1, cancelled: 0, onTime: share(1, 2, 50), handover: stats(2, 1350, 2400), complete: stats(1, 3600, 3600) }],
      // Same count: by name (Протечка before Прочая).
      [fx.categories.roof, { received: 1, done: 0, late: 1, open: 1, cancelled: 0, onTime: share(0, 1, 0), handover: stats(0, null, null), complete: stats(0, null, null) }],
      [fx.categories.otherPlanned, { received: 1, done: 1, late: 0, open: 0, cancelled: 0, onTime: share(0, 0, null), handover: stats(1, 3600, 3600), complete: stats(1, 10800, 10800) }],
    ]);
  });

  it('by executor, building, channel and day', async () => {
    const by = async (d: string) => (await get<Report<RequestFigures>>(`/api/reports/requests?${nov}&tenantId=1&by=${d}`)).body.rows.map((x) => [x.key, x.label, x.figures.received]);
    expect(await by('executor')).toEqual([[fx.executors.orlov, 'Орлов С. С.', 4], [fx.executors.belov, 'Белов Э. Э.', 2], [null, null, 1]]);
    expect(await by('building')).toEqual([[fx.buildings.a, fx.buildings.aAddress, 4], [fx.buildings.b, fx.buildings.bAddress, 3]]);
    expect(await by('channel')).toEqual([['call', 'call', 5], ['email', 'email', 1], ['web', 'web', 1]]);
    expect(await by('day')).toEqual([['2026-11-10', '2026-11-10', 2], ['2026-11-12', '2026-11-12', 2], ['2026-11-20', '2026-11-20', 2], ['2026-11-21', '2026-11-21', 1]]);
  });

  it('all of a supervisor\'s companies by company; one company\'s supervisor sees only theirs', async () => {
    const both = await get<Report<RequestFigures>>(`/api/reports/requests?${nov}&by=company`);
    expect(both.body.rows.map((x) => [x.key, x.figures.received])).toEqual([[1, 7], [2, 1]]);
    expect(both.body.total.received).toBe(8);
    const one = await get<Report<RequestFigures>>(`/api/reports/requests?${nov}&by=company`, sup1);
    expect(one.body.rows.map((x) => [x.key, x.figures.received])).toEqual([[1, 7]]);
  });
});

describe('calls report', () => {
  // Company 1 in November: c8 (00:00 on 1 Nov local), c1..c7 on 10 Nov; c0 is 31 October local.
  const hour9: CallFigures = {
    offered: 3, answered: 2, answeredOnMobile: 1, abandoned: 0, shortAbandoned: 0, unanswered: 0, waiting: 0,
    serviceLevel: 33.3, asaSec: 133.3, abandonRate: 0, answeredWithin5Min: share(2, 3, 66.7), callbacksWithin10Min: share(0, 0, null),
  };
  const hour14: CallFigures = {
    offered: 4, answered: 1, answeredOnMobile: 0, abandoned: 1, shortAbandoned: 1, unanswered: 1, waiting: 0,
    serviceLevel: 0, asaSec: 300, abandonRate: 25, answeredWithin5Min: share(1, 4, 25), callbacksWithin10Min: share(1, 3, 33.3),
  };
  const hour0: CallFigures = {
    offered: 1, answered: 1, answeredOnMobile: 0, abandoned: 0, shortAbandoned: 0, unanswered: 0, waiting: 0,
    serviceLevel: 100, asaSec: 5, abandonRate: 0, answeredWithin5Min: share(1, 1, 100), callbacksWithin10Min: share(0, 0, null),
  };
  const total: CallFigures = {
    offered: 8, answered: 4, answeredOnMobile: 1, abandoned: 1, shortAbandoned: 1, unanswered: 1, waiting: 0,
    // SL: c8, c1 within 20 s of 7 (answered 5 + abandoned 1 + unanswered 1; the short abandon left out). ASA: (5+10+30+360+300)/5.
    serviceLevel: 28.6, asaSec: 141, abandonRate: 12.5, answeredWithin5Min: share(4, 8, 50), callbacksWithin10Min: share(1, 3, 33.3),
  };

  it('by hour of the day (local time)', async () => {
    const r = await get<Report<CallFigures>>(`/api/reports/calls?${nov}&tenantId=1&by=hour`);
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ key: 0, label: null, figures: hour0 }, { key: 9, label: null, figures: hour9 }, { key: 14, label: null, figures: hour14 }]);
    expect(r.body.total).toEqual(total);
  });

  it('by day and by line', async () => {
    const byDay = await get<Report<CallFigures>>(`/api/reports/calls?${nov}&tenantId=1&by=day`);
    expect(byDay.body.rows.map((x) => [x.key, x.figures.offered, x.figures.serviceLevel])).toEqual([['2026-11-01', 1, 100], ['2026-11-10', 7, 16.7]]);
    const byLine = await get<Report<CallFigures>>(`/api/reports/calls?${nov}&by=line`);
    expect(byLine.body.rows).toEqual([
      { key: 1, label: 'Аварийная линия', figures: total },
      // Company 2, threshold 60 s: d1 answered after 45 s, d2 abandoned after 100 s.
      { key: 2, label: 'Плановые работы', figures: { offered: 2, answered: 1, answeredOnMobile: 0, abandoned: 1, shortAbandoned: 0, unanswered: 0, waiting: 0, serviceLevel: 50, asaSec: 45, abandonRate: 50, answeredWithin5Min: share(1, 2, 50), callbacksWithin10Min: share(0, 0, null) } },
    ]);
  });

  it('a period ending on 31 October holds the call of 23:59:59 local and not the one of 00:00', async () => {
    const r = await get<Report<CallFigures>>('/api/reports/calls?from=2026-10-31&to=2026-10-31&tenantId=1&by=hour');
    expect(r.body.rows.map((x) => [x.key, x.figures.offered])).toEqual([[23, 1]]);
  });
});

describe('executors and complaints', () => {
  it('ratings: on-time share × (1 − reopened ÷ done); load = open requests now', async () => {
    const r = await get<{ items: unknown[] }>(`/api/reports/executors?${nov}&tenantId=1`);
    expect(r.body.items).toEqual([
      { userId: fx.executors.belov, name: 'Белов Э. Э.', assigned: 2, done: 1, onTime: share(1, 1, 100), reopened: 0, openNow: 1, complete: stats(1, 3600, 3600), residentScore: { count: 0, average: null }, rating: 100 },
      // r1 on time, r2 late and reopened once, r6 without a deadline: 1/2 × (1 − 1/3).
      { userId: fx.executors.orlov, name: 'Орлов С. С.', assigned: 4, done: 3, onTime: share(1, 2, 50), reopened: 1, openNow: 0, complete: stats(3, 3000, 10800), residentScore: { count: 0, average: null }, rating: 33.3 },
    ]);
  });

  it('top categories and buildings', async () => {
    const r = await get<{ categories: unknown[]; buildings: unknown[] }>(`/api/reports/complaints?${nov}&tenantId=1&limit=3`);
    expect(r.body.categories).toEqual([
      { id: fx.categories.waterLeak, name: 'Авария на внутридомовых сетях водоснабжения (локализация)', count: 3 },
      { id: fx.categories.sewer, name: 'Засор канализации', count: 2 },
      { id: fx.categories.roof, name: 'Протечка кровли (в одном месте)', count: 1 },
    ]);
    expect(r.body.buildings).toEqual([{ id: fx.buildings.a, address: fx.buildings.aAddress, count: 4 }, { id: fx.buildings.b, address: fx.buildings.bAddress, count: 3 }]);
  });
});

describe('compliance (decree 416) as JSON', () => {
  it('the three shares with the counts behind them', async () => {
    const r = await get<{ answeredWithin5Min: Share; callbacksWithin10Min: Share; requestsInTime: Share; tenant: { id: number } }>('/api/reports/compliance?tenantId=1&month=2026-11');
    expect(r.status).toBe(200);
    expect([r.body.tenant.id, r.body.answeredWithin5Min, r.body.callbacksWithin10Min, r.body.requestsInTime]).toEqual([1, share(4, 8, 50), share(1, 3, 33.3), share(2, 5, 40)]);
  });
});

describe('scope and validation', () => {
  it('another company\'s id is not found, for every report', async () => {
    for (const p of [
      `/api/reports/requests?${nov}&tenantId=2`, `/api/reports/calls?${nov}&tenantId=2`, `/api/reports/executors?${nov}&tenantId=2`,
      `/api/reports/complaints?${nov}&tenantId=2`, '/api/reports/compliance?tenantId=2&month=2026-11', '/api/reports/compliance.pdf?tenantId=2&month=2026-11',
      '/api/reports/compliance.xlsx?tenantId=2&month=2026-11', '/api/reports/snapshots?tenantId=2', '/api/reports/requests?from=2026-11-01&to=2026-11-30&tenantId=999',
    ]) {
      const r = await get<{ error: { code: string } }>(p, sup1);
      expect([p, r.status, r.body.error.code]).toEqual([p, 404, 'not_found']);
    }
  });

  it('operators and executors may not see reports; nobody without a token', async () => {
    const op = await login(s.url, 'operator', 'demo');
    expect((await get(`/api/reports/requests?${nov}`, op)).status).toBe(403);
    expect((await get('/api/reports/compliance.pdf?tenantId=1&month=2026-11', await login(s.url, 'orlov', 'secret-pass'))).status).toBe(403);
    expect((await api(s.url, 'GET', `/api/reports/calls?${nov}`)).status).toBe(401);
  });

  it('bad queries are 400s naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/reports/requests?from=2026-11-30&to=2026-11-01', 'to'],
      ['/api/reports/requests?from=2025-11-01&to=2026-11-30', 'to'],
      ['/api/reports/requests?from=2026-02-30&to=2026-03-01', 'from'],
      [`/api/reports/requests?${nov}&by=street`, 'by'],
      [`/api/reports/calls?${nov}&by=week`, 'by'],
      ['/api/reports/calls?to=2026-11-30', 'from'],
      [`/api/reports/requests?${nov}&tenantId=abc`, 'tenantId'],
      [`/api/reports/requests?${nov}&sort=1`, 'query'],
      ['/api/reports/compliance.pdf?tenantId=1&month=2026-13', 'month'],
      ['/api/reports/compliance.xlsx?month=2026-11', 'tenantId'],
      ['/api/reports/snapshots?kind=monthly', 'kind'],
    ];
    for (const [p, field] of cases) {
      const r = await get<{ error: { code: string; details: { field: string }[] } }>(p);
      expect([p, r.status, r.body.error.code]).toEqual([p, 400, 'invalid_input']);
      expect(r.body.error.details.map((d) => d.field)).toContain(field);
    }
  });
});
