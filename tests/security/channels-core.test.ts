// Issue 14: every channel into one queue — the core through its first
// adapter, the residents' public web form. From outside, over HTTP: the form
// creates a request (channel `web`, registered by «Веб-форма», the first
// message of the conversation, a private status link); another company's
// building, bad input and bad files are refused with what is wrong; the
// building search gives addresses only; the limits per address and per
// client address hold; a filled honeypot creates nothing; the status page
// and the conversation are scoped to the token and to the staff's companies;
// a low rating after closing reopens the request with the comment. Only
// companies with the form on are listed and take requests; the channels'
// system users are neither listed for the admin nor changeable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';

type Server = Awaited<ReturnType<typeof testServer>>;
type Answer = { number: string; statusUrl: string; company: string; error?: { code: string; message: string; details: { field: string; problem: string }[] } };
let s: Server;
let admin = '';
let operator2 = ''; // company 1 only
let lenina5 = 0; // company 1
let pobedy17 = 0; // company 2
let category = 0;

async function search(tenantId: number, q: string, base = s.url) {
  return api<{ items: Record<string, unknown>[] }>(base, 'GET', `/api/public/web/${tenantId}/buildings?q=${encodeURIComponent(q)}`);
}

const good = () => ({ buildingId: lenina5, flat: '12', categoryId: category, description: 'Течёт кран на кухне, вода капает постоянно', name: 'Анна Иванова', phone: '8 (916) 555-44-33', email: 'anna@example.ru' });

async function submit(body: Record<string, unknown>, o: { tenantId?: number; files?: { name: string; type: string; data: Buffer }[]; base?: string; ip?: string } = {}): Promise<{ status: number; body: Answer; retryAfter: string | null }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(body)) form.append(k, String(v));
  for (const f of o.files ?? []) form.append('files', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  const r = await fetch(`${o.base ?? s.url}/api/public/web/${o.tenantId ?? 1}/requests`, { method: 'POST', body: form, headers: o.ip ? { 'x-forwarded-for': o.ip } : {} });
  return { status: r.status, body: (await r.json()) as Answer, retryAfter: r.headers.get('retry-after') };
}

async function byNumber(number: string, tenantId = 1) {
  const list = await api<{ items: { id: number; channel: string; tenantId: number; number: string }[] }>(s.url, 'GET', `/api/requests?number=${number}&tenantId=${tenantId}`, undefined, admin);
  return list.body.items.find((x) => x.number === number) ?? null;
}
const token = (statusUrl: string) => statusUrl.split('/s/')[1]!;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '50', PULT_WEB_FORM_PER_ADDRESS_HOUR: '50', PULT_WEB_FORM_PER_IP_HOUR: '100' });
  admin = await login(s.url, 'admin', 'demo');
  operator2 = await login(s.url, 'operator2', 'demo');
  lenina5 = Number((await search(1, 'Ленина 5')).body.items[0]!.id);
  pobedy17 = Number((await search(2, 'Победы 17')).body.items[0]!.id);
  const form = await api<{ categories: { id: number; name: string; emergency: boolean }[] }>(s.url, 'GET', '/api/public/web/1');
  category = form.body.categories.find((c) => !c.emergency && c.name.includes('двер'))!.id;
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

