// Issue 12, item 2: the printable request («Заявка»). Handing a request to
// work stores exactly one immutable PDF (SHA-256) among its attachments; the
// PDF renders on demand with the Cyrillic fields and an embedded DejaVu font;
// only the request's company (an executor: their own request) gets it;
// per-company templates are validated when saved (unknown placeholders named).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';
import { pdfFonts, pdfPng, pdfText } from '../support/pdf.js';

type Server = Awaited<ReturnType<typeof testServer>>;
type Att = { id: number; name: string; mime: string; size: number };
type Detail = { request: { id: number; number: string; attachments: Att[]; documentPending: boolean; stage: { code: string } } };
type Doc = { id: number; attachmentId: number; stage: string; sha256: string; size: number; name: string };
let s: Server;
let admin = '', op = '', op2 = '', sup = '';
let executorId = 0;
let execToken = '';
let reqA = 0; // company 1, handed to the executor
let reqB = 0; // company 2

async function raw(path: string, token?: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const r = await fetch(s.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

async function newRequest(tenantId: number, token: string, extra: Record<string, unknown> = {}): Promise<number> {
  const cats = await api<{ items: { id: number; code: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, token);
  const r = await api<Detail>(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: cats.body.items.find((c) => c.code === 'water-leak')!.id, description: 'Течь стояка горячей воды в ванной', tenantId, address: 'ул. Садовая, д. 7', flat: '12', callerName: 'Ёлкина Жанна Щукина', callerPhone: '+7 912 345-67-89', channel: 'walk-in', ...extra }, token);
  expect(r.status).toBe(201);
  return r.body.request.id;
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  [admin, op, op2, sup] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'operator', 'demo'), login(s.url, 'operator2', 'demo'), login(s.url, 'supervisor', 'demo')]);
  const e = await api<{ executor: { id: number } }>(s.url, 'POST', '/api/executors', { login: 'slesar1', password: 'executor-pass-1', fullName: 'Слесарь Щербаков Юрий', tenantIds: [1] }, admin);
  expect(e.status).toBe(201);
  executorId = e.body.executor.id;
  execToken = await login(s.url, 'slesar1', 'executor-pass-1');
  reqA = await newRequest(1, op2);
  reqB = await newRequest(2, op);
});
afterAll(async () => {
  await s?.stop();
});

