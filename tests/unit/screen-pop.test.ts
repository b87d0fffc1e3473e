import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import type { CallCard, ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/contract.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: Awaited<ReturnType<typeof testServer>>;
const sockets: Client[] = [];
let seq = 0;

function addAccount(tenantId: number, number: string, holder: string, street: string, house: string, flat: string, phones: string[]): void {
  const db = s.db;
  const addr = `ул. ${street}, д. ${house}`;
  let b = db.prepare('SELECT id FROM buildings WHERE tenant_id = ? AND address = ?').pluck().get(tenantId, addr) as number | undefined;
  if (!b) {
    b = Number(
      db.prepare(`INSERT INTO buildings (tenant_id, city, street, house, address, street_key, house_key, house_num, addr_key) VALUES (?, 'Город', ?, ?, ?, ?, ?, ?, ?)`)
        .run(tenantId, `ул. ${street}`, house, addr, street.toLowerCase(), house, Number.parseInt(house, 10), `город|${street}|${house}`).lastInsertRowid,
    );
  }
  const a = Number(
    db.prepare(`INSERT INTO accounts (account_number, holder_name, building_id, tenant_id, flat, updated_at, name_key, flat_key, flat_num) VALUES (?, ?, ?, ?, ?, '2026-01-01', ?, ?, ?)`)
      .run(number, holder, b, tenantId, flat, holder.toLowerCase(), flat, Number.parseInt(flat, 10)).lastInsertRowid,
  );
  for (const p of phones) db.prepare('INSERT INTO account_phones (account_id, phone, phone_rev) VALUES (?, ?, ?)').run(a, p, [...p].reverse().join(''));
}

/** A call row on a line, then the offer event, as the router would emit them. */
function offer(callerNumber: string, userId: number, lineId = 1): string {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  s.db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, ?, '74950000001', ?, ?, 'waiting', ?)`).run(id, lineId, callerNumber, `ch-${id}`, new Date().toISOString());
  s.db.prepare(`INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, 'operator', ?, 'PJSIP/1001', ?)`).run(id, `${id}-o1`, userId, new Date().toISOString());
  s.events.emit('call.offered', { callId: id, kind: 'operator', userId, target: '1001', at: new Date().toISOString() });
  return id;
}

async function socketFor(token: string | undefined, before?: (c: Client) => void): Promise<Client> {
  const c: Client = connect(s.url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
  sockets.push(c);
  before?.(c);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', (e) => reject(e));
  });
  return c;
}

const nextCard = (c: Client) => new Promise<CallCard>((resolve) => c.once('call.offered', resolve));

let operatorId = 0;
let operator2Id = 0;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_ACCOUNTS: '3' }); // the three documented demo accounts
  operatorId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
  operator2Id = s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
  // Demo: tenant 1 = УК «Северный квартал» (line 1) with 1000001 (79161234567) and 1000002
  // (79161234567, 79031112233); tenant 2 = ТСЖ «Рассвет» (operator2 does not serve it) with
  // 2000001 (79162223344). Add one more account of tenant 2 sharing the first number.
  addAccount(2, '2000002', 'Чужой Абонент', 'Мира', '3', '2', ['79161234567']);
});
afterAll(async () => {
  for (const c of sockets) c.close();
  await s.stop();
});

describe('socket authentication', () => {
  it('refuses a socket without a token or with a bad one', async () => {
    await expect(socketFor(undefined)).rejects.toThrow(/unauthorized/);
    await expect(socketFor('forged-token')).rejects.toThrow(/unauthorized/);
  });
});

describe('the card on call.offered', () => {
  it('a known number with several accounts: both accounts, the line company first, open tickets, recent calls', async () => {
    const token = await login(s.url, 'operator', 'demo');
    const sock = await socketFor(token);
    // An open ticket at the caller's address, registered from an earlier call.
    const t = await api<{ ticket: { number: string } }>(s.url, 'POST', '/api/tickets', { kind: 'emergency', categoryId: 1, description: 'Течь в подвале', accountNumber: '1000001' }, token);
    expect(t.status).toBe(201);
    const first = nextCard(sock);
    const earlier = offer('79161234567', operatorId);
    await first;
    s.db.prepare(`UPDATE calls SET state = 'ended', outcome = 'abandoned' WHERE id = ?`).run(earlier);

    const next = nextCard(sock);
    const callId = offer('79161234567', operatorId);
    const card = await next;
    expect(card.callId).toBe(callId);
    expect(card.caller).toBe('79161234567');
    expect(card.anonymous).toBe(false);
    expect(card.line?.name).toBe('Аварийная линия');
    // The line belongs to company 1: the other company's account with this number is left out.
    expect(card.accounts.map((a) => a.accountNumber)).toEqual(['1000001', '1000002']);
    expect(card.accounts[0]).toMatchObject({ holderName: 'Иванова Анна Петровна', flat: '12', tenant: { name: 'УК «Северный квартал»' } });
    expect(card.accounts[0]!.address).toContain('ул. Ленина, д. 5');
    expect(card.openTickets.map((x) => x.number)).toEqual([t.body.ticket.number]);
    expect(card.recentCalls.map((c) => c.id)).toEqual([earlier]);
  });

  it('an unknown number: no accounts, the card says so (empty list), and a withheld number becomes «Аноним № N»', async () => {
    const token = await login(s.url, 'operator', 'demo');
    const sock = await socketFor(token);
    let p = nextCard(sock);
    offer('79999999999', operatorId);
    expect((await p).accounts).toEqual([]);
    p = nextCard(sock);
    const anonCall = offer('anonymous', operatorId);
    const card = await p;
    expect(card.anonymous).toBe(true);
    expect(card.caller).toBe('');
    expect(card.anonymousLabel).toMatch(/^Аноним № \d+$/);
    // The same call keeps its number; a ticket can be logged for it.
    const r = await api<{ ticket: { anonymousCaller: string; callIds: string[] } }>(s.url, 'POST', '/api/tickets', { kind: 'planned', categoryId: 6, description: 'Протекает крыша', tenantId: 1, address: 'ул. Ленина, д. 7', anonymous: true, callId: anonCall }, token);
    expect(r.status).toBe(201);
    expect(r.body.ticket.anonymousCaller).toBe(card.anonymousLabel);
    expect(r.body.ticket.callIds).toEqual([anonCall]);
  });

  it("a company's operator never sees another company's data", async () => {
    const token = await login(s.url, 'operator2', 'demo'); // serves company 1 only
    const sock = await socketFor(token);
    const p = nextCard(sock);
    offer('79162223344', operator2Id, 2); // a call on company 2's line from company 2's resident
    const card = await p;
    expect(card.accounts).toEqual([]);
    expect(card.openTickets).toEqual([]);
    const search = await api<{ items: unknown[] }>(s.url, 'GET', '/api/tickets?accountNumber=2000001', undefined, token);
    expect(search.body.items).toEqual([]);
    const denied = await api(s.url, 'POST', '/api/tickets', { kind: 'planned', categoryId: 6, description: 'Чужая заявка', tenantId: 2, address: 'ул. Мира, д. 3' }, token);
    expect(denied.status).toBe(403);
    const foreignAccount = await api(s.url, 'POST', '/api/tickets', { kind: 'planned', categoryId: 6, description: 'Чужая заявка', accountNumber: '2000001' }, token);
    expect(foreignAccount.status).toBe(400);
  });

  it('only the person offered the call gets the card; a reconnecting operator gets it again', async () => {
    const t1 = await login(s.url, 'operator', 'demo');
    const t2 = await login(s.url, 'operator2', 'demo');
    const s1 = await socketFor(t1);
    const s2 = await socketFor(t2);
    let leaked = false;
    s2.on('call.offered', () => (leaked = true));
    const p = nextCard(s1);
    const callId = offer('79031112233', operatorId);
    await p;
    s1.close();
    let resent: Promise<CallCard> | null = null;
    await socketFor(t1, (c) => (resent = nextCard(c)));
    const card = await resent!;
    expect(card.callId).toBe(callId);
    expect(card.accounts.map((a) => a.accountNumber)).toEqual(['1000002']);
    expect(leaked).toBe(false);
  });

  it('call.answered and call.ended reach the people the call was offered to', async () => {
    const token = await login(s.url, 'operator', 'demo');
    const sock = await socketFor(token);
    const p = nextCard(sock);
    const callId = offer('79031112233', operatorId);
    await p;
    const answered = new Promise<{ byYou: boolean }>((r) => sock.once('call.answered', r));
    s.events.emit('call.answered', { callId, userId: operatorId, via: 'console', at: new Date().toISOString() });
    expect((await answered).byYou).toBe(true);
    const ended = new Promise<{ outcome: string }>((r) => sock.once('call.ended', r));
    s.events.emit('call.ended', { callId, outcome: 'answered', reason: 'caller hung up', at: new Date().toISOString() });
    expect((await ended).outcome).toBe('answered');
  });
});

describe('tickets API', () => {
  it('validates input in plain words and lists by account', async () => {
    const token = await login(s.url, 'operator', 'demo');
    const bad = await api<{ error: { details: { field: string; problem: string }[] } }>(s.url, 'POST', '/api/tickets', { kind: 'urgent', categoryId: 1, description: 'x' }, token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.field)).toEqual(expect.arrayContaining(['kind', 'description']));
    const list = await api<{ items: { accountNumber: string; status: string; dueAt: string | null }[] }>(s.url, 'GET', '/api/tickets?accountNumber=1000001', undefined, token);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((t) => t.accountNumber === '1000001')).toBe(true);
    expect(list.body.items[0]!.dueAt).not.toBeNull(); // category deadline applied
    const cats = await api<{ items: { code: string; deadlineMinutes: number | null }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, token);
    expect(cats.body.items.find((c) => c.code === 'sewer-blockage')?.deadlineMinutes).toBe(120);
  });
});
