// Cards built together (a burst of callers reaching the operators in one
// dispatch round) are exactly the cards built one at a time: the same
// accounts, requests and recent calls, within each user's own companies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { systemClock } from '../../src/clock.js';
import { AuthService } from '../../src/features/auth/service.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { DirectoryService } from '../../src/features/directory/service.js';
import { LineRepository } from '../../src/features/lines/repository.js';
import { TicketService } from '../../src/features/tickets/service.js';
import { CallerLookup } from '../../src/features/screen-pop/lookup.js';
import { CardBuilder, type CardRequest } from '../../src/features/screen-pop/cards.js';

let s: Awaited<ReturnType<typeof testServer>>;
let builder: CardBuilder;
let seq = 0;
const userId = (login: string) => s.db.prepare('SELECT id FROM users WHERE login = ?').pluck().get(login) as number;

function call(callerNumber: string, lineId: number, state = 'waiting'): string {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  s.db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, ?, '74950000001', ?, ?, ?, ?)`)
    .run(id, lineId, callerNumber, `ch-${id}`, state, new Date(Date.now() - 60_000 + seq * 1000).toISOString());
  return id;
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_ACCOUNTS: '3' });
  const { db } = s;
  const directory = new DirectoryService(db);
  builder = new CardBuilder(db, new AuthService(db, systemClock, 12), new CallRepository(db), new LineRepository(db), new CallerLookup(db, directory), new TicketService(db, systemClock));
  // Company 2 gets an account sharing company 1's demo number 79161234567.
  const b = Number(db.prepare(`INSERT INTO buildings (tenant_id, city, street, house, address, street_key, house_key, house_num, addr_key) VALUES (2, 'Город', 'ул. Мира', '3', 'ул. Мира, д. 3', 'мира', '3', 3, 'город|мира|3')`).run().lastInsertRowid);
  const a = Number(db.prepare(`INSERT INTO accounts (account_number, holder_name, building_id, tenant_id, flat, updated_at, name_key, flat_key, flat_num) VALUES ('2000002', 'Чужой Абонент', ?, 2, '2', '2026-01-01', 'чужой абонент', '2', 2)`).run(b).lastInsertRowid);
  db.prepare('INSERT INTO account_phones (account_id, phone, phone_rev) VALUES (?, ?, ?)').run(a, '79161234567', '76543216197');
  // Open requests of both companies at those accounts.
  const token = await login(s.url, 'admin', 'demo');
  for (const accountNumber of ['1000001', '2000001', '2000002']) {
    const r = await api(s.url, 'POST', '/api/tickets', { kind: 'emergency', categoryId: 1, description: `Заявка ${accountNumber}`, accountNumber }, token);
    expect(r.status).toBe(201);
  }
});
afterAll(async () => {
  await s.stop();
});

describe('cards built in one go', () => {
  it('equal the cards built one at a time, for every caller and every user scope', () => {
    // Earlier calls from the numbers, on both companies' lines (the recent calls).
    for (const [n, line] of [['79161234567', 1], ['79161234567', 2], ['79162223344', 2], ['+7 (916) 123-45-67', 1]] as const) call(n, line, 'ended');
    const calls = [
      call('79161234567', 1), // both companies' accounts; the line's company narrows
      call('79161234567', 2),
      call('79162223344', 2), // company 2 only
      call('79162223344', 1),
      call('79031112233', 1), // company 1's second number
      call('79999999999', 1), // unknown
      call('anonymous', 1), // withheld
      call('+7 (916) 123-45-67', 2), // the same number written otherwise
    ];
    const users = ['admin', 'supervisor', 'operator', 'operator2'].map(userId);
    const reqs: CardRequest[] = [];
    for (const callId of calls) for (const u of users) reqs.push({ callId, userId: u, via: 'console', offeredAt: new Date().toISOString(), state: 'ringing' });
    // Two offers of one call to one user in a batch, a vanished call and user.
    reqs.push({ ...reqs[0]! }, { ...reqs[0]!, callId: 'no-such-call' }, { ...reqs[0]!, userId: 999_999 });

    const one = reqs.map((r) => builder.cards([r])[0]);
    const together = builder.cards(reqs);
    expect(together).toEqual(one);
    expect(together.slice(-2)).toEqual([null, null]);

    // And the scoping itself holds: operator2 (company 1 only) sees no company-2 account, request or call.
    const card = (callId: string, login: string) => together[reqs.findIndex((r) => r.callId === callId && r.userId === userId(login))]!;
    const numbers = (c: ReturnType<typeof card>) => c.accounts.map((a) => a.accountNumber);
    expect(numbers(card(calls[0]!, 'admin'))).toEqual(['1000001', '1000002']); // company 1's line
    expect(numbers(card(calls[1]!, 'admin'))).toEqual(['2000002']); // company 2's line
    expect(numbers(card(calls[1]!, 'operator2'))).toEqual(['1000001', '1000002']);
    expect(numbers(card(calls[2]!, 'operator2'))).toEqual([]);
    expect(card(calls[2]!, 'operator2').openTickets).toEqual([]);
    expect(card(calls[2]!, 'supervisor').openTickets.map((t) => t.description)).toEqual(['Заявка 2000001']);
    expect(card(calls[1]!, 'operator2').recentCalls.every((c) => c.line === 'Аварийная линия')).toBe(true);
    expect(new Set(card(calls[1]!, 'admin').recentCalls.map((c) => c.line))).toEqual(new Set(['Аварийная линия', 'Плановые работы']));
    expect(numbers(card(calls[7]!, 'admin'))).toEqual(['2000002']);
    expect(card(calls[6]!, 'operator').anonymousLabel).toMatch(/^Аноним № \d+$/);
    expect(numbers(card(calls[6]!, 'operator'))).toEqual([]);
  });
});