describe('the document stage rule', () => {
  it('handing the request to work stores exactly one PDF, immutable, with its SHA-256', async () => {
    expect((await api<{ documents: Doc[] }>(s.url, 'GET', `/api/requests/${reqA}/documents`, undefined, op2)).body.documents).toEqual([]);
    const moved = await api<Detail>(s.url, 'POST', `/api/requests/${reqA}/transition`, { to: 'assigned', assigneeId: executorId }, op2);
    expect(moved.status).toBe(200);
    const pdfs = moved.body.request.attachments.filter((a) => a.mime === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    expect(moved.body.request.documentPending).toBe(false);
    const docs = (await api<{ documents: Doc[] }>(s.url, 'GET', `/api/requests/${reqA}/documents`, undefined, op2)).body.documents;
    expect(docs).toEqual([expect.objectContaining({ attachmentId: pdfs[0]!.id, stage: 'assigned', name: `Заявка ${moved.body.request.number}.pdf` })]);

    const file = await raw(`/api/attachments/${docs[0]!.attachmentId}`, op2);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(createHash('sha256').update(file.body).digest('hex')).toBe(docs[0]!.sha256);
    const text = pdfText(file.body);
    for (const field of [moved.body.request.number, 'Северный квартал', 'ул. Садовая, д. 7', 'Слесарь Щербаков Юрий', 'Ёлкина Жанна Щукина', 'Течь стояка горячей воды', 'Передана в работу']) expect(text).toContain(field);
    pdfPng(file.body, 'stored-zayavka');

    // Moving on (accepted by the executor) makes no second document.
    expect((await api(s.url, 'POST', `/api/requests/${reqA}/transition`, { to: 'in_work' }, execToken)).status).toBe(200);
    expect((await api<{ documents: Doc[] }>(s.url, 'GET', `/api/requests/${reqA}/documents`, undefined, op2)).body.documents).toHaveLength(1);
    // The stored record cannot be changed, even from inside.
    expect(() => s.db.prepare('UPDATE ticket_attachments SET sha256 = ? WHERE id = ?').run('0'.repeat(64), docs[0]!.attachmentId)).toThrow(/immutable/);
    expect(() => s.db.prepare("UPDATE request_documents SET stage = 'x' WHERE id = ?").run(docs[0]!.id)).toThrow(/immutable/);
  });

  it('works on any stage a company puts it on', async () => {
    const p = (await api<{ pipeline: { stages: { code: string; rules: unknown[] }[]; transitions: [string, string][] } }>(s.url, 'GET', '/api/pipelines/2/planned', undefined, admin)).body.pipeline;
    const stages = p.stages.map((x) => (x.code === 'new' ? { ...x, rules: [{ type: 'document' }] } : x));
    expect((await api(s.url, 'PUT', '/api/pipelines/2/planned', { stages, transitions: p.transitions }, admin)).status).toBe(200);
    const cats = await api<{ items: { id: number; code: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op);
    const r = await api<Detail>(s.url, 'POST', '/api/requests', { kind: 'planned', categoryId: cats.body.items.find((c) => c.code === 'entrance-door')!.id, description: 'Не закрывается дверь подъезда', tenantId: 2, address: 'пр. Мира, д. 3', channel: 'web' }, op);
    expect(r.status).toBe(201);
    const docs = (await api<{ documents: Doc[] }>(s.url, 'GET', `/api/requests/${r.body.request.id}/documents`, undefined, op)).body.documents;
    expect(docs).toEqual([expect.objectContaining({ stage: 'new' })]);
    expect(pdfText((await raw(`/api/attachments/${docs[0]!.attachmentId}`, op)).body)).toContain('Рассвет');
  });
});

describe('GET /api/requests/:id/document.pdf', () => {
  it('renders the request with the company, number, address and executor in Cyrillic, the font embedded', async () => {
    const r = await raw(`/api/requests/${reqA}/document.pdf`, op2);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    expect(r.body.subarray(0, 5).toString()).toBe('%PDF-');
    const number = (await api<Detail>(s.url, 'GET', `/api/requests/${reqA}`, undefined, op2)).body.request.number;
    const text = pdfText(r.body);
    for (const field of [`Заявка № ${number}`, 'Северный квартал', 'ул. Садовая, д. 7', 'Квартира 12', 'Исполнитель Слесарь Щербаков Юрий', 'Телефон +7 912 345-67-89', 'Диспетчер Петров С. И.']) expect(text).toContain(field);
    expect(pdfFonts(r.body)).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.stringMatching(/\+DejaVuSans$/), embedded: true }), expect.objectContaining({ name: expect.stringMatching(/\+DejaVuSans-Bold$/), embedded: true })]));
    pdfPng(r.body, 'zayavka');
  });

  it("another company's request is 404, no session 401; the executor gets their own only", async () => {
    expect((await raw(`/api/requests/${reqB}/document.pdf`, op2)).status).toBe(404);
    expect((await raw(`/api/requests/${reqB}/documents`, op2)).status).toBe(404);
    expect((await raw(`/api/requests/${reqA}/document.pdf`)).status).toBe(401);
    expect((await raw(`/api/requests/999999/document.pdf`, admin)).status).toBe(404);
    expect((await raw(`/api/requests/abc/document.pdf`, admin)).status).toBe(400);
    expect((await raw(`/api/requests/${reqA}/document.pdf`, execToken)).status).toBe(200);
    const other = await newRequest(1, op2);
    expect((await raw(`/api/requests/${other}/document.pdf`, execToken)).status).toBe(404);
    expect((await raw(`/api/requests/${reqB}/document.pdf`, sup)).status).toBe(200);
  });
});

describe('startup', () => {
  it('refuses to start without the PDF fonts, naming the setting', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'no-fonts-'));
    await expect(testServer({ PULT_DEMO_DATA: 'on', PULT_PDF_FONT_DIR: empty })).rejects.toThrow(/PDF fonts not found: .*DejaVuSans\.ttf.*PULT_PDF_FONT_DIR/);
  });
});