describe('the public web form', () => {
  it('lists companies and categories (emergencies flagged) without a login', async () => {
    const companies = await api<{ items: { id: number; name: string }[] }>(s.url, 'GET', '/api/public/companies');
    expect(companies.status).toBe(200);
    expect(companies.body.items.map((c) => c.id)).toEqual(expect.arrayContaining([1, 2]));
    const form = await api<{ company: { name: string }; categories: { name: string; emergency: boolean }[] }>(s.url, 'GET', '/api/public/web/1');
    expect(form.body.company.name).toContain('Северный квартал');
    expect(form.body.categories.find((c) => c.name.startsWith('Засор канализации'))?.emergency).toBe(true);
    expect((await api(s.url, 'GET', '/api/public/web/999')).status).toBe(404);
  });

  it("searches the company's buildings and answers addresses only", async () => {
    const r = await search(1, 'ул. Ленина, д. 5');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const b of r.body.items) expect(Object.keys(b).sort()).toEqual(['address', 'id']);
    expect(r.body.items[0]!.address).toContain('Ленина, д. 5');
    // The other company's house is not found through this company's form.
    expect((await search(1, 'Победы 17')).body.items.map((b) => b.id)).not.toContain(pobedy17);
    expect(JSON.stringify((await search(1, 'Ленина')).body)).not.toMatch(/Иванова|79161234567|1000001/);
    expect((await search(1, 'x')).status).toBe(400);
  });

  it('creates a request registered by «Веб-форма» with its first message and a private status link', async () => {
    const r = await submit(good());
    expect(r.status).toBe(201);
    expect(r.body.number).toMatch(/^\d{4}-\d{6}$/);
    expect(token(r.body.statusUrl).length).toBeGreaterThanOrEqual(32);
    const item = await byNumber(r.body.number);
    expect(item).toMatchObject({ channel: 'web', tenantId: 1 });
    const detail = await api<{ request: { createdBy: { name: string }; callerPhone: string; flat: string; address: string; channel: string } }>(s.url, 'GET', `/api/requests/${item!.id}`, undefined, admin);
    expect(detail.body.request).toMatchObject({ createdBy: { name: 'Веб-форма' }, callerPhone: '79165554433', flat: '12', channel: 'web' });
    expect(detail.body.request.address).toContain('Ленина, д. 5');
    const messages = await api<{ items: { direction: string; channel: string; body: string }[] }>(s.url, 'GET', `/api/requests/${item!.id}/messages`, undefined, admin);
    expect(messages.body.items).toEqual([expect.objectContaining({ direction: 'in', channel: 'web', body: good().description })]);
    // The status page opens with the token alone.
    const st = await api<{ request: { number: string; company: string; stage: { name: string } } }>(s.url, 'GET', `/api/public/status/${token(r.body.statusUrl)}`);
    expect(st.status).toBe(200);
    expect(st.body.request).toMatchObject({ number: r.body.number, stage: { name: 'Новая' } });
    expect(JSON.stringify(st.body)).not.toContain('79165554433');
  });

  it("refuses another company's building, bad input and a second company's page", async () => {
    const other = await submit({ ...good(), buildingId: pobedy17 });
    expect(other.status).toBe(400);
    expect(other.body.error!.details[0]!.field).toBe('buildingId');
    const bad = await submit({ ...good(), phone: '12', description: 'течёт', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.details.map((d) => d.field).sort()).toEqual(['description', 'name', 'phone']);
    expect((await submit({ ...good(), email: 'not-mail' })).status).toBe(400);
    expect((await submit({ ...good(), categoryId: 99999 })).status).toBe(400);
    expect((await submit({ ...good(), extra: 'x' })).status).toBe(400);
    expect((await submit(good(), { tenantId: 999 })).status).toBe(404);
    const json = await api<{ error: { code: string } }>(s.url, 'POST', '/api/public/web/1/requests', { ...good(), buildingId: 'abc' });
    expect(json.status).toBe(400);
  });

  it('refuses a file that is not a photo (by content) and creates nothing', async () => {
    const before = (await api<{ items: unknown[] }>(s.url, 'GET', '/api/requests?channel=web&limit=200', undefined, admin)).body.items.length;
    const r = await submit(good(), { files: [{ name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('<?php echo 1; ?>') }] });
    expect(r.status).toBe(415);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/requests?channel=web&limit=200', undefined, admin)).body.items.length).toBe(before);
  });

  it('stores photos and shows them on the status page through signed links', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } }).png().toBuffer();
    const r = await submit(good(), { files: [{ name: 'кран.png', type: 'image/png', data: png }] });
    expect(r.status).toBe(201);
    const st = await api<{ request: { photos: { url: string; thumbUrl: string }[] } }>(s.url, 'GET', `/api/public/status/${token(r.body.statusUrl)}`);
    expect(st.body.request.photos).toHaveLength(1);
    const img = await fetch(`${s.url}${st.body.request.photos[0]!.url}`);
    expect(img.status).toBe(200);
    expect(Buffer.from(await img.arrayBuffer()).equals(png)).toBe(true);
    // The link's signature is bound to that file.
    const forged = st.body.request.photos[0]!.url.replace(/\/api\/attachments\/(\d+)/, (_m, n: string) => `/api/attachments/${Number(n) - 1}`);
    expect((await fetch(`${s.url}${forged}`)).status).toBe(401);
  });

  it('a filled honeypot answers like success and creates nothing', async () => {
    const before = (await api<{ items: unknown[] }>(s.url, 'GET', '/api/requests?channel=web&limit=200', undefined, admin)).body.items.length;
    const r = await submit({ ...good(), website: 'http://spam.example' });
    expect(r.status).toBe(201);
    expect(r.body.number).toMatch(/^\d{4}-\d{6}$/);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/requests?channel=web&limit=200', undefined, admin)).body.items.length).toBe(before);
    expect((await api(s.url, 'GET', `/api/public/status/${token(r.body.statusUrl)}`)).status).toBe(404);
  });
});

