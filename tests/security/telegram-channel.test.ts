// Issue 14, item 5: the Telegram channel against a local fake of the Bot API.
// A resident shares a phone (the account and address found), sends a photo
// with the problem → a request of their company (channel telegram, photo
// attached); further messages join it, photos sent to it are attached (a
// picture refused by content keeps its message); the dispatcher's reply reaches the chat; the dispatcher closes it → the bot
// asks for a rating; «Остались вопросы» + 2 reopens it. Malformed updates are
// skipped without stopping the bot; a restart neither repeats nor loses an
// update; the other company never sees the request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { testServer } from '../support/test-server.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
interface Req { id: number; number: string; tenantId: number; channel: string; status: string; accountNumber: string | null; address: string; flat: string | null; callerPhone: string | null; createdBy: { name: string }; history: { comment: string | null; to: string }[]; attachments: { id: number; mime?: string }[] }
interface Found { accountNumber: string; address: string; flat: string | null; phones: string[]; tenant: { id: number } }

const BOT1 = '111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const BOT2 = '222222:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const CHAT = 70001;
const CHAT2 = 70002;
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'pult-tg-'));

let fake: FakeTelegram;
let s: Server;
let admin: string;
const env = () => ({ PULT_STATE_DIR: stateDir, PULT_TELEGRAM_BOTS: `1=${BOT1},2=${BOT2}`, PULT_TELEGRAM_API_URL: fake.url, PULT_TELEGRAM_POLL_SEC: '1', PULT_FETCH_ALLOW_PRIVATE: 'true' });

beforeAll(async () => {
  fake = new FakeTelegram([BOT1, BOT2]);
  await fake.start();
  s = await testServer(env());
  admin = await login(s.url, 'admin', 'demo');
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await fake?.stop();
});

const telegramRequests = async (tenantId: number) =>
  (await api<{ items: Req[] }>(s.url, 'GET', `/api/requests?tenantId=${tenantId}&channel=telegram&limit=100`, undefined, admin)).body.items;
const request = async (id: number) => (await api<{ request: Req }>(s.url, 'GET', `/api/requests/${id}`, undefined, admin)).body.request;

/** An account of the company whose first phone belongs to it alone (so the bot finds one address). */
async function residentOf(tenantId: number): Promise<Found> {
  const sup = await login(s.url, 'supervisor', 'demo');
  for (const q of ['а', 'е', 'о']) {
    const items = (await api<{ items: Found[] }>(s.url, 'GET', `/api/accounts/search?q=${encodeURIComponent(q)}&limit=50`, undefined, sup)).body.items;
    for (const a of items.filter((x) => x.tenant.id === tenantId && x.phones.length)) {
      const same = (await api<{ items: unknown[] }>(s.url, 'GET', `/api/accounts/by-phone/${a.phones[0]}`, undefined, sup)).body.items;
      if (same.length === 1) return a;
    }
  }
  throw new Error(`no resident with a phone of their own in company ${tenantId}`);
}