describe('per-company templates', () => {
  const tpl = { title: 'Наряд-заявка № {{number}}', subtitle: '{{company}}', blocks: [{ kind: 'fields', rows: [{ label: 'Адрес', value: '{{address}}, кв. {{flat}}' }, { label: 'Мастер', value: '{{executor}}' }] }, { kind: 'text', text: 'Суть: {{description}}' }], signatures: ['Мастер участка'], footer: 'Печать {{printed}}' };

  it('unknown placeholders → 400 naming them and where; bad shape and size limits → 400', async () => {
    const bad = { ...tpl, blocks: [{ kind: 'text', text: 'Жилец {{resident}} и {{ number }} и {{sum}}' }], signatures: ['{{boss}}'] };
    const r = await api<{ error: { code: string; message: string; details: { field: string; problem: string }[] } }>(s.url, 'PUT', '/api/document-templates/1', { template: bad }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_template');
    expect(r.body.error.details).toEqual([
      { field: 'blocks.0.text', problem: 'неизвестная подстановка {{resident}}' },
      { field: 'blocks.0.text', problem: 'неизвестная подстановка {{sum}}' },
      { field: 'signatures.0', problem: 'неизвестная подстановка {{boss}}' },
    ]);
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: { ...tpl, title: '' } }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: { ...tpl, blocks: [{ kind: 'text', text: 'я'.repeat(3001) }] } }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: { ...tpl, blocks: Array.from({ length: 41 }, () => ({ kind: 'heading', text: 'x' })) } }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: { ...tpl, blocks: Array.from({ length: 10 }, () => ({ kind: 'text', text: 'щ'.repeat(2500) })) } }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: { ...tpl, script: 'x' } }, admin)).status).toBe(400);
    expect((await api(s.url, 'POST', '/api/document-templates/1/preview', { template: bad }, admin)).status).toBe(400);
    // Nothing was saved.
    expect((await api<{ isDefault: boolean }>(s.url, 'GET', '/api/document-templates/1', undefined, admin)).body.isDefault).toBe(true);
  });

  it('a saved template is used for its company only; only admins write; other company 404', async () => {
    expect((await api(s.url, 'PUT', '/api/document-templates/1', { template: tpl }, sup)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/document-templates/1', undefined, op)).status).toBe(403);
    const saved = await api<{ isDefault: boolean; template: typeof tpl }>(s.url, 'PUT', '/api/document-templates/1', { template: tpl }, admin);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ isDefault: false, template: tpl });
    const one = pdfText((await raw(`/api/requests/${reqA}/document.pdf`, op2)).body);
    expect(one).toContain('Наряд-заявка №');
    expect(one).toContain('ул. Садовая, д. 7, кв. 12');
    expect(one).toContain('Мастер участка');
    const two = pdfText((await raw(`/api/requests/${reqB}/document.pdf`, op)).body);
    expect(two).not.toContain('Наряд-заявка');
    expect(two).toContain('Заявка №');
    const preview = await fetch(`${s.url}/api/document-templates/1/preview`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ template: tpl }) });
    expect(preview.headers.get('content-type')).toBe('application/pdf');
    expect(pdfText(Buffer.from(await preview.arrayBuffer()))).toContain('ул. Примерная, д. 1');
    const numberA = (await api<Detail>(s.url, 'GET', `/api/requests/${reqA}`, undefined, admin)).body.request.number;
    // Numbers run per company: a number only company 2 has is not found under company 1.
    s.db.prepare("UPDATE tickets SET number = '2026-999999' WHERE id = ?").run(reqB);
    expect((await api(s.url, 'POST', '/api/document-templates/1/preview', { template: tpl, requestNumber: '2026-999999' }, admin)).status).toBe(404);
    const withData = await fetch(`${s.url}/api/document-templates/1/preview`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ template: tpl, requestNumber: numberA }) });
    expect(pdfText(Buffer.from(await withData.arrayBuffer()))).toContain('ул. Садовая, д. 7, кв. 12');
    const limited = await login(s.url, 'operator2', 'demo');
    expect((await api(s.url, 'GET', '/api/document-templates/2', undefined, limited)).status).toBe(403);
    expect((await api<{ isDefault: boolean }>(s.url, 'DELETE', '/api/document-templates/1', undefined, admin)).body.isDefault).toBe(true);
  });
});
