// Issue 11, item 5 (and 8): the executor's phone page API, from outside.
// An executor sees only the requests assigned to them (another executor's or
// another company's → 404); actions carry an Idempotency-Key and a retried or
// concurrent duplicate is applied once with the same answer; photos are
// checked by size and content; change proposals are decided only by a
// dispatcher of the request's company; the call's recording plays through a
// signed link; the executor's session is long and renewed on use.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { extraUser, type Server } from '../support/security-probes.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { RetentionService } from '../../src/features/retention/service.js';
import { silentLogger } from '../../src/log.js';

let s: Server;
let executor = '';
let executor2 = '';
let operator = ''; // companies 1 and 2
let sup2 = ''; // company 2 only
let otherCompanyRequest = 0;
const sql = <T>(q: string, ...args: unknown[]) => s.db.prepare(q).all(...args) as T[];
const userId = (loginName: string) => sql<{ id: number }>('SELECT id FROM users WHERE login = ?', loginName)[0]!.id;

type Summary = { id: number; number: string; kind: string; stage: { code: string }; minutesLeft: number | null; needsAttention: string | null };
type Card = Summary & { caller: { name: string | null; phone: string | null; anonymous: boolean }; actions: string[]; photos: { id: number; thumbUrl: string | null }[]; recordings: { url: string }[]; proposals: { id: number; status: string; decisionComment: string | null }[] };
const mine = async (token = executor) => (await api<{ items: Summary[]; remindEveryMin: number }>(s.url, 'GET', '/api/x/requests', undefined, token)).body;
const card = async (id: number, token = executor) => api<{ request: Card }>(s.url, 'GET', `/api/x/requests/${id}`, undefined, token);

/** POST with an Idempotency-Key header. */
async function act(id: number, body: Record<string, unknown>, key: string | null, token = executor) {
  const r = await fetch(`${s.url}/api/x/requests/${id}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text(), replayed: r.headers.get('idempotent-replayed') };
}

async function upload(id: number, files: { name: string; type: string; data: Buffer }[], key: string, token = executor) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  const r = await fetch(`${s.url}/api/x/requests/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, body: form });
  return { status: r.status, body: (await r.json()) as { added?: { id: number; thumbUrl: string | null }[]; error?: { code: string; message: string } } };
}
const jpeg = (r: number) => sharp({ create: { width: 400, height: 300, channels: 3, background: { r, g: 120, b: 60 } } }).jpeg().toBuffer();
const historyOf = (id: number) => sql<{ to_stage: string; by_user: number; comment: string | null }>('SELECT to_stage, by_user, comment FROM ticket_history WHERE ticket_id = ? ORDER BY id', id);

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '200' });
  executor = await login(s.url, 'executor', 'demo');
  executor2 = await login(s.url, 'executor2', 'demo');
  operator = await login(s.url, 'operator', 'demo');
  sup2 = (await extraUser(s, 'sup-dawn', 'supervisor', [2])).token;
  // A request of company 2, handed to a company-2 worker.
  const admin = await login(s.url, 'admin', 'demo');
  const cat = sql<{ id: number }>("SELECT id FROM ticket_categories WHERE code = 'water-leak'")[0]!.id;
  const r = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: cat, description: 'течь в подвале', tenantId: 2, address: 'пр-т Победы, д. 17', channel: 'call' }, admin);
  expect(r.status).toBe(201);
  otherCompanyRequest = r.body.request.id;
  const w2 = await extraUser(s, 'worker-dawn', 'operator', [2]);
  expect((await api(s.url, 'POST', `/api/requests/${otherCompanyRequest}/transition`, { to: 'assigned', assigneeId: w2.id }, admin)).status).toBe(200);
});

afterAll(async () => {
  await s?.stop();
});