describe('Telegram channel (fake Bot API)', () => {
  let ticketId = 0;
  let number = '';

  it('a resident shares the phone, sends a photo with the problem: a request with the account, the address and the photo', async () => {
    const resident = await residentOf(1);
    fake.text(BOT1, CHAT, '/start');
    const welcome = await fake.waitFor(BOT1, CHAT, /номер телефона/);
    expect(JSON.stringify(welcome.replyMarkup)).toContain('"request_contact":true');

    const p = resident.phones[0]!;
    fake.contact(BOT1, CHAT, `+7 (${p.slice(1, 4)}) ${p.slice(4, 7)}-${p.slice(7, 9)}-${p.slice(9)}`);
    const addr = await fake.waitFor(BOT1, CHAT, /^Адрес:/);
    expect(addr.text).toContain(resident.address);

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
    const n = fake.sent(BOT1, CHAT).length;
    fake.photo(BOT1, CHAT, jpeg, 'Течёт кран на кухне, вода на полу');
    const accepted = await fake.waitFor(BOT1, CHAT, /Заявка № \S+ принята/, n);
    number = /№ (\S+)/.exec(accepted.text)![1]!;
    expect(accepted.text).toMatch(/\/s\/[A-Za-z0-9_-]{20,}/);

    const mine = (await telegramRequests(1)).find((r) => r.number === number)!;
    expect(mine).toBeTruthy();
    ticketId = mine.id;
    const r = await request(ticketId);
    expect(r).toMatchObject({ channel: 'telegram', tenantId: 1, accountNumber: resident.accountNumber, callerPhone: p, createdBy: { name: 'Telegram' } });
    expect(r.address).toBe(resident.address);
    expect(r.attachments).toHaveLength(1);
  });

  it('a later message joins the open request; the other company does not see it', async () => {
    const n = fake.sent(BOT1, CHAT).length;
    fake.text(BOT1, CHAT, 'Вода уже у соседей снизу');
    await fake.waitFor(BOT1, CHAT, new RegExp(`Добавлено к заявке № ${number}`), n);
    const msgs = (await api<{ items: { direction: string; channel: string; body: string }[] }>(s.url, 'GET', `/api/requests/${ticketId}/messages`, undefined, admin)).body.items;
    expect(msgs.map((m) => [m.direction, m.channel, m.body])).toContainEqual(['in', 'telegram', 'Вода уже у соседей снизу']);
    expect((await telegramRequests(1)).filter((r) => r.number === number)).toHaveLength(1);

    // The dispatcher answers from the console: the reply reaches the chat and is stored as sent.
    const m = fake.sent(BOT1, CHAT).length;
    const sent = await api<{ reply: { status: string } }>(s.url, 'POST', `/api/requests/${ticketId}/replies`, { body: 'Сантехник будет в течение часа.' }, admin);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await fake.waitFor(BOT1, CHAT, new RegExp(`^Заявка № ${number}:\\nСантехник будет в течение часа\\.$`), m);
    await expect.poll(async () => (await api<{ replies: { status: string }[] }>(s.url, 'GET', `/api/requests/${ticketId}/replies`, undefined, admin)).body.replies.map((r) => r.status)).toEqual(['sent']);

    // The second company's bot, the same chat id: a conversation of its own, not this request.
    fake.text(BOT2, CHAT, 'Вода уже у соседей снизу');
    await fake.waitFor(BOT2, CHAT, /номер телефона/);
    expect(await telegramRequests(2)).toHaveLength(0);
    const other = await login(s.url, 'operator2', 'demo'); // company 1 only: sees it
    expect((await api(s.url, 'GET', `/api/requests/${ticketId}/messages`, undefined, other)).status).toBe(200);
  });

  it('closed by the dispatcher: the bot asks for a rating; «Остались вопросы» and 2 reopen the request', async () => {
    const n = fake.sent(BOT1, CHAT).length;
    for (const step of [{ to: 'in_work' }, { to: 'done', result: 'Заменена прокладка' }, { to: 'closed' }]) {
      const res = await api(s.url, 'POST', `/api/requests/${ticketId}/transition`, step, admin);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const ask = await fake.waitFor(BOT1, CHAT, new RegExp(`Заявка № ${number} выполнена. Оцените`), n);
    expect(JSON.stringify(ask.replyMarkup)).toContain('Остались вопросы');

    fake.text(BOT1, CHAT, 'Остались вопросы: почему вода ржавая?');
    await fake.waitFor(BOT1, CHAT, /Оцените, пожалуйста, работу от 1 до 5/, n + 1);
    fake.text(BOT1, CHAT, '2 грязно после работ');
    await fake.waitFor(BOT1, CHAT, new RegExp(`Заявка № ${number} возвращена диспетчеру`), n + 2);

    const r = await request(ticketId);
    expect(r.status).toBe('open');
    const back = r.history.at(-1)!;
    expect(back.comment).toContain('оценка 2 из 5');
    expect(back.comment).toContain('остались вопросы');
    expect(back.comment).toContain('почему вода ржавая?');
    expect(back.comment).toContain('грязно после работ');
  });

  it('a phone not in the directory: the bot asks for the address; the request carries it as text', async () => {
    fake.contact(BOT2, CHAT2, '+7 900 000-00-17');
    await fake.waitFor(BOT2, CHAT2, /Напишите адрес/);
    fake.text(BOT2, CHAT2, 'ул. Новая, д. 5, кв. 3');
    await fake.waitFor(BOT2, CHAT2, /Адрес: ул\. Новая, д\. 5, кв\. 3\./);
    const updateId = fake.text(BOT2, CHAT2, 'Не работает домофон');
    const ok = await fake.waitFor(BOT2, CHAT2, /Заявка № \S+ принята/);
    const made = await request((await telegramRequests(2)).find((r) => ok.text.includes(r.number))!.id);
    expect(made).toMatchObject({ address: 'ул. Новая, д. 5, кв. 3', accountNumber: null, callerPhone: '79000000017' });
    // Delivered again (handled, but Pult stopped before confirming it): the same request, not a second one.
    const n = fake.sent(BOT2, CHAT2).length;
    fake.replay(BOT2, updateId);
    const polls = fake.polls(BOT2);
    await expect.poll(() => fake.polls(BOT2) >= polls + 2, { timeout: 15_000 }).toBe(true); // taken, handled, confirmed
    expect(fake.sent(BOT2, CHAT2).slice(n)).toEqual([]);
    expect(await telegramRequests(2)).toHaveLength(1);
    const msgs = (await api<{ items: { body: string }[] }>(s.url, 'GET', `/api/requests/${made.id}/messages`, undefined, admin)).body.items;
    expect(msgs.filter((m) => m.body === 'Не работает домофон')).toHaveLength(1);
    // Company 1's operator cannot open company 2's request or its conversation.
    const other = await login(s.url, 'operator2', 'demo');
    expect((await api(s.url, 'GET', `/api/requests/${made.id}`, undefined, other)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/requests/${made.id}/messages`, undefined, other)).status).toBe(404);
  });

  it('a photo sent to the open request is attached to it, in its own company; one refused by content keeps the message', async () => {
    const other = (await telegramRequests(2))[0]!;
    const before1 = (await request(ticketId)).attachments.length;
    const before2 = (await request(other.id)).attachments.length;
    expect((await request(ticketId)).status).toBe('open'); // reopened by the rating above

    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#aa3333' } }).png().toBuffer();
    let n = fake.sent(BOT1, CHAT).length;
    fake.photo(BOT1, CHAT, png, '');
    await fake.waitFor(BOT1, CHAT, new RegExp(`Фото добавлено к заявке № ${number}`), n);
    const mine = await request(ticketId);
    expect(mine.attachments).toHaveLength(before1 + 1);
    expect(mine.attachments.at(-1)!.mime).toBe('image/png');
    expect((await request(other.id)).attachments).toHaveLength(before2); // not the other company's request

    // Company 2's chat with its own open request: the photo goes there, not to company 1's.
    const m = fake.sent(BOT2, CHAT2).length;
    fake.photo(BOT2, CHAT2, png, 'Вот фото домофона');
    await fake.waitFor(BOT2, CHAT2, new RegExp(`Фото добавлено к заявке № ${other.number}`), m);
    expect((await request(other.id)).attachments).toHaveLength(before2 + 1);
    expect((await request(ticketId)).attachments).toHaveLength(before1 + 1);
    const otherMsgs = (await api<{ items: { body: string }[] }>(s.url, 'GET', `/api/requests/${other.id}/messages`, undefined, admin)).body.items;
    expect(otherMsgs.map((x) => x.body)).toContain('Вот фото домофона');

    // Not an image: the caption still joins the request, the resident is told the photo was not taken.
    n = fake.sent(BOT1, CHAT).length;
    fake.photo(BOT1, CHAT, Buffer.from('MZ this is not a picture at all'), 'Фото не открывается?');
    await fake.waitFor(BOT1, CHAT, /фото принять не удалось/, n);
    expect((await request(ticketId)).attachments).toHaveLength(before1 + 1);
    const msgs = (await api<{ items: { body: string }[] }>(s.url, 'GET', `/api/requests/${ticketId}/messages`, undefined, admin)).body.items;
    expect(msgs.map((x) => x.body)).toContain('Фото не открывается?');
    expect(msgs.map((x) => x.body).some((b) => b.startsWith('Вложения не приняты'))).toBe(true);
  });

  it('a file sent as a document (a PDF, an uncompressed photo) is attached like a photo; another kind of file is refused with the caption kept', async () => {
    const before = (await request(ticketId)).attachments.length;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    let n = fake.sent(BOT1, CHAT).length;
    fake.document(BOT1, CHAT, pdf, 'акт.pdf', 'application/pdf', 'Акт от управляющей компании');
    await fake.waitFor(BOT1, CHAT, new RegExp(`Файл добавлен к заявке № ${number}`), n);
    const mine = await request(ticketId);
    expect(mine.attachments).toHaveLength(before + 1);
    expect(mine.attachments.at(-1)!.mime).toBe('application/pdf');
    n = fake.sent(BOT1, CHAT).length;
    fake.document(BOT1, CHAT, Buffer.from('PK\u0003\u0004 not a document we take'), 'архив.zip', 'application/zip', 'Архив с фото');
    await fake.waitFor(BOT1, CHAT, /файл принять не удалось/, n);
    expect((await request(ticketId)).attachments).toHaveLength(before + 1);
    const msgs = (await api<{ items: { body: string }[] }>(s.url, 'GET', `/api/requests/${ticketId}/messages`, undefined, admin)).body.items;
    expect(msgs.map((x) => x.body)).toContain('Архив с фото');
  });

  it('malformed updates are skipped and the bot goes on', async () => {
    fake.push(BOT1, null, { message: { chat: 'not an object', text: 42 } });
    fake.push(BOT1, null, { message: { message_id: 1, chat: { id: CHAT, type: 'private' }, photo: 'nope' } });
    const n = fake.sent(BOT1, CHAT).length;
    fake.text(BOT1, CHAT, 'Ещё: в подъезде не горит свет');
    await fake.waitFor(BOT1, CHAT, new RegExp(`Добавлено к заявке № ${number}`), n);
    await expect.poll(() => fake.pending(BOT1), { timeout: 10_000 }).toBe(0);
  });

  it('a restart neither repeats a handled update nor loses one sent while Pult was down', async () => {
    const before = (await telegramRequests(1)).length;
    await s.stop();
    fake.text(BOT1, 70003, '/start'); // while Pult is down
    s = await testServer(env());
    admin = await login(s.url, 'admin', 'demo');
    await fake.waitFor(BOT1, 70003, /номер телефона/);
    expect((await telegramRequests(1)).length).toBe(before);
    const msgs = (await api<{ items: { body: string }[] }>(s.url, 'GET', `/api/requests/${ticketId}/messages`, undefined, admin)).body.items;
    expect(msgs.filter((m) => m.body === 'Вода уже у соседей снизу')).toHaveLength(1);
  });
});
