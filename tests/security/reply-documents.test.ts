// Issue 14, item 7 — documents: a company's document templates («Акт
// выполненных работ»), filled from the request, edited, rendered to PDF and
// stored as the request's attachment; sent directly or after a supervisor's
// approval. Pending: nothing reaches the resident (mail sink, Telegram fake,
// status page); approved: the e-mail carries the PDF, Telegram gets a
// document, the status page links it; rejected: the comment goes back,
// nothing is sent. Another company's supervisor and operator get 404; the
// billing push lists the sent documents; the `reply-document` stage rule; a
// web-form request is answered on its own status page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';
import { FakeTelegram } from '../support/fake-telegram.js';

const BOT1 = '111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const CHAT = 71001;

type Doc = { title: string; attachmentId: number; name: string; url: string };
type Reply = { id: number; status: string; body: string; decisionComment: string | null; document: Doc | null };
type Status = { documents: { title: string; name: string; url: string }[]; messages: { direction: string; body: string }[] };

let s: Awaited<ReturnType<typeof testServer>>;
let sink: MailSink;
let fake: FakeTelegram;
let admin: string, sup: string, op2: string, sup2: string, op3: string;
let mailRequest = 0;
let mailNumber = '';
let statusToken = '';
let actTemplate = 0;
let telegramRequest = 0;

const replies = async (id: number) => (await api<{ replies: Reply[] }>(s.url, 'GET', `/api/requests/${id}/replies`, undefined, admin)).body.replies;
const status = async () => (await api<{ request: Status }>(s.url, 'GET', `/api/public/status/${statusToken}`)).body.request;
const pdfOf = async (url: string) => {
  const res = await fetch(s.url + url);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
};

beforeAll(async () => {
  sink = await startMailSink();
  fake = new FakeTelegram([BOT1]);
  await fake.start();
  s = await testServer({
    PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_PUBLIC_URL: 'https://pult.test',
    PULT_MAIL_SMTP_PORT: '0', PULT_MAIL_SMTP_OUT_URL: `smtp://127.0.0.1:${sink.port}`, PULT_MAIL_FROM: 'АДС <ads@pult.test>', PULT_MAIL_FEEDBACK_CRON: 'off',
    PULT_TELEGRAM_BOTS: `1=${BOT1}`, PULT_TELEGRAM_API_URL: fake.url, PULT_TELEGRAM_POLL_SEC: '1', PULT_FETCH_ALLOW_PRIVATE: 'true',
  });
  [admin, sup, op2] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'supervisor', 'demo'), login(s.url, 'operator2', 'demo')]);
  for (const [path, u] of [['/api/users', { login: 'sup2', role: 'supervisor' }], ['/api/operators', { login: 'op3', extension: '1731' }]] as const) {
    const created = await api(s.url, 'POST', path, { ...u, password: 'demo-pass-2', fullName: `Рассвет ${u.login}`, tenantIds: [2] }, admin);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  [sup2, op3] = await Promise.all([login(s.url, 'sup2', 'demo-pass-2'), login(s.url, 'op3', 'demo-pass-2')]);
  await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: false }, admin);
  const resident = nodemailer.createTransport({ host: '127.0.0.1', port: s.mailPort!, secure: false, ignoreTLS: true });
  await resident.sendMail({ from: 'Анна Иванова <anna@example.ru>', to: 'zayavki@sever.test', subject: 'Протекает потолок', text: 'Течёт с потолка в ванной.' });
  resident.close();
  const item = (await api<{ items: { id: number; number: string }[] }>(s.url, 'GET', '/api/requests?channel=email', undefined, admin)).body.items[0]!;
  [mailRequest, mailNumber] = [item.id, item.number];
  const ack = await sink.waitFor((m) => (m.subject ?? '').includes(mailNumber));
  statusToken = /\/s\/([A-Za-z0-9_-]+)/.exec(ack.text ?? '')![1]!;
}, 120_000);

afterAll(async () => {
  await s?.stop();
  await sink?.stop();
  await fake?.stop();
});