describe('the demo executors and their requests', () => {
  it('`executor` sees their own open requests, emergencies first, with countdowns; the caller to ring or «Аноним № N»', async () => {
    const list = await mine();
    expect(list.remindEveryMin).toBe(10);
    expect(list.items.length).toBe(3);
    const kinds = list.items.map((x) => x.kind);
    expect(kinds).toEqual([...kinds].sort()); // 'emergency' < 'planned'
    expect(kinds[0]).toBe('emergency');
    expect(list.items.every((x) => x.stage.code === 'assigned' && x.needsAttention === 'accept')).toBe(true);
    expect(list.items.find((x) => x.kind === 'emergency')!.minutesLeft).not.toBeNull();
    const cards = await Promise.all(list.items.map((x) => card(x.id)));
    const callers = cards.map((c) => c.body.request.caller);
    const leak = sql<{ caller_name: string; caller_phone: string }>('SELECT caller_name, caller_phone FROM tickets WHERE id = ?', list.items[0]!.id)[0]!;
    expect(leak.caller_phone).toMatch(/^7\d{10}$/);
    expect(callers[0]).toEqual({ name: leak.caller_name, phone: leak.caller_phone, anonymous: false });
    expect(callers.find((c) => c.anonymous)).toEqual({ name: expect.stringMatching(/^Аноним № \d+$/), phone: null, anonymous: true });
    expect(cards[0]!.body.request.actions).toEqual(['accept', 'impossible', 'postpone']);
  });

  it('an executor gets 404 on another executor’s request and on another company’s, and cannot act on them', async () => {
    const theirs = (await mine(executor2)).items[0]!.id;
    for (const id of [theirs, otherCompanyRequest, 999_999]) {
      expect((await card(id)).status).toBe(404);
      const a = await act(id, { action: 'accept' }, `probe-${id}-accept`);
      expect(a.status, a.text).toBe(404);
      expect((await upload(id, [{ name: 'a.jpg', type: 'image/jpeg', data: await jpeg(10) }], `probe-${id}-photo`)).status).toBe(404);
      expect((await api(s.url, 'POST', `/api/x/requests/${id}/proposals`, { text: 'нужно два счётчика', idempotencyKey: `probe-${id}-prop` }, executor)).status).toBe(404);
      // The older requests API agrees.
      expect((await api(s.url, 'GET', `/api/requests/${id}`, undefined, executor)).status).toBe(404);
    }
    expect((await mine()).items.map((x) => x.id)).not.toContain(theirs);
    expect(sql('SELECT 1 FROM ticket_attachments WHERE ticket_id IN (?, ?) AND id NOT IN (SELECT attachment_id FROM request_documents)', theirs, otherCompanyRequest)).toHaveLength(0);
    // The page's API is the executor's alone.
    expect((await api(s.url, 'GET', '/api/x/requests', undefined, operator)).status).toBe(403);
  });
});

