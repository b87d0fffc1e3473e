// Every call has an owner (issue 15, item 8), probed from outside: a call a
// cloud PBX routes (itoolabs webhook) must never be offered over ARI to a Pult
// operator who frees up. The server's ARI is down here, so an offer would show
// as a failed ARI offer leg in the call's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Awaited<ReturnType<typeof testServer>>;
let admin = '';
let accountId = 0;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
  const r = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', {
    vendor: 'itoolabs', name: 'ВАТС', account: 'vats000000.megapbx.ru', secrets: { crmToken: 'test-itoolabs-crm-token-0001' }, agents: {}, tenantId: 1, lineId: 1,
  }, admin);
  expect(r.status).toBe(201);
  accountId = r.body.account.id;
});
afterAll(async () => {
  await s.stop();
});

describe('a cloud-PBX call is not Pult\'s to route', () => {
  it('an operator freeing up while a webhook call waits gets no ARI offer for it', async () => {
    const form = {
      cmd: 'event', type: 'INCOMING', phone: '79161234567', diversion: '74951234567', telnum: '', direction: 'in',
      callid: 'OWNER-TEST-0001', crm_token: 'test-itoolabs-crm-token-0001',
    };
    const hook = await fetch(`${s.url}/hooks/itoolabs/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    expect(hook.status).toBe(200);
    const call = s.db.prepare(`SELECT id, state, controller FROM calls WHERE caller_channel_id LIKE 'ext:itoolabs:%OWNER-TEST-0001'`).get() as { id: string; state: string; controller: string };
    expect(call).toMatchObject({ state: 'waiting', controller: 'vpbx' });

    const token = await login(s.url, 'operator', 'demo');
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'available' }, token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));

    const ariOffers = s.db.prepare(`SELECT channel_id FROM call_offers WHERE call_id = ? AND channel_id NOT LIKE 'ext:%'`).pluck().all(call.id);
    expect(ariOffers).toEqual([]);
    const me = await api<{ operator: { state: string } }>(s.url, 'GET', '/api/operators/me', undefined, token);
    expect(me.body.operator.state).toBe('available');
    expect(s.db.prepare('SELECT state FROM calls WHERE id = ?').pluck().get(call.id)).toBe('waiting');
  });
});
