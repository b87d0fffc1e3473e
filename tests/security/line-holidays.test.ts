// Issue 13, item 1: holidays on lines. A supervisor sets the holidays of
// their company's line (closed all day, or a shortened pre-holiday day);
// another company's line is as unknown as a missing one (404); operators may
// not (403); bad dates are a 400 naming the field; the change is in the audit
// log with before and after; the line as the router reads it carries them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, type Server } from '../support/security-probes.js';

let s: Server;
let supervisor1 = '';
let operator = '';

interface Holiday { date: string; hours: [string, string] | null; note: string }
type Err = { error: { code: string; details?: { field: string; problem: string }[] } };

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  supervisor1 = (await extraUser(s, 'sup-north', 'supervisor', [1])).token;
  operator = await login(s.url, 'operator', 'demo');
});
afterAll(async () => {
  await s?.stop();
});

const newYear = [
  { date: '2027-01-01', note: 'Новый год' },
  { date: '2026-12-31', hours: ['08:00', '16:00'], note: 'предпраздничный день' },
];

describe('a line\'s holidays', () => {
  it('the company\'s supervisor sets them; they are read back sorted, on the line too, and audited', async () => {
    expect((await api<{ holidays: Holiday[] }>(s.url, 'GET', '/api/lines/1/holidays', undefined, supervisor1)).body.holidays).toEqual([]);
    const r = await api<{ holidays: Holiday[] }>(s.url, 'PUT', '/api/lines/1/holidays', { holidays: newYear }, supervisor1);
    expect(r.status).toBe(200);
    const expected = [
      { date: '2026-12-31', hours: ['08:00', '16:00'], note: 'предпраздничный день' },
      { date: '2027-01-01', hours: null, note: 'Новый год' },
    ];
    expect(r.body.holidays).toEqual(expected);
    expect((await api<{ holidays: Holiday[] }>(s.url, 'GET', '/api/lines/1/holidays', undefined, supervisor1)).body.holidays).toEqual(expected);
    expect((await api<{ line: { holidays: Holiday[] } }>(s.url, 'GET', '/api/lines/1', undefined, supervisor1)).body.line.holidays).toEqual(expected);
    // What routing reads: the line's holidays, at once.
    expect(s.lines.get(1)!.holidays).toEqual(expected);

    const audit = await api<{ items: { action: string; entity: string; entityId: number; before: unknown; after: unknown }[] }>(s.url, 'GET', '/api/audit?entity=line&entityId=1', undefined, supervisor1);
    expect(audit.body.items[0]).toMatchObject({ action: 'update', entity: 'line', entityId: 1, before: { holidays: [] }, after: { holidays: expected } });

    // The whole list is replaced: an empty list clears it.
    expect((await api<{ holidays: Holiday[] }>(s.url, 'PUT', '/api/lines/1/holidays', { holidays: [] }, supervisor1)).body.holidays).toEqual([]);
    expect(s.lines.get(1)!.holidays).toEqual([]);
  });

  it('another company\'s line is not found; operators may not; nothing changes', async () => {
    expect((await api(s.url, 'GET', '/api/lines/2/holidays', undefined, supervisor1)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/lines/2/holidays', { holidays: newYear }, supervisor1)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/lines/999/holidays', { holidays: newYear }, supervisor1)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/lines/1/holidays', { holidays: newYear }, operator)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/lines/1/holidays', undefined, operator)).status).toBe(403);
    expect((await api(s.url, 'PUT', '/api/lines/1/holidays', { holidays: newYear })).status).toBe(401);
    expect(s.lines.get(2)!.holidays).toEqual([]);
  });

  it('bad dates and hours are a 400 that names the field', async () => {
    const bad = async (holidays: unknown) => {
      const r = await api<Err>(s.url, 'PUT', '/api/lines/1/holidays', { holidays }, supervisor1);
      expect(r.status).toBe(400);
      return [...new Set(r.body.error.details!.map((d) => d.field))];
    };
    expect(await bad([{ date: '2027-02-30' }])).toEqual(['holidays.0.date']);
    expect(await bad([{ date: '01.01.2027' }])).toEqual(['holidays.0.date']);
    expect(await bad([{ date: '2027-01-01', hours: ['16:00', '08:00'] }])).toEqual(['holidays.0.hours']);
    expect(await bad([{ date: '2027-01-01', hours: ['8', '16'] }])).toContain('holidays.0.hours.0');
    expect(await bad([{ date: '2027-01-01' }, { date: '2027-01-01' }])).toEqual(['holidays']);
    expect(await bad([{ date: '2027-01-01', closed: true }])).toEqual(['holidays.0']);
    expect(s.lines.get(1)!.holidays).toEqual([]);
  });
});
