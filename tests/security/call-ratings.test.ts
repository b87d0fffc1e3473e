// Issue 14 item 8: the cloud PBX's post-call rating (Megafon / Dom.ru
// cmd=rating) is stored on the call and shown in the call log; an unsigned one
// is refused; another company's PBX account cannot put a rating on this call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let admin = '';
let accA = 0;
let accB = 0;
const TOKEN_A = 'rating-test-token-company-1';
const TOKEN_B = 'rating-test-token-company-2';

async function hook(accountId: number, form: Record<string, string>): Promise<{ status: number; body: { callId?: string | null } }> {
  const r = await fetch(`${s.url}/hooks/itoolabs/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: r.status, body: (await r.json()) as { callId?: string | null } };
}
const callIdOf = (key: string) => s.db.prepare('SELECT id FROM calls WHERE caller_channel_id = ?').pluck().get(key) as string;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '3' });
  admin = await login(s.url, 'admin', 'demo');
  const make = async (tenantId: number, account: string, crmToken: string) => {
    const r = await api<{ account: { id: number } }>(s.url, 'POST', '/api/vpbx-accounts', { name: `vats ${tenantId}`, vendor: 'itoolabs', tenantId, account, secrets: { crmToken } }, admin);
    expect(r.status).toBe(201);
    return r.body.account.id;
  };
  accA = await make(1, 'vats-a.megapbx.ru', TOKEN_A);
  accB = await make(2, 'vats-b.megapbx.ru', TOKEN_B);
  const base = { phone: '79161112233', diversion: '74950000001', callid: 'rated-1', crm_token: TOKEN_A };
  expect((await hook(accA, { ...base, cmd: 'event', type: 'INCOMING', user: 'ivanov', ext: '101', direction: 'in' })).status).toBe(200);
  expect((await hook(accA, { ...base, cmd: 'event', type: 'ACCEPTED', user: 'ivanov', ext: '101', direction: 'in' })).status).toBe(200);
  expect((await hook(accA, { ...base, cmd: 'history', type: 'in', status: 'Success', user: 'ivanov', start: '20260310T061500Z', duration: '95', link: '', rating: '' })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await s.stop();
});

describe('the post-call rating webhook (cmd=rating)', () => {
  it('a signed rating lands on its call and the call log shows it', async () => {
    const callId = callIdOf('ext:itoolabs:vats-a.megapbx.ru:rated-1');
    const r = await hook(accA, { cmd: 'rating', callid: 'rated-1', rating: '4', phone: '79161112233', user: 'ivanov', crm_token: TOKEN_A });
    expect(r.status).toBe(200);
    expect(r.body.callId).toBe(callId);
    const one = await api<{ rating: { score: number } | null }>(s.url, 'GET', `/api/calls/${callId}`, undefined, admin);
    expect(one.body.rating?.score).toBe(4);
    const list = await api<{ items: { id: string; rating: { score: number } | null }[] }>(s.url, 'GET', '/api/calls?limit=50', undefined, admin);
    expect(list.body.items.find((c) => c.id === callId)?.rating?.score).toBe(4);
  }, 120_000);

  it('an unsigned or wrongly signed rating is refused and changes nothing', async () => {
    expect((await hook(accA, { cmd: 'rating', callid: 'rated-1', rating: '1' })).status).toBe(401);
    expect((await hook(accA, { cmd: 'rating', callid: 'rated-1', rating: '1', crm_token: TOKEN_B })).status).toBe(401);
    const one = await api<{ rating: { score: number } | null }>(s.url, 'GET', `/api/calls/${callIdOf('ext:itoolabs:vats-a.megapbx.ru:rated-1')}`, undefined, admin);
    expect(one.body.rating?.score).toBe(4);
  }, 120_000);

  it('a rating that is not a score 1–10 is a clear 400', async () => {
    const r = await fetch(`${s.url}/hooks/itoolabs/${accA}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ cmd: 'rating', callid: 'rated-1', rating: 'отлично', crm_token: TOKEN_A }).toString() });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toContain('rating');
  }, 120_000);

  it('another company’s PBX account naming this call id cannot put its rating on the call', async () => {
    const r = await hook(accB, { cmd: 'rating', callid: 'rated-1', rating: '1', crm_token: TOKEN_B });
    expect(r.status).toBe(200);
    expect(r.body.callId).toBeNull();
    const one = await api<{ rating: { score: number } | null }>(s.url, 'GET', `/api/calls/${callIdOf('ext:itoolabs:vats-a.megapbx.ru:rated-1')}`, undefined, admin);
    expect(one.body.rating?.score).toBe(4);
  }, 120_000);

  it('a rating sent before the call’s other events joins the call when it arrives', async () => {
    expect((await hook(accA, { cmd: 'rating', callid: 'rated-early', rating: '5', crm_token: TOKEN_A })).status).toBe(200);
    expect((await hook(accA, { cmd: 'history', type: 'in', status: 'Success', phone: '79161112244', diversion: '74950000001', callid: 'rated-early', user: 'ivanov', start: '20260310T071500Z', duration: '40', link: '', crm_token: TOKEN_A })).status).toBe(200);
    const one = await api<{ rating: { score: number } | null }>(s.url, 'GET', `/api/calls/${callIdOf('ext:itoolabs:vats-a.megapbx.ru:rated-early')}`, undefined, admin);
    expect(one.body.rating?.score).toBe(5);
  }, 120_000);
});
