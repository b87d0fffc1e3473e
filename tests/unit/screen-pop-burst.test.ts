// Screen-pop speed (issue 15, item 9): inside a burst of routing work the
// card goes out first; the operator-state pushes that the same work causes
// follow once it is done, one per operator with the latest state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer } from '../support/test-server.js';
import { login } from '../../scripts/lib/pult-process.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/contract.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: Awaited<ReturnType<typeof testServer>>;
let client: Client;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3' });
  client = connect(s.url, { auth: { token: await login(s.url, 'operator2', 'demo') }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('connect_error', reject);
  });
});
afterAll(async () => {
  client.close();
  await s.stop();
});

describe('a burst of routing work', () => {
  it('the card arrives before the operator-state pushes, and the states are coalesced to the latest one', async () => {
    const userId = s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
    const got: string[] = [];
    client.on('call.offered', (c) => got.push(`card ${c.caller}`));
    client.on('operator.state', (e) => e.userId === userId && got.push(`state ${e.state}`));
    const callId = '00000000-0000-4000-8000-000000000b01';
    // What a routing step does: the operator starts ringing, the card is offered; then the state moves on again.
    s.operators.setPresence(userId, 'available');
    s.db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, 1, '74950000001', '79160000001', 'ch-b01', 'waiting', ?)`).run(callId, new Date().toISOString());
    s.db.prepare(`INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, 'operator', ?, 'PJSIP/1002', ?)`).run(callId, `${callId}-o1`, userId, new Date().toISOString());
    s.operators.setActivity(userId, 'ringing', callId);
    s.events.emit('call.offered', { callId, kind: 'operator', userId, target: '1002', at: new Date().toISOString() });
    s.operators.setActivity(userId, 'oncall', callId);
    const deadline = Date.now() + 5000;
    while (!got.includes('state oncall') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // anything else that was going to come
    expect(got).toEqual(['card 79160000001', 'state oncall']);
  });

  it('cards offered in one run go out together, each before any later news of its call (answered in the same run)', async () => {
    const userId = s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
    const got: string[] = [];
    client.on('call.offered', (c) => got.push(`card ${c.callId.slice(-3)}`));
    client.on('call.answered', (e) => got.push(`answered ${e.callId.slice(-3)}`));
    const at = new Date().toISOString();
    const ids = ['00000000-0000-4000-8000-000000000b02', '00000000-0000-4000-8000-000000000b03'];
    for (const [i, callId] of ids.entries()) {
      s.db.prepare(`INSERT INTO calls (id, line_id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, 1, '74950000001', ?, ?, 'waiting', ?)`).run(callId, `7916000000${i + 2}`, `ch-${callId}`, at);
      s.db.prepare(`INSERT INTO call_offers (call_id, channel_id, target_kind, user_id, target, offered_at) VALUES (?, ?, 'operator', ?, 'PJSIP/1002', ?)`).run(callId, `${callId}-o1`, userId, at);
    }
    // An observed call (a cloud PBX's webhook) can be offered and answered in one go.
    s.events.emit('call.offered', { callId: ids[0]!, kind: 'operator', userId, target: '1002', at });
    s.events.emit('call.offered', { callId: ids[1]!, kind: 'operator', userId, target: '1002', at });
    s.events.emit('call.answered', { callId: ids[0]!, userId, via: 'console', at });
    const deadline = Date.now() + 5000;
    while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // anything else that was going to come
    expect(got).toEqual(['card b02', 'card b03', 'answered b02']);
  });
});
