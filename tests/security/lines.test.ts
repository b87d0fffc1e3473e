// Issue 15, item 3: a line's entry menu is set through the lines API, within
// the company. A menu that sends callers to another company's line (or a
// line that does not exist, or uses a key twice) is a 400 that says what is
// wrong; another company's line itself is as unknown as a missing one (404);
// operators may not touch lines (403). Demo companies: 1 (line 1) and 2 (line 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, type Server } from '../support/security-probes.js';

let s: Server;
let admin = '';
let supervisor1 = '';
let ownPlanned = 0;

interface Problem { field: string; problem: string }
type Err = { error: { code: string; details?: Problem[] } };

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  supervisor1 = (await extraUser(s, 'sup-north', 'supervisor', [1])).token;
  const r = await api<{ line: { id: number; tenantId: number } }>(s.url, 'POST', '/api/lines', { name: 'Плановая (Северный)', tenantId: 1 }, supervisor1);
  expect(r.status).toBe(201);
  ownPlanned = r.body.line.id;
});
afterAll(async () => {
  await s?.stop();
});

const menuOf = (lineId: number) => s.db.prepare('SELECT count(*) FROM line_entry_menus WHERE line_id = ?').pluck().get(lineId);

describe('entry menus stay within the company', () => {
  it('a menu on the own company\'s line to its own lines is stored and shown', async () => {
    const r = await api<{ entryMenu: unknown }>(s.url, 'PUT', '/api/lines/1/entry-menu', { options: [{ digit: '1', lineId: 1 }, { digit: '2', lineId: ownPlanned }] }, supervisor1);
    expect(r.status).toBe(200);
    expect(r.body.entryMenu).toEqual({ prompt: ['pult/entry-menu'], timeoutSec: 5, options: [{ digit: '1', lineId: 1 }, { digit: '2', lineId: ownPlanned }] });
    const list = await api<{ items: { id: number; entryMenu: unknown }[] }>(s.url, 'GET', '/api/lines', undefined, supervisor1);
    expect(list.body.items.map((l) => l.id).sort()).toEqual([1, ownPlanned].sort()); // not company 2's line
    expect(list.body.items.find((l) => l.id === 1)!.entryMenu).toEqual(r.body.entryMenu);
  });

  it('a key to another company\'s line: 400 naming the option, even for an admin who sees both; nothing changes', async () => {
    for (const token of [supervisor1, admin]) {
      const r = await api<Err>(s.url, 'PUT', '/api/lines/1/entry-menu', { options: [{ digit: '1', lineId: 1 }, { digit: '2', lineId: 2 }] }, token);
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ field: 'options.1.lineId', problem: "not a line of this line's company" }]);
    }
    const shown = await api<{ line: { entryMenu: { options: unknown[] } } }>(s.url, 'GET', '/api/lines/1', undefined, admin);
    expect(shown.body.line.entryMenu.options).toEqual([{ digit: '1', lineId: 1 }, { digit: '2', lineId: ownPlanned }]);
  });

  it('another company\'s line: 404 to read it, to set or remove its menu', async () => {
    expect((await api(s.url, 'GET', '/api/lines/2', undefined, supervisor1)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/lines/2/entry-menu', { options: [{ digit: '1', lineId: 2 }] }, supervisor1)).status).toBe(404);
    expect((await api(s.url, 'DELETE', '/api/lines/2/entry-menu', undefined, supervisor1)).status).toBe(404);
    expect(menuOf(2)).toBe(0);
    // A new line for another company: refused.
    const r = await api<Err>(s.url, 'POST', '/api/lines', { name: 'Чужая', tenantId: 2 }, supervisor1);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'tenantId', problem: 'no such company' }]);
  });

  it('bad menus: 400 with what is wrong', async () => {
    const cases: [unknown, string[]][] = [
      [{ options: [{ digit: '1', lineId: 1 }, { digit: '1', lineId: ownPlanned }] }, ['options.1.digit']],
      [{ options: [{ digit: '*', lineId: 1 }] }, ['options.0.digit']],
      [{ options: [{ digit: '12', lineId: 1 }] }, ['options.0.digit']],
      [{ options: [{ digit: '3', lineId: 999 }] }, ['options.0.lineId']],
      [{ options: [] }, ['options']],
      [{ options: [{ digit: '1', lineId: 1 }], timeoutSec: 0 }, ['timeoutSec']],
      [{ options: [{ digit: '1', lineId: 1 }], prompt: ['../../etc/passwd'] }, ['prompt.0']],
      [{ options: [{ digit: '1', lineId: 1 }], extra: true }, ['body']],
    ];
    for (const [body, fields] of cases) {
      const r = await api<Err>(s.url, 'PUT', '/api/lines/1/entry-menu', body, supervisor1);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details!.map((d) => d.field), JSON.stringify(body)).toEqual(fields);
    }
    expect((await api(s.url, 'PUT', '/api/lines/abc/entry-menu', { options: [] }, supervisor1)).status).toBe(400);
  });

  it('operators may not set menus; nobody without a session may', async () => {
    const operator = await login(s.url, 'operator', 'demo');
    expect((await api(s.url, 'PUT', '/api/lines/1/entry-menu', { options: [{ digit: '1', lineId: 1 }] }, operator)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/lines', undefined, operator)).status).toBe(403);
    expect((await api(s.url, 'PUT', '/api/lines/1/entry-menu', { options: [{ digit: '1', lineId: 1 }] })).status).toBe(401);
  });

  it('removing the menu: calls go straight to the queue again', async () => {
    expect((await api(s.url, 'DELETE', '/api/lines/1/entry-menu', undefined, supervisor1)).status).toBe(204);
    expect(menuOf(1)).toBe(0);
    expect((await api<{ line: { entryMenu: unknown } }>(s.url, 'GET', '/api/lines/1', undefined, supervisor1)).body.line.entryMenu).toBeNull();
  });
});