describe('actions are idempotent', () => {
  it('the same key twice: applied once, the same answer; another action under that key is refused', async () => {
    const id = (await mine()).items[0]!.id;
    const first = await act(id, { action: 'accept' }, 'accept-key-0001');
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    const again = await act(id, { action: 'accept' }, 'accept-key-0001');
    expect(again.status).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(historyOf(id).filter((h) => h.to_stage === 'in_work')).toEqual([{ to_stage: 'in_work', by_user: userId('executor'), comment: null }]);
    // A new accept under a new key is refused by the pipeline (already in work): 409, and that too is stored.
    expect((await act(id, { action: 'accept' }, 'accept-key-0002')).status).toBe(409);
    const reused = await act(id, { action: 'done', result: 'x' }, 'accept-key-0001');
    expect(reused.status).toBe(422);
    expect((await act(id, { action: 'accept' }, null)).status).toBe(400);
    expect((await act(id, { action: 'accept' }, 'bad key!')).status).toBe(400);
  });

  it('two identical posts at once: applied once, both get the same answer', async () => {
    const id = (await mine()).items[0]!.id;
    const body = { action: 'done', result: 'Заменён участок стояка, течь устранена' };
    const [a, b] = await Promise.all([act(id, body, 'done-key-concurrent'), act(id, body, 'done-key-concurrent')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.text).toBe(b.text);
    expect([a.replayed, b.replayed].filter((x) => x === 'true')).toHaveLength(1);
    expect(historyOf(id).filter((h) => h.to_stage === 'done')).toHaveLength(1);
    expect(sql<{ result: string }>('SELECT result FROM tickets WHERE id = ?', id)[0]!.result).toBe(body.result);
    // Done is reported: "accept" (the pipeline's back-to-work) is the dispatcher's, not the executor's.
    expect((await card(id)).body.request.actions).not.toContain('accept');
    expect((await act(id, { action: 'accept' }, 'accept-after-done')).status).toBe(409);
  });

  it('postpone and impossible need their fields (400 naming them)', async () => {
    const id = (await mine()).items.find((x) => x.stage.code === 'assigned')!.id;
    const noUntil = await act(id, { action: 'postpone', reason: 'нет доступа в квартиру' }, 'postpone-no-until');
    expect(noUntil.status).toBe(400);
    expect(noUntil.text).toContain('until');
    expect((await act(id, { action: 'impossible' }, 'impossible-no-reason')).status).toBe(400);
    expect((await act(id, { action: 'launch' }, 'unknown-action-1')).status).toBe(400);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await act(id, { action: 'postpone', until, reason: 'нет доступа в квартиру' }, 'postpone-ok-0001');
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.text) as { request: { stage: { code: string }; postponedUntil: string } }).request.postponedUntil).toBe(until);
  });
});