describe('document templates', () => {
  it('are reply templates of kind «document», found by their first letters, with the same placeholders', async () => {
    const created = await api<{ template: { id: number; kind: string; needsApproval: boolean } }>(s.url, 'POST', '/api/reply-templates',
      { tenantId: 1, kind: 'document', topic: 'Акт выполненных работ', body: 'Заявка № {номер} от {дата}, адрес: {адрес}.\n\nРаботы выполнены. Исполнитель: {исполнитель}.', needsApproval: true }, sup);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.template).toMatchObject({ kind: 'document', needsApproval: true });
    actTemplate = created.body.template.id;
    await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Акт сверки', body: 'Просто ответ' }, sup);
    const found = (await api<{ items: { topic: string; kind: string }[] }>(s.url, 'GET', '/api/reply-templates?tenantId=1&q=акт', undefined, op2)).body.items;
    expect(found.map((t) => [t.topic, t.kind])).toEqual([['Акт выполненных работ', 'document'], ['Акт сверки', 'reply']]);
    const docsOnly = (await api<{ items: { topic: string }[] }>(s.url, 'GET', '/api/reply-templates?tenantId=1&q=акт&kind=document', undefined, op2)).body.items;
    expect(docsOnly.map((t) => t.topic)).toEqual(['Акт выполненных работ']);

    const draft = await api<{ body: string; needsApproval: boolean; document: { title: string } | null }>(s.url, 'GET', `/api/requests/${mailRequest}/reply-draft?templateId=${actTemplate}`, undefined, op2);
    expect(draft.body).toMatchObject({ needsApproval: true, document: { title: 'Акт выполненных работ' } });
    expect(draft.body.body).toContain(`Заявка № ${mailNumber}`);
  });

  it('refuse {ссылка} (the link comes in the message) and unknown placeholders, with a clear 400', async () => {
    const link = await api<{ error: { message: string } }>(s.url, 'POST', '/api/reply-templates', { tenantId: 1, kind: 'document', topic: 'Справка', body: 'См. {ссылка}' }, sup);
    expect(link.status).toBe(400);
    expect(link.body.error.message).toContain('{ссылка} в документе не работает');
    const unknown = await api<{ error: { message: string } }>(s.url, 'POST', '/api/reply-templates', { tenantId: 1, kind: 'document', topic: 'Справка', body: '{сумма}' }, sup);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('{сумма}');
    expect((await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, kind: 'letter', topic: 'Справка', body: 'x' }, sup)).status).toBe(400);
    const inReply = await api<{ error: { message: string } }>(s.url, 'POST', `/api/requests/${mailRequest}/replies`, { body: 'См. {ссылка}', document: { title: 'Справка' } }, op2);
    expect(inReply.status).toBe(400);
    expect(inReply.body.error.message).toContain('{ссылка}');
    expect((await api(s.url, 'POST', `/api/requests/${mailRequest}/replies`, { body: 'x', document: { title: '' } }, op2)).status).toBe(400);
  });

  it("are the company's own: another company's staff get 404 or an empty search", async () => {
    expect((await api(s.url, 'GET', `/api/reply-templates/${actTemplate}`, undefined, sup2)).status).toBe(404);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/reply-templates?tenantId=1&kind=document', undefined, op3)).body.items).toEqual([]);
    expect((await api(s.url, 'GET', `/api/requests/${mailRequest}/reply-draft?templateId=${actTemplate}`, undefined, op3)).status).toBe(404);
  });
});

