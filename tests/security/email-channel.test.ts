// Issue 14, items 4, 6, 7 and the e-mail side of 8, against a real local mail
// setup: Pult's own SMTP listener on a random port, nodemailer as the
// resident's mail client, and a local SMTP sink catching what Pult sends.
// Mail in → a request (channel email) with the account matched by the phone
// in the text → the acknowledgement with the number → a templated reply
// (sent at once, then one through approval: pending never sent, approved
// sent, rejected never sent) → the resident's answer joins the request →
// closing asks for a rating, a «2» reopens it. Refusals: unknown recipient
// 550, oversized 552, no sender 554. Scope: another company's template,
// request and pending reply are 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import sharp from 'sharp';
import { io as connect, type Socket } from 'socket.io-client';
import type { ParsedMail } from 'mailparser';
import { api, login } from '../../scripts/lib/pult-process.js';
import { testServer } from '../support/test-server.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';

let s: Awaited<ReturnType<typeof testServer>>;
let sink: MailSink;
let admin: string, sup: string, op2: string, sup2: string;
let resident: Transporter;
const sockets: Socket[] = [];

type Item = { id: number; number: string };
type Detail = { id: number; number: string; channel: string; accountNumber: string | null; address: string; flat: string | null; status: string; tenantId: number; attachments: unknown[] };
type Message = { direction: 'in' | 'out'; channel: string; body: string };
type Reply = { id: number; status: string; body: string; decisionComment: string | null };
type ReplyEvent = { replyId: number; status: string; decisionComment: string | null; tenantId: number };

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
const refs = (m: ParsedMail) => (typeof m.references === 'string' ? [m.references] : (m.references ?? []));
const listEmail = async (tenantId = 1) => (await api<{ items: Item[] }>(s.url, 'GET', `/api/requests?channel=email&tenantId=${tenantId}`, undefined, admin)).body.items;
const detail = async (id: number) => (await api<{ request: Detail }>(s.url, 'GET', `/api/requests/${id}`, undefined, admin)).body.request;
const messages = async (id: number) => (await api<{ items: Message[] }>(s.url, 'GET', `/api/requests/${id}/messages`, undefined, admin)).body.items;
const send = (m: SendMailOptions) => resident.sendMail({ from: 'Иван Петров <ivan@example.ru>', to: 'zayavki@sever.test', ...m });
const refused = async (m: SendMailOptions) => {
  try {
    await resident.sendMail(m);
  } catch (err) {
    return (err as { responseCode?: number }).responseCode;
  }
  return 250;
};
/** Waits for something the server does after answering (a socket push, attachments stored). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}
function socket(token: string): Promise<Socket> {
  const c = connect(s.url, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(c);
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('connect_error', reject);
  });
}
const next = <T>(c: Socket, event: string) => new Promise<T>((resolve) => c.once(event, resolve));

let requestId = 0;
let number = '';
let ack: ParsedMail;
let replyMail: ParsedMail;

beforeAll(async () => {
  sink = await startMailSink();
  s = await testServer({
    PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_PUBLIC_URL: 'https://pult.test',
    PULT_MAIL_SMTP_PORT: '0', PULT_MAIL_DOMAINS: 'sever.test,rassvet.test', PULT_MAIL_MAX_MB: '0.2',
    PULT_MAIL_SMTP_OUT_URL: `smtp://127.0.0.1:${sink.port}`, PULT_MAIL_FROM: 'АДС <ads@pult.test>', PULT_MAIL_FEEDBACK_CRON: '* * * * * *',
  });
  [admin, sup, op2] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'supervisor', 'demo'), login(s.url, 'operator2', 'demo')]);
  const created = await api(s.url, 'POST', '/api/users', { login: 'sup2', password: 'demo-pass-2', role: 'supervisor', fullName: 'Старший Рассвета', tenantIds: [2] }, admin);
  expect(created.status).toBe(201);
  sup2 = await login(s.url, 'sup2', 'demo-pass-2');
  expect((await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'Zayavki@Sever.test', repliesNeedApproval: false }, admin)).status).toBe(200);
  expect((await api(s.url, 'PUT', '/api/tenants/2/mail', { inboundEmail: 'info@rassvet.test', repliesNeedApproval: false }, admin)).status).toBe(200);
  resident = nodemailer.createTransport({ host: '127.0.0.1', port: s.mailPort!, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  for (const c of sockets) c.close();
  resident?.close();
  await s?.stop();
  await sink?.stop();
});

describe('company mail settings', () => {
  it('are admin-only, validated, unique and audited', async () => {
    expect((await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'x@sever.test', repliesNeedApproval: false }, sup)).status).toBe(403);
    const badDomain = await api<{ error: { details: { field: string; problem: string }[] } }>(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'x@elsewhere.test', repliesNeedApproval: false }, admin);
    expect(badDomain.status).toBe(400);
    expect(badDomain.body.error.details[0]!.problem).toContain('elsewhere.test');
    expect((await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'not an address', repliesNeedApproval: false }, admin)).status).toBe(400);
    expect((await api(s.url, 'PUT', '/api/tenants/2/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: false }, admin)).status).toBe(409);
    expect((await api(s.url, 'GET', '/api/tenants/1/mail', undefined, sup2)).status).toBe(404);
    const mine = await api<{ mail: { inboundEmail: string } }>(s.url, 'GET', '/api/tenants/1/mail', undefined, sup);
    expect(mine.body.mail.inboundEmail).toBe('zayavki@sever.test');
    const audit = await api<{ items: { entity: string; tenantId: number }[] }>(s.url, 'GET', '/api/audit?entity=tenant-mail', undefined, admin);
    expect(audit.body.items.some((e) => e.tenantId === 1)).toBe(true);
  });
});

describe('mail in', () => {
  it('refuses an unknown recipient (550), a domain not served (550), oversized mail (552) and mail without a sender (554), and keeps listening', async () => {
    expect(await refused({ from: 'a@example.ru', to: 'nobody@sever.test', subject: 'x', text: 'x' })).toBe(550);
    expect(await refused({ from: 'a@example.ru', to: 'zayavki@elsewhere.test', subject: 'x', text: 'x' })).toBe(550);
    expect(await refused({ from: 'a@example.ru', to: 'zayavki@sever.test', subject: 'big', text: 'x'.repeat(300_000) })).toBe(552);
    expect(await refused({ envelope: { from: 'a@example.ru', to: 'zayavki@sever.test' }, raw: 'Subject: no sender\r\n\r\nhello' })).toBe(554);
    expect(await listEmail()).toHaveLength(0);
  });

  it('becomes a request (channel email) with the account matched by the phone in the text and a photo kept', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#3366ff' } }).png().toBuffer();
    const info = await send({
      subject: 'Течёт кран на кухне', text: 'Здравствуйте! Течёт кран, вода на полу.\nМой телефон +7 (903) 111-22-33.',
      attachments: [{ filename: 'kran.png', content: png, contentType: 'image/png' }, { filename: 'virus.exe', content: Buffer.from('MZ...'), contentType: 'application/octet-stream' }],
    });
    expect(info.accepted).toEqual(['zayavki@sever.test']);
    const items = await listEmail();
    expect(items).toHaveLength(1);
    requestId = items[0]!.id;
    number = items[0]!.number;
    const d = await until(() => detail(requestId), (x) => x.attachments.length > 0);
    expect(d.channel).toBe('email');
    expect(d.accountNumber).toBe('1000002'); // 79031112233 belongs to that account only
    expect(d.address).toContain('Ленина');
    expect(d.flat).toBe('14');
    expect(d.attachments).toHaveLength(1); // the image, not the .exe
    const first = (await messages(requestId))[0]!;
    expect(first.direction).toBe('in');
    expect(first.body).toContain('Течёт кран');
  });

  it('is acknowledged by mail with the number and the status link', async () => {
    ack = await sink.waitFor((m) => to(m).includes('ivan@example.ru') && (m.subject ?? '').includes(number));
    expect(ack.subject).toBe(`Re: Течёт кран на кухне [№ ${number}]`);
    expect(ack.text).toContain(`заявка № ${number}`);
    expect(ack.text).toMatch(/https:\/\/pult\.test\/s\/[A-Za-z0-9_-]{20,}/);
    expect(ack.inReplyTo).toBeTruthy();
  });

  it('from the same address later is matched to the learned account without a phone', async () => {
    await send({ subject: 'Не работает домофон', text: 'Подъезд 2, домофон молчит.' });
    const items = await listEmail();
    expect(items).toHaveLength(2);
    const second = items.find((i) => i.id !== requestId)!;
    expect((await detail(second.id)).accountNumber).toBe('1000002');
    await sink.waitFor((m) => (m.subject ?? '').includes(second.number));
  });

  it('from an unknown sender without a phone is still received, with no account', async () => {
    await resident.sendMail({ from: 'someone@example.org', to: 'info@rassvet.test', subject: 'Грязно в подъезде', text: '<b>не убирают</b> неделю' });
    const items = await listEmail(2);
    expect(items).toHaveLength(1);
    const d = await detail(items[0]!.id);
    expect(d.accountNumber).toBeNull();
    expect(d.tenantId).toBe(2);
  });
});

describe('reply templates', () => {
  let templateId = 0;
  it('are validated: unknown placeholders are listed in a 400, a duplicate topic is 409', async () => {
    const bad = await api<{ error: { message: string; details: { unknown: string[] }[] } }>(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Долг', body: 'Ваш долг {сумма} на {дату}, заявка {номер}' }, sup);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]!.unknown).toEqual(['сумма', 'дату']);
    const ok = await api<{ template: { id: number } }>(s.url, 'POST', '/api/reply-templates', {
      tenantId: 1, topic: 'Протечка: заявка принята', body: 'Здравствуйте, {имя}! Заявка № {номер} по адресу {адрес} ({категория}) принята. Статус: {статус}. Следить: {ссылка}',
    }, sup);
    expect(ok.status).toBe(201);
    templateId = ok.body.template.id;
    await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Отключение воды', body: 'Воду дадут к {срок}.' }, sup);
    expect((await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'протечка: ЗАЯВКА принята', body: 'x' }, sup)).status).toBe(409);
    expect((await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Оператору нельзя', body: 'x' }, op2)).status).toBe(403);
  });

  it('are found by the first letters of the topic, case-insensitive', async () => {
    const find = async (q: string) => (await api<{ items: { topic: string }[] }>(s.url, 'GET', `/api/reply-templates?tenantId=1&q=${encodeURIComponent(q)}`, undefined, op2)).body.items.map((t) => t.topic);
    expect(await find('про')).toEqual(['Протечка: заявка принята']);
    expect(await find('ОТК')).toEqual(['Отключение воды']);
    expect(await find('течка')).toEqual([]);
    expect(await find('')).toHaveLength(2);
  });

  it("are the company's own: another company's supervisor gets 404 and an empty search", async () => {
    expect((await api(s.url, 'GET', `/api/reply-templates/${templateId}`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'PUT', `/api/reply-templates/${templateId}`, { tenantId: 1, topic: 'x', body: 'y' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'DELETE', `/api/reply-templates/${templateId}`, undefined, sup2)).status).toBe(404);
    expect((await api<{ items: unknown[] }>(s.url, 'GET', '/api/reply-templates?tenantId=1', undefined, sup2)).body.items).toEqual([]);
    expect((await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Чужая', body: 'x' }, sup2)).status).toBe(400);
  });

  it('fill a reply from the request, and it goes out by mail in the thread with «[№ …]»', async () => {
    const draft = await api<{ body: string }>(s.url, 'GET', `/api/requests/${requestId}/reply-draft?templateId=${templateId}`, undefined, op2);
    expect(draft.status).toBe(200);
    expect(draft.body.body).toContain(`Заявка № ${number} по адресу `);
    expect(draft.body.body).toContain('ул. Ленина, д. 5, кв. 14');
    expect(draft.body.body).toContain('Иван Петров');
    expect(draft.body.body).toContain('{ссылка}'); // made when sent
    const sent = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: `${draft.body.body}\nМастер придёт завтра.`, templateId }, op2);
    expect(sent.status).toBe(201);
    expect(sent.body.reply).toMatchObject({ status: 'sent', error: null });
    replyMail = await sink.waitFor((m) => (m.text ?? '').includes('Мастер придёт завтра.'));
    expect(replyMail.subject).toBe(`Re: Течёт кран на кухне [№ ${number}]`);
    expect(to(replyMail)).toEqual(['ivan@example.ru']);
    expect(replyMail.text).toMatch(/Следить: https:\/\/pult\.test\/s\/[A-Za-z0-9_-]{20,}/);
    expect(refs(replyMail)).toContain(ack.inReplyTo); // the resident's first Message-ID
    const out = (await messages(requestId)).filter((m) => m.direction === 'out');
    expect(out.map((m) => m.body).join('\n')).toContain('Мастер придёт завтра.');
  });
});

describe('replies through approval', () => {
  let pendingId = 0;
  it('are pending and not sent when the company asks for approval; supervisors are told', async () => {
    expect((await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: true }, admin)).status).toBe(200);
    const supSocket = await socket(sup);
    const sup2Socket = await socket(sup2);
    let sup2Told = false;
    sup2Socket.on('reply.pending', () => (sup2Told = true));
    const told = next<ReplyEvent>(supSocket, 'reply.pending');
    const r = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: 'Ответ на согласовании: придём в пятницу.' }, op2);
    expect(r.status).toBe(202);
    expect(r.body.reply.status).toBe('pending');
    pendingId = r.body.reply.id;
    expect((await told).replyId).toBe(pendingId);
    const list = await api<{ items: Reply[] }>(s.url, 'GET', '/api/replies/pending?tenantId=1', undefined, sup);
    expect(list.body.items.map((x) => x.id)).toEqual([pendingId]);
    expect((await api<{ items: Reply[] }>(s.url, 'GET', '/api/replies/pending', undefined, sup2)).body.items).toEqual([]);
    expect(sup2Told).toBe(false);
    expect(sink.messages.some((m) => (m.text ?? '').includes('придём в пятницу'))).toBe(false);
  });

  it("are 404 to another company's supervisor and 403 to an operator", async () => {
    expect((await api(s.url, 'POST', `/api/replies/${pendingId}/approve`, {}, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/replies/${pendingId}/reject`, { comment: 'нет' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/replies/${pendingId}/approve`, {}, op2)).status).toBe(403);
    expect((await api(s.url, 'GET', `/api/requests/${requestId}/replies`, undefined, sup2)).status).toBe(404);
    expect((await api(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: 'чужой ответ' }, sup2)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${requestId}/reply-draft?templateId=1`, undefined, sup2)).status).toBe(404);
  });

  it('rejected with a comment: never sent, the author is told why', async () => {
    const opSocket = await socket(op2);
    const r = await api<{ reply: Reply }>(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: 'Черновик с ошибкой: придём никогда.' }, op2);
    expect(r.body.reply.status).toBe('pending');
    expect((await api(s.url, 'POST', `/api/replies/${r.body.reply.id}/reject`, {}, sup)).status).toBe(400); // a comment is required
    const told = next<ReplyEvent>(opSocket, 'reply.decided');
    const rej = await api<{ reply: Reply }>(s.url, 'POST', `/api/replies/${r.body.reply.id}/reject`, { comment: 'Уточните дату визита' }, sup);
    expect(rej.body.reply.status).toBe('rejected');
    const e = await told;
    expect(e).toMatchObject({ replyId: r.body.reply.id, status: 'rejected', decisionComment: 'Уточните дату визита' });
    const mine = await api<{ replies: Reply[] }>(s.url, 'GET', `/api/requests/${requestId}/replies`, undefined, op2);
    expect(mine.body.replies.find((x) => x.id === r.body.reply.id)).toMatchObject({ status: 'rejected', decisionComment: 'Уточните дату визита' });
    expect((await api(s.url, 'POST', `/api/replies/${r.body.reply.id}/approve`, {}, sup)).status).toBe(409);
  });

  it('approved: sent once, caught by the sink with «[№ …]»; the rejected one never is', async () => {
    const ok = await api<{ reply: Reply }>(s.url, 'POST', `/api/replies/${pendingId}/approve`, {}, sup);
    expect(ok.status).toBe(200);
    expect(ok.body.reply.status).toBe('sent');
    const m = await sink.waitFor((x) => (x.text ?? '').includes('придём в пятницу'));
    expect(m.subject).toBe(`Re: Течёт кран на кухне [№ ${number}]`);
    expect(sink.messages.filter((x) => (x.text ?? '').includes('придём в пятницу'))).toHaveLength(1);
    expect(sink.messages.some((x) => (x.text ?? '').includes('придём никогда'))).toBe(false);
    expect((await api(s.url, 'POST', `/api/replies/${pendingId}/approve`, {}, sup)).status).toBe(409);
    await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: false }, admin);
  });

  it('refuses bad input with a 400 and a request by phone with a 409 (no channel to answer through)', async () => {
    expect((await api(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: '' }, op2)).status).toBe(400);
    expect((await api(s.url, 'POST', `/api/requests/${requestId}/replies`, { body: 'x', extra: 1 }, op2)).status).toBe(400);
    const cats = (await api<{ items: { id: number; kind: string }[] }>(s.url, 'GET', '/api/ticket-categories', undefined, op2)).body.items;
    const planned = cats.find((c) => c.kind !== 'emergency')!;
    const phone = await api<{ ticket: { id: number } }>(s.url, 'POST', '/api/tickets', { kind: 'planned', categoryId: planned.id, description: 'По телефону', tenantId: 1, address: 'ул. Ленина, 5' }, op2);
    expect((await api(s.url, 'POST', `/api/requests/${phone.body.ticket.id}/replies`, { body: 'Ответ' }, op2)).status).toBe(409);
  });
});

describe("the resident's answers", () => {
  it('join the request as an in message (by In-Reply-To), not a new request', async () => {
    await send({
      subject: `Re: ${replyMail.subject}`, text: `Спасибо, жду мастера.\n\n${new Date().toLocaleDateString('ru-RU')}, АДС пишет:\n> Мастер придёт завтра.`,
      inReplyTo: replyMail.messageId, references: [...refs(replyMail), replyMail.messageId!],
    });
    expect(await listEmail()).toHaveLength(2);
    const last = (await messages(requestId)).at(-1)!;
    expect(last).toMatchObject({ direction: 'in', channel: 'email', body: 'Спасибо, жду мастера.' });
  });

  it('join by «[№ …]» in the subject when the client dropped the headers', async () => {
    await send({ subject: `Дополнение [№ ${number}]`, text: 'Вода уже у соседей снизу.' });
    expect(await listEmail()).toHaveLength(2);
    expect((await messages(requestId)).at(-1)!.body).toBe('Вода уже у соседей снизу.');
  });

  it("do not join another company's request by its number", async () => {
    await resident.sendMail({ from: 'x@example.ru', to: 'info@rassvet.test', subject: `Чужая [№ ${number}]`, text: 'Попытка дописать в чужую заявку' });
    expect((await messages(requestId)).some((m) => m.body.includes('Попытка'))).toBe(false);
  });

  it('after closing: asked to rate by mail; «2» with a comment reopens the request', async () => {
    expect((await api(s.url, 'POST', `/api/tickets/${requestId}/close`, undefined, op2)).status).toBe(200);
    const askMail = await sink.waitFor((m) => (m.text ?? '').includes('Оцените работу') && (m.subject ?? '').includes(number));
    await send({ subject: `Re: ${askMail.subject}`, text: '2 Кран снова течёт\n\n> Оцените работу', inReplyTo: askMail.messageId });
    const d = await until(() => detail(requestId), (x) => x.status === 'open');
    expect(d.status).toBe('open');
    const ratings = (await api<{ ratings: { score: number; comment: string | null; channel: string }[] }>(s.url, 'GET', `/api/requests/${requestId}/messages`, undefined, admin)).body.ratings;
    expect(ratings).toEqual([expect.objectContaining({ score: 2, comment: 'Кран снова течёт', channel: 'email' })]);
  });
});