describe('photos from the camera', () => {
  it('refuses an oversized file (413), a file that is not an image by content (415), an empty form (400)', async () => {
    const id = (await mine()).items[0]!.id;
    const big = Buffer.concat([await jpeg(1), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const tooBig = await upload(id, [{ name: 'big.jpg', type: 'image/jpeg', data: big }], 'photo-too-big-1');
    expect(tooBig.status).toBe(413);
    const fake = await upload(id, [{ name: 'not-a-photo.jpg', type: 'image/jpeg', data: Buffer.from('plain text, not a photo\n'.repeat(40)) }], 'photo-fake-0001');
    expect(fake.status).toBe(415);
    expect(fake.body.error!.message).toContain('not-a-photo.jpg');
    const form = new FormData();
    const empty = await fetch(`${s.url}/api/x/requests/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${executor}`, 'idempotency-key': 'photo-empty-001' }, body: form });
    expect(empty.status).toBe(400);
    expect(sql('SELECT 1 FROM ticket_attachments WHERE ticket_id = ? AND id NOT IN (SELECT attachment_id FROM request_documents)', id)).toHaveLength(0);
  });

  it('stores several photos with thumbnails once, even when the upload is retried concurrently', async () => {
    const id = (await mine()).items[0]!.id;
    const files = [{ name: 'до.jpg', type: 'image/jpeg', data: await jpeg(200) }, { name: 'после.jpg', type: 'image/jpeg', data: await jpeg(30) }];
    const [a, b] = await Promise.all([upload(id, files, 'photo-upload-0001'), upload(id, files, 'photo-upload-0001')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect(a.body.added!.map((x) => x.thumbUrl)).toEqual([expect.stringContaining('/thumb?'), expect.stringContaining('/thumb?')]);
    expect(sql('SELECT 1 FROM ticket_attachments WHERE ticket_id = ? AND id NOT IN (SELECT attachment_id FROM request_documents)', id)).toHaveLength(2);
    const thumb = await fetch(s.url + a.body.added![0]!.thumbUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    // The dispatcher sees them on the request.
    const d = await api<{ request: { attachments: { name: string }[] } }>(s.url, 'GET', `/api/requests/${id}`, undefined, operator);
    expect(d.body.request.attachments.map((x) => x.name).filter((n) => !n.startsWith('Заявка '))).toEqual(['до.jpg', 'после.jpg']); // beside the «Заявка» PDF made when it was handed to work
  });
});

describe('change proposals', () => {
  it('the executor proposes; a dispatcher of another company gets 404; one of the request’s company decides; history and the executor see it', async () => {
    const planned = (await mine()).items.find((x) => x.kind === 'planned')!;
    const p = await api<{ proposal: { id: number; status: string; items: unknown[] } }>(s.url, 'POST', `/api/x/requests/${planned.id}/proposals`,
      { text: 'Заказано 3 счётчика, нужно 2: на кухне счётчика нет', items: [{ name: 'счётчик воды', ordered: 3, needed: 2 }], idempotencyKey: 'proposal-key-001' }, executor);
    expect(p.status).toBe(201);
    expect(p.body.proposal.status).toBe('pending');
    const retried = await api<{ proposal: { id: number } }>(s.url, 'POST', `/api/x/requests/${planned.id}/proposals`,
      { text: 'Заказано 3 счётчика, нужно 2: на кухне счётчика нет', items: [{ name: 'счётчик воды', ordered: 3, needed: 2 }], idempotencyKey: 'proposal-key-001' }, executor);
    expect(retried.body.proposal.id).toBe(p.body.proposal.id);
    expect(sql('SELECT 1 FROM request_proposals WHERE ticket_id = ?', planned.id)).toHaveLength(1);
    expect((await api(s.url, 'POST', `/api/x/requests/${planned.id}/proposals`, { text: 'x', idempotencyKey: 'proposal-key-002' }, executor)).status).toBe(400);

    const pid = p.body.proposal.id;
    expect((await api(s.url, 'GET', `/api/requests/${planned.id}/proposals`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${planned.id}/proposals/${pid}/decision`, { decision: 'confirm' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${planned.id}/proposals/${pid}/decision`, { decision: 'confirm' }, executor)).status).toBe(403);
    expect((await api(s.url, 'POST', `/api/requests/${otherCompanyRequest}/proposals/${pid}/decision`, { decision: 'confirm' }, operator)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${planned.id}/proposals/${pid}/decision`, { decision: 'maybe' }, operator)).status).toBe(400);
    expect(sql<{ status: string }>('SELECT status FROM request_proposals WHERE id = ?', pid)[0]!.status).toBe('pending');

    const list = await api<{ proposals: { id: number; status: string }[] }>(s.url, 'GET', `/api/requests/${planned.id}/proposals`, undefined, operator);
    expect(list.body.proposals).toEqual([expect.objectContaining({ id: pid, status: 'pending' })]);
    const ok = await api<{ proposal: { status: string; decidedBy: { id: number } } }>(s.url, 'POST', `/api/requests/${planned.id}/proposals/${pid}/decision`, { decision: 'confirm', comment: 'два счётчика, согласовано с УК' }, operator);
    expect(ok.status).toBe(200);
    expect(ok.body.proposal.status).toBe('confirmed');
    expect((await api(s.url, 'POST', `/api/requests/${planned.id}/proposals/${pid}/decision`, { decision: 'reject' }, operator)).status).toBe(409);

    const d = await api<{ request: { history: { by: { id: number } | null; comment: string | null }[] } }>(s.url, 'GET', `/api/requests/${planned.id}`, undefined, operator);
    const comments = d.body.request.history.map((h) => h.comment ?? '');
    expect(comments).toContainEqual(expect.stringContaining('предложено изменение: Заказано 3 счётчика, нужно 2'));
    expect(comments).toContainEqual(expect.stringContaining('изменение подтверждено'));
    expect((await card(planned.id)).body.request.proposals).toEqual([expect.objectContaining({ id: pid, status: 'confirmed', decisionComment: 'два счётчика, согласовано с УК' })]);
  });
});

describe('the call’s recording and the long session', () => {
  it('the card carries a signed recording link that plays without a token', async () => {
    const id = (await mine()).items[0]!.id;
    const callId = '00000000-0000-4000-9000-0000000000e1';
    const calls = new CallRepository(s.db);
    const at = new Date(Date.now() - 60_000).toISOString();
    calls.create({ id: callId, lineId: 1, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${callId}`, arrivedAt: at });
    calls.end(callId, { endedAt: new Date().toISOString(), outcome: 'answered', endReason: 'caller hung up' });
    mkdirSync(s.config.recordingsDir, { recursive: true });
    const file = path.join(s.config.recordingsDir, `${callId}.wav`);
    const wav = Buffer.alloc(44 + 800);
    wav.write('RIFF', 0, 'ascii');
    wav.write('WAVE', 8, 'ascii');
    writeFileSync(file, wav);
    calls.startRecording(callId, `rec-${callId}`, 'wav', at);
    calls.recordingStored(`rec-${callId}`, { filePath: file, sizeBytes: wav.length, durationSec: 1, at });
    expect((await card(id)).body.request.recordings).toEqual([]);
    s.db.prepare('INSERT INTO ticket_calls (ticket_id, call_id) VALUES (?, ?)').run(id, callId);
    const recs = (await card(id)).body.request.recordings;
    expect(recs).toHaveLength(1);
    expect(recs[0]!.url).toMatch(/\/api\/calls\/.+\/recording\?exp=\d+&sig=/);
    const r = await fetch(s.url + recs[0]!.url);
    expect(r.status).toBe(200);
    expect(Buffer.from(await r.arrayBuffer()).subarray(0, 4).toString('ascii')).toBe('RIFF');
    // The bearer path to recordings stays closed to executors.
    expect((await api(s.url, 'GET', `/api/calls/${callId}/recording-url`, undefined, executor)).status).toBe(403);
  });

  it('an executor’s session lasts 30 days and is renewed on use; an operator’s is not', async () => {
    const r = await api<{ token: string; expiresAt: string }>(s.url, 'POST', '/api/auth/login', { login: 'executor2', password: 'demo' });
    const days = (new Date(r.body.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const op = await api<{ expiresAt: string }>(s.url, 'POST', '/api/auth/login', { login: 'operator2', password: 'demo' });
    expect((new Date(op.body.expiresAt).getTime() - Date.now()) / 3_600_000).toBeLessThanOrEqual(12);
    // Both sessions near their end: only the executor's is renewed by a request.
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    s.db.prepare('UPDATE sessions SET expires_at = ?').run(soon);
    expect((await api(s.url, 'GET', '/api/me', undefined, executor2)).status).toBe(200);
    expect((await api(s.url, 'GET', '/api/me', undefined, operator)).status).toBe(200);
    const expiry = (token: string) => sql<{ e: string }>('SELECT expires_at AS e FROM sessions WHERE token_hash = ?', createHash('sha256').update(token).digest('hex'))[0]!.e;
    expect((new Date(expiry(executor2)).getTime() - Date.now()) / 86_400_000).toBeGreaterThan(29.9);
    expect(expiry(operator)).toBe(soon);
    expect(expiry(r.body.token)).toBe(soon); // not used since
  });

  it('the retention job forgets idempotency keys after the configured days', () => {
    const before = sql<{ n: number }>('SELECT count(*) AS n FROM idempotency_keys')[0]!.n;
    expect(before).toBeGreaterThan(0);
    const report = new RetentionService(s.db, silentLogger, { webhookLogDays: 30, externalEventsDays: 90, idempotencyDays: 7 }).runOnce(new Date(Date.now() + 8 * 86_400_000));
    expect(report.idempotencyKeys).toBe(before);
    expect(sql('SELECT 1 FROM idempotency_keys')).toHaveLength(0);
  });
});