describe('scope', () => {
  it("keeps a request's conversation to its company's staff and the status page to its token", async () => {
    const r = await submit({ ...good() });
    const item = await byNumber(r.body.number);
    // operator2 works for company 1 only: a company-2 web request's conversation is not theirs.
    const other = await api<{ items: unknown[] }>(s.url, 'GET', `/api/requests/${item!.id}/messages`, undefined, operator2);
    expect(other.status).toBe(200);
    const r2 = await submit({ ...good(), buildingId: pobedy17 }, { tenantId: 2 });
    expect(r2.status).toBe(201);
    const item2 = await byNumber(r2.body.number, 2);
    expect((await api(s.url, 'GET', `/api/requests/${item2!.id}/messages`, undefined, operator2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${item2!.id}/messages`, { text: 'Здравствуйте' }, operator2)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${item2!.id}/messages`)).status).toBe(401);
    expect((await api(s.url, 'GET', '/api/public/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/public/status/..%2f..%2fetc')).status).toBe(404);
  });
});

describe('a status link for a request registered by phone', () => {
  it('is made by the company\'s staff only; a new one replaces the old', async () => {
    const cats = await api<{ items: { id: number; kind: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, admin);
    const body = (tenantId: number) => ({ kind: 'planned', categoryId: cats.body.items.find((c) => c.kind === 'planned')!.id, description: 'Не горит свет в подъезде', tenantId, address: 'ул. Ленина, д. 5', channel: 'call' });
    const mine = (await api<{ request: { id: number; number: string } }>(s.url, 'POST', '/api/requests', body(1), admin)).body.request;
    const theirs = (await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', body(2), admin)).body.request;
    expect((await api(s.url, 'POST', `/api/requests/${theirs.id}/status-link`, {}, operator2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${mine.id}/status-link`, {})).status).toBe(401);
    const first = await api<{ statusUrl: string }>(s.url, 'POST', `/api/requests/${mine.id}/status-link`, {}, operator2);
    expect(first.status).toBe(201);
    const st = await api<{ request: { number: string } }>(s.url, 'GET', `/api/public/status/${token(first.body.statusUrl)}`);
    expect(st.body.request.number).toBe(mine.number);
    const second = await api<{ statusUrl: string }>(s.url, 'POST', `/api/requests/${mine.id}/status-link`, {}, operator2);
    expect((await api(s.url, 'GET', `/api/public/status/${token(first.body.statusUrl)}`)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/public/status/${token(second.body.statusUrl)}`)).status).toBe(200);
  });
});

describe('feedback', () => {
  it('rates only after closing; a 2 with a comment reopens the request with the comment in its history', async () => {
    const r = await submit(good());
    const t = token(r.body.statusUrl);
    const id = (await byNumber(r.body.number))!.id;
    expect((await api(s.url, 'POST', `/api/public/status/${t}/rating`, { score: 2 })).status).toBe(409);
    for (const step of [{ to: 'in_work' }, { to: 'done', result: 'Заменена прокладка крана' }, { to: 'closed' }]) {
      expect((await api(s.url, 'POST', `/api/requests/${id}/transition`, step, admin)).status).toBe(200);
    }
    const st = await api<{ request: { canRate: boolean; report: string; timeline: { stage: string }[] } }>(s.url, 'GET', `/api/public/status/${t}`);
    expect(st.body.request).toMatchObject({ canRate: true, report: 'Заменена прокладка крана' });
    expect(st.body.request.timeline.map((x) => x.stage)).toEqual(['new', 'in_work', 'done', 'closed']);
    expect((await api(s.url, 'POST', `/api/public/status/${t}/rating`, { score: 7 })).status).toBe(400);
    const rated = await api<{ reopened: boolean }>(s.url, 'POST', `/api/public/status/${t}/rating`, { score: 2, comment: 'Кран снова течёт' });
    expect(rated.status).toBe(201);
    expect(rated.body.reopened).toBe(true);
    expect((await api(s.url, 'POST', `/api/public/status/${t}/rating`, { score: 5 })).status).toBe(409);
    const detail = await api<{ request: { status: string; stage: { code: string }; history: { comment: string | null; by: { name: string } }[] } }>(s.url, 'GET', `/api/requests/${id}`, undefined, admin);
    expect(detail.body.request).toMatchObject({ status: 'open', stage: { code: 'new' } });
    expect(detail.body.request.history.at(-1)).toMatchObject({ by: { name: 'Веб-форма' } });
    expect(detail.body.request.history.at(-1)!.comment).toContain('Кран снова течёт');
  });
});

describe('ratings reach the executor reports', () => {
  it("a resident's mark is counted for the executor who held the request", async () => {
    const r = await submit(good());
    const t = token(r.body.statusUrl);
    const id = (await byNumber(r.body.number))!.id;
    const people = await api<{ items: { id: number; fullName: string }[] }>(s.url, 'GET', '/api/executors', undefined, admin);
    const executor = people.body.items.find((p) => p.fullName.includes('Волков'))!;
    for (const step of [{ to: 'assigned', assigneeId: executor.id }, { to: 'in_work' }, { to: 'done', result: 'Отрегулирован доводчик' }, { to: 'closed' }]) {
      expect((await api(s.url, 'POST', `/api/requests/${id}/transition`, step, admin)).status).toBe(200);
    }
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: s.config.PULT_TIMEZONE }).format(new Date());
    const report = () => api<{ items: { userId: number; residentScore: { count: number; average: number | null }; reopened: number }[] }>(s.url, 'GET', `/api/reports/executors?from=${today}&to=${today}&tenantId=1`, undefined, admin);
    expect((await report()).body.items.find((x) => x.userId === executor.id)!.residentScore).toEqual({ count: 0, average: null });
    expect((await api(s.url, 'POST', `/api/public/status/${t}/rating`, { score: 3, comment: 'Долго ждали' })).status).toBe(201);
    const row = (await report()).body.items.find((x) => x.userId === executor.id)!;
    expect(row.residentScore).toEqual({ count: 1, average: 3 });
    expect(row.reopened).toBe(1);
    // The status page names the executor by trade only («Слесарь-сантехник Волков А. Н.» has no first name).
    const st = await api<{ request: { executor: string } }>(s.url, 'GET', `/api/public/status/${t}`);
    expect(st.body.request.executor).toBe('Слесарь-сантехник');
  });
});