describe('a document sent for approval (e-mail)', () => {
  let pending: Reply;

  it('waits: its PDF is the request’s attachment, the supervisor sees a link to it, the resident gets nothing', async () => {
    const text = `Заявка № ${mailNumber}.\n\nРаботы выполнены: заменён участок стояка.`;
    const res = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${mailRequest}/replies`, { body: text, templateId: actTemplate, document: { title: 'Акт выполненных работ' } }, op2);
    expect(res.status, JSON.stringify(res.body)).toBe(202); // the template needs approval
    pending = res.body.reply;
    expect(pending).toMatchObject({ status: 'pending', body: text, document: { title: 'Акт выполненных работ', name: `Акт выполненных работ ${mailNumber}.pdf` } });
    const pdf = await pdfOf(pending.document!.url);
    expect(pdf.status).toBe(200);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const list = (await api<{ items: Reply[] }>(s.url, 'GET', '/api/replies/pending', undefined, sup)).body.items;
    expect(list.find((r) => r.id === pending.id)?.document?.title).toBe('Акт выполненных работ');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.some((m) => m.attachments.length > 0)).toBe(false);
    expect((await status()).documents).toEqual([]);
  });

  it("cannot be seen or decided by another company's supervisor (404), nor approved by an operator (403)", async () => {
    expect((await api(s.url, 'POST', `/api/replies/${pending.id}/approve`, {}, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/replies/${pending.id}/reject`, { comment: 'нет' }, sup2)).status).toBe(404);
    expect((await api<{ items: Reply[] }>(s.url, 'GET', '/api/replies/pending', undefined, sup2)).body.items).toEqual([]);
    expect((await api(s.url, 'GET', `/api/requests/${mailRequest}/replies`, undefined, op3)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${mailRequest}/replies`, { body: 'x', document: { title: 'Акт' } }, op3)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/replies/${pending.id}/approve`, {}, op2)).status).toBe(403);
  });

  it('approved: the mail carries the PDF as an attachment, the status page links that document only', async () => {
    const res = await api<{ reply: Reply }>(s.url, 'POST', `/api/replies/${pending.id}/approve`, {}, sup);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reply.status).toBe('sent');
    const mail = await sink.waitFor((m) => m.attachments.length > 0);
    expect(mail.subject).toBe(`Re: Протекает потолок [№ ${mailNumber}]`);
    expect(mail.text).toContain(`Направляем документ «Акт выполненных работ» по заявке № ${mailNumber}.`);
    expect(mail.attachments).toHaveLength(1);
    const file = mail.attachments[0]!;
    expect(file).toMatchObject({ filename: `Акт выполненных работ ${mailNumber}.pdf`, contentType: 'application/pdf' });
    const stored = await pdfOf(pending.document!.url);
    expect(createHash('sha256').update(file.content).digest('hex')).toBe(createHash('sha256').update(stored.bytes).digest('hex'));

    const page = await status();
    expect(page.documents.map((d) => d.title)).toEqual(['Акт выполненных работ']);
    const linked = await pdfOf(page.documents[0]!.url);
    expect([linked.status, linked.type]).toEqual([200, 'application/pdf']);
    expect(page.messages.at(-1)).toMatchObject({ direction: 'out', body: `Направляем документ «Акт выполненных работ» по заявке № ${mailNumber}.` });
    expect((await api(s.url, 'POST', `/api/replies/${pending.id}/approve`, {}, sup)).status).toBe(409);
  });

  it('rejected: the comment goes back to the author, nothing is sent, the status page does not show it', async () => {
    const before = sink.messages.length;
    const res = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${mailRequest}/replies`, { body: 'Черновик акта', document: { title: 'Акт осмотра' }, forApproval: true }, op2);
    expect(res.status).toBe(202);
    const rejected = await api<{ reply: Reply }>(s.url, 'POST', `/api/replies/${res.body.reply.id}/reject`, { comment: 'Укажите дату осмотра' }, sup);
    expect(rejected.body.reply).toMatchObject({ status: 'rejected', decisionComment: 'Укажите дату осмотра', document: { title: 'Акт осмотра' } });
    const mine = (await replies(mailRequest)).find((r) => r.id === res.body.reply.id)!;
    expect(mine.decisionComment).toBe('Укажите дату осмотра');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.length).toBe(before);
    expect((await status()).documents.map((d) => d.title)).toEqual(['Акт выполненных работ']);
  });

  it('the billing push of the closed request lists the sent documents with their sha256', async () => {
    // The push URL set directly (no PULT_BILLING_PUSH_SECRET here: the outbox row waits, which is all this reads).
    s.db.prepare('UPDATE tenants SET billing_push_url = ? WHERE id = 1').run('https://billing.example/push');
    for (const step of [{ to: 'in_work' }, { to: 'done', result: 'Заменён участок стояка' }, { to: 'closed' }]) {
      const t = await api(s.url, 'POST', `/api/requests/${mailRequest}/transition`, step, admin);
      expect(t.status, JSON.stringify(t.body)).toBe(200);
    }
    const row = s.db.prepare('SELECT body FROM billing_outbox WHERE ticket_id = ?').pluck().get(mailRequest) as string;
    const docs = (JSON.parse(row) as { documents: { title: string; name: string; sha256: string; attachmentId: number }[] }).documents;
    expect(docs).toEqual([{ title: 'Акт выполненных работ', name: `Акт выполненных работ ${mailNumber}.pdf`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), attachmentId: pending.document!.attachmentId, sentAt: expect.any(String) }]);
  });
});

describe('a document sent directly (Telegram)', () => {
  it('goes to the chat as a document (sendDocument) with the cover line as its caption', async () => {
    fake.text(BOT1, CHAT, '/start');
    await fake.waitFor(BOT1, CHAT, /номер телефона/);
    let n = fake.sent(BOT1, CHAT).length;
    fake.contact(BOT1, CHAT, '+7 999 000-11-22');
    await fake.waitFor(BOT1, CHAT, /^Напишите адрес/, n);
    n = fake.sent(BOT1, CHAT).length;
    fake.text(BOT1, CHAT, 'ул. Ленина, д. 1, кв. 5');
    await fake.waitFor(BOT1, CHAT, /Опишите проблему/, n);
    n = fake.sent(BOT1, CHAT).length;
    fake.text(BOT1, CHAT, 'Нет горячей воды третий день');
    const accepted = await fake.waitFor(BOT1, CHAT, /Заявка № \S+ принята/, n);
    const number = /№ (\S+)/.exec(accepted.text)![1]!;
    const id = (await api<{ items: { id: number; number: string }[] }>(s.url, 'GET', '/api/requests?channel=telegram&tenantId=1', undefined, admin)).body.items.find((r) => r.number === number)!.id;

    const res = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${id}/replies`, { body: 'Ответ на обращение по заявке.\n\nГорячая вода будет к вечеру.', document: { title: 'Ответ на обращение' } }, op2);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.reply.status).toBe('sent');
    const docs = fake.documents(BOT1, CHAT);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ filename: `Ответ на обращение ${number}.pdf`, mime: 'application/pdf', caption: `Заявка № ${number}:\nНаправляем документ «Ответ на обращение» по заявке № ${number}.` });
    expect(docs[0]!.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    telegramRequest = id;
  });

  it('the stage rule «reply-document» makes the document on entering the stage and, as the template asks, keeps it for approval', async () => {
    const p = (await api<{ pipeline: { stages: { code: string; rules: unknown[] }[]; transitions: [string, string][] } }>(s.url, 'GET', '/api/pipelines/1/planned', undefined, admin)).body.pipeline;
    const stages = p.stages.map((x) => (x.code === 'in_work' ? { ...x, rules: [...x.rules, { type: 'reply-document', templateId: actTemplate }] } : x));
    const put = await api(s.url, 'PUT', '/api/pipelines/1/planned', { stages, transitions: p.transitions }, admin);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await api(s.url, 'PUT', '/api/pipelines/1/planned', { stages: stages.map((x) => ({ ...x, rules: [{ type: 'reply-document' }] })), transitions: p.transitions }, admin)).status).toBe(400);

    const t = await api(s.url, 'POST', `/api/requests/${telegramRequest}/transition`, { to: 'in_work' }, op2);
    expect(t.status, JSON.stringify(t.body)).toBe(200);
    // The rule runs after the transition commits (the PDF is rendered then).
    const acts = async () => (await replies(telegramRequest)).filter((r) => r.document?.title === 'Акт выполненных работ');
    await expect.poll(async () => (await acts()).map((r) => r.status)).toEqual(['pending']);
    const made = await acts();
    expect(made[0]!.body).toContain('Работы выполнены');
    expect((await api<{ items: Reply[] }>(s.url, 'GET', '/api/replies/pending', undefined, sup)).body.items.map((r) => r.id)).toContain(made[0]!.id);
    expect(fake.documents(BOT1, CHAT)).toHaveLength(1); // nothing new reached the chat

    expect((await api(s.url, 'POST', `/api/replies/${made[0]!.id}/approve`, {}, sup)).status).toBe(200);
    expect(fake.documents(BOT1, CHAT).map((d) => d.filename)).toEqual([expect.stringMatching(/^Ответ на обращение /), expect.stringMatching(/^Акт выполненных работ /)]);
  });
});

