// Issue 9, item 9: bad requests get a clear 4xx in JSON, never a 500 with a
// stack trace: oversized bodies, forms with too many fields, references to
// records that do not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
let admin = '';
let operator = '';

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  operator = await login(s.url, 'operator', 'demo');
});

afterAll(async () => {
  await s?.stop();
});

const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

describe('oversized and overfull bodies', () => {
  it('a 3 MB JSON body is a 413 JSON error', async () => {
    const body = JSON.stringify({ kind: 'planned', description: 'x'.repeat(3 * 1024 * 1024) });
    const r = await fetch(`${s.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` }, body });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect((await errorOf(r)).code).toBe('too_large');
  });

  it('a 3 MB JSON login (before authentication) is a 413 too', async () => {
    const r = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'a'.repeat(3_000_000), password: 'x' }) });
    expect(r.status).toBe(413);
    expect((await errorOf(r)).code).toBe('too_large');
  });

  it('a 1,200-field urlencoded webhook is a 413, not a 500', async () => {
    const form = new URLSearchParams();
    for (let i = 0; i < 1200; i++) form.append(`f${i}`, 'v');
    const r = await fetch(`${s.url}/hooks/itoolabs/1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(r.status).toBe(413);
    expect((await errorOf(r)).code).toBe('too_many_fields');
  });

  it('a 2 MB urlencoded webhook is a 413', async () => {
    const r = await fetch(`${s.url}/hooks/zadarma/1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `event=${'a'.repeat(2 * 1024 * 1024)}` });
    expect(r.status).toBe(413);
  });
});

describe('references to what does not exist', () => {
  it('a ticket for an unknown company is a 400 naming tenantId, and nothing is stored', async () => {
    const cats = await api<{ items: { id: number }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, admin);
    const before = s.db.prepare('SELECT count(*) FROM tickets').pluck().get() as number;
    const r = await api<{ error: { code: string; details: { field: string }[] } }>(s.url, 'POST', '/api/tickets', {
      kind: 'planned', categoryId: cats.body.items[0]!.id, description: 'течёт кран на кухне', address: 'ул. Ленина, 1', tenantId: 999,
    }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]?.field).toBe('tenantId');
    expect(s.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(before);
  });

  it('an operator for an unknown company (a foreign-key failure) is a 400, and no user is left behind', async () => {
    const r = await api<{ error: { code: string; message: string } }>(s.url, 'POST', '/api/operators', { login: 'ghost', password: 'secret-1', fullName: 'Призрак', extension: '1999', tenantIds: [999] }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/tenantIds/);
    expect(s.db.prepare("SELECT count(*) FROM users WHERE login = 'ghost'").pluck().get()).toBe(0);
  });
});