describe('which companies take requests by the form', () => {
  it('a company takes requests by the form unless the admin switches it off; then it is not listed and its form, search, requests and booking answer 404', async () => {
    const made = await api<{ tenant: { id: number } }>(s.url, 'POST', '/api/tenants', { name: 'УК «Без веб-формы»' }, admin);
    expect(made.status).toBe(201);
    const id = made.body.tenant.id;
    const listed = async () => (await api<{ items: { id: number }[] }>(s.url, 'GET', '/api/public/companies')).body.items.map((c) => c.id);
    expect(await listed()).toContain(id); // a new company: on until the admin switches it off
    expect((await api(s.url, 'GET', `/api/public/web/${id}`)).status).toBe(200);

    // Only an admin switches it, with a clear 4xx for bad input and an unknown company.
    const sup = await login(s.url, 'supervisor', 'demo');
    expect((await api(s.url, 'PUT', `/api/tenants/${id}/web-form`, { enabled: false }, sup)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/web-form/settings', undefined, sup)).status).toBe(403);
    expect((await api(s.url, 'PUT', `/api/tenants/${id}/web-form`, { enabled: 'no' }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/tenants/9999/web-form', { enabled: false }, admin)).status).toBe(404);
    expect((await api(s.url, 'PUT', `/api/tenants/${id}/web-form`, { enabled: false }, admin)).status).toBe(200);
    expect(await listed()).not.toContain(id);
    const off = await api<{ error: { message: string } }>(s.url, 'GET', `/api/public/web/${id}`);
    expect(off.status).toBe(404);
    expect(off.body.error.message).toContain('does not take requests by the web form');
    expect((await search(id, 'Ленина 5')).status).toBe(404);
    expect((await submit(good(), { tenantId: id })).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/public/slots?tenantId=${id}&buildingId=${lenina5}&categoryId=${category}`)).status).toBe(404);
    const settings = await api<{ items: { tenantId: number; enabled: boolean }[] }>(s.url, 'GET', '/api/web-form/settings', undefined, admin);
    expect(settings.body.items.find((x) => x.tenantId === id)).toEqual({ tenantId: id, enabled: false });
    expect(settings.body.items.find((x) => x.tenantId === 1)).toEqual({ tenantId: 1, enabled: true });
    const audit = await api<{ items: { entity: string; tenantId: number }[] }>(s.url, 'GET', '/api/audit?entity=tenant-web-form', undefined, admin);
    expect(audit.body.items.some((e) => e.tenantId === id)).toBe(true);
    expect((await api(s.url, 'PUT', `/api/tenants/${id}/web-form`, { enabled: true }, admin)).status).toBe(200);
    expect(await listed()).toContain(id);

    // A demo company switched off: gone from the list, its form refuses requests; back on, it takes them again.
    expect((await api(s.url, 'PUT', '/api/tenants/2/web-form', { enabled: false }, admin)).status).toBe(200);
    expect(await listed()).toEqual(expect.arrayContaining([1, id]));
    expect(await listed()).not.toContain(2);
    expect((await submit({ ...good(), buildingId: pobedy17 }, { tenantId: 2 })).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/tenants/2/web-form', { enabled: true }, admin)).status).toBe(200);
    expect((await submit({ ...good(), buildingId: pobedy17 }, { tenantId: 2 })).status).toBe(201);
  });
});

describe("the channels' system users", () => {
  it('are not listed for the admin and cannot be edited, enabled, given a password or logged into', async () => {
    const made = await submit(good());
    expect(made.status).toBe(201);
    const req = await byNumber(made.body.number);
    const detail = await api<{ request: { createdBy: { id: number; name: string } } }>(s.url, 'GET', `/api/requests/${req!.id}`, undefined, admin);
    const system = detail.body.request.createdBy;
    expect(system.name).toBe('Веб-форма');
    const users = await api<{ items: { id: number; login: string }[]; total: number }>(s.url, 'GET', '/api/users?limit=500', undefined, admin);
    expect(users.body.items.map((u) => u.id)).not.toContain(system.id);
    expect(users.body.items.some((u) => u.login.startsWith('~'))).toBe(false);
    expect(users.body.total).toBe(users.body.items.length);
    for (const [method, path, body] of [
      ['PATCH', `/api/users/${system.id}`, { fullName: 'Человек' }],
      ['POST', `/api/users/${system.id}/enable`, undefined],
      ['POST', `/api/users/${system.id}/disable`, undefined],
      ['POST', `/api/users/${system.id}/reset-password`, { newPassword: 'a-long-password-1' }],
    ] as const) {
      const r = await api<{ error: { code: string } }>(s.url, method, path, body, admin);
      expect(r.status, `${method} ${path}`).toBe(409);
      expect(r.body.error.code).toBe('system_account');
    }
    const tried = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: '~channel:web', password: 'a-long-password-1' }) });
    expect(tried.status).toBe(401);
    // The journal still names it: the request shows «Веб-форма» as who registered it.
    expect((await api<{ request: { createdBy: { name: string } } }>(s.url, 'GET', `/api/requests/${req!.id}`, undefined, admin)).body.request.createdBy.name).toBe('Веб-форма');
  });
});

describe('limits', () => {
  it('refuses past the limit per address and per client address, with Retry-After', async () => {
    const tight = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '50', PULT_WEB_FORM_PER_ADDRESS_HOUR: '2', PULT_WEB_FORM_PER_IP_HOUR: '3' });
    try {
      const b1 = Number((await search(1, 'Ленина 5', tight.url)).body.items[0]!.id);
      const b2 = Number((await search(2, 'Победы 17', tight.url)).body.items[0]!.id);
      const at = (buildingId: number, tenantId = 1) => submit({ ...good(), buildingId }, { base: tight.url, tenantId });
      expect((await at(b1)).status).toBe(201);
      expect((await at(b1)).status).toBe(201);
      const third = await at(b1);
      expect(third.status).toBe(429);
      expect(Number(third.retryAfter)).toBeGreaterThan(0);
      // Another address from the same client: the refused attempt did not count, one more fits, then refused.
      expect((await at(b2, 2)).status).toBe(201);
      const fourth = await at(b2, 2);
      expect(fourth.status).toBe(429);
      expect(fourth.body.error!.message).toContain('your address');
    } finally {
      await tight.stop();
    }
  });
});