describe('a request from the web form', () => {
  it('is answered on its status page: the document under «Документы», {ссылка} as «эта страница», the link still working', async () => {
    const building = (await api<{ items: { id: number }[] }>(s.url, 'GET', `/api/public/web/1/buildings?q=${encodeURIComponent('Ленина 5')}`)).body.items[0]!.id;
    const category = (await api<{ categories: { id: number; emergency: boolean }[] }>(s.url, 'GET', '/api/public/web/1')).body.categories.find((c) => !c.emergency)!.id;
    const form = new FormData();
    for (const [k, v] of Object.entries({ buildingId: building, flat: '3', categoryId: category, description: 'Не работает домофон в подъезде', name: 'Ольга', phone: '8 916 555-00-11' })) form.append(k, String(v));
    const created = (await (await fetch(`${s.url}/api/public/web/1/requests`, { method: 'POST', body: form })).json()) as { number: string; statusUrl: string };
    const token = created.statusUrl.split('/s/')[1]!;
    const id = (await api<{ items: { id: number; number: string }[] }>(s.url, 'GET', `/api/requests?number=${created.number}&tenantId=1`, undefined, admin)).body.items.find((x) => x.number === created.number)!.id;

    const reply = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${id}/replies`, { body: 'Мастер придёт завтра. Следите: {ссылка}' }, op2);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const doc = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${id}/replies`, { body: 'Домофон будет исправлен до пятницы.', document: { title: 'Ответ на обращение' } }, op2);
    expect(doc.body.reply.status).toBe('sent');

    const page = await api<{ request: Status }>(s.url, 'GET', `/api/public/status/${token}`);
    expect(page.status).toBe(200); // the resident's link was not replaced
    expect(page.body.request.documents.map((d) => d.name)).toEqual([`Ответ на обращение ${created.number}.pdf`]);
    expect(page.body.request.messages.filter((m) => m.direction === 'out').map((m) => m.body)).toEqual([
      'Мастер придёт завтра. Следите: эта страница',
      `Направляем документ «Ответ на обращение» по заявке № ${created.number}.`,
    ]);
    // another request's status page does not list it
    expect((await status()).documents.map((d) => d.title)).toEqual(['Акт выполненных работ']);
  });
});
