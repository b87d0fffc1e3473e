// Issue 14, items 6–7, in real Chromium under the page's CSP: a request that
// came by mail; on its page the dispatcher types the first letters of a
// template's topic, picks it, the text is filled from the request, edited and
// sent — the local mail sink catches it with «[№ …]». Sent for approval
// instead, it waits (never reaches the sink) until the supervisor, on the
// same request page, approves it. A document template («Акт выполненных
// работ») makes a PDF: sent for approval, approved on the monitor (with a
// link to the PDF), mailed as an attachment, linked on the resident's status page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { api, login } from '../../scripts/lib/pult-process.js';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';

let s: Awaited<ReturnType<typeof testServer>>;
let sink: MailSink;
let browser: Browser;
let number = '';

beforeAll(async () => {
  const uiDir = buildUi();
  sink = await startMailSink();
  s = await testServer({
    PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_UI_DIR: uiDir, PULT_PUBLIC_URL: 'https://pult.test',
    PULT_MAIL_SMTP_PORT: '0', PULT_MAIL_SMTP_OUT_URL: `smtp://127.0.0.1:${sink.port}`, PULT_MAIL_FROM: 'АДС <ads@pult.test>', PULT_MAIL_FEEDBACK_CRON: 'off',
  });
  const [admin, sup] = await Promise.all([login(s.url, 'admin', 'demo'), login(s.url, 'supervisor', 'demo')]);
  await api(s.url, 'PUT', '/api/tenants/1/mail', { inboundEmail: 'zayavki@sever.test', repliesNeedApproval: false }, admin);
  await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Протечка: мастер назначен', body: 'Здравствуйте, {имя}!\nПо заявке № {номер} ({адрес}) назначен мастер: {исполнитель}. Статус: {статус}.' }, sup);
  await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Отключение воды', body: 'Воду дадут к {срок}.' }, sup);
  const resident = nodemailer.createTransport({ host: '127.0.0.1', port: s.mailPort!, secure: false, ignoreTLS: true });
  await resident.sendMail({ from: 'Анна Иванова <anna@example.ru>', to: 'zayavki@sever.test', subject: 'Протекает потолок', text: 'Течёт с потолка в ванной. Тел. 8 903 111-22-33' });
  resident.close();
  const items = (await api<{ items: { number: string }[] }>(s.url, 'GET', '/api/requests?channel=email', undefined, admin)).body.items;
  number = items[0]!.number;
  await sink.waitFor((m) => (m.subject ?? '').includes(number)); // the acknowledgement
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
  await sink?.stop();
});

async function openRequest(loginName: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(s.url + '/');
  await uiLogin(page, loginName);
  await page.getByTestId('user-name').waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
    await screenshot(page, `email-reply-login-${loginName}`);
    throw err;
  });
  await page.keyboard.press('F3');
  await page.getByTestId('requests-view').waitFor({ timeout: 5000 });
  await page.locator(`[data-testid="request-row"][data-number="${number}"]`).click();
  await page.getByTestId('reply-form').waitFor({ timeout: 5000 });
  return page;
}

describe('the request page’s «Ответить заявителю»', () => {
  it('finds a template by its first letters, fills it from the request, sends the edited text by mail', async () => {
    const page = await openRequest('operator2');
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.getByTestId('reply-template-search').fill('про');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="reply-template-option"]').length === 1);
    expect(await page.getByTestId('reply-template-option').allTextContents()).toEqual(['Протечка: мастер назначен']);
    await page.getByTestId('reply-template-option').first().click();
    await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[data-testid="reply-text"]')?.value ?? '').includes('назначен мастер'));
    const filled = await page.getByTestId('reply-text').inputValue();
    expect(filled).toContain(`По заявке № ${number}`);
    expect(filled).toContain('Анна Иванова');
    expect(filled).toContain('ул. Ленина, д. 5'); // the account matched by the phone in the mail
    await page.getByTestId('reply-text').fill(`${filled}\nПридём сегодня до 18:00.`);
    await screenshot(page, 'email-reply-box-filled');
    await page.getByTestId('reply-send').click();
    await page.locator('[data-testid="request-reply"][data-status="sent"]').waitFor({ timeout: 10_000 });
    const mail = await sink.waitFor((m) => (m.text ?? '').includes('Придём сегодня до 18:00.'));
    expect(mail.subject).toBe(`Re: Протекает потолок [№ ${number}]`);
    expect(await page.getByTestId('request-flash').textContent()).toBe('Ответ отправлен заявителю');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('sends a reply for approval: pending, not mailed, until the supervisor approves it on the page', async () => {
    const op = await openRequest('operator2');
    await op.getByTestId('reply-text').fill('Согласуйте: придём завтра утром.');
    await op.getByTestId('reply-for-approval').check();
    expect(await op.getByTestId('reply-send').textContent()).toBe('На согласование');
    await op.getByTestId('reply-send').click();
    await op.locator('[data-testid="request-reply"][data-status="pending"]').waitFor({ timeout: 10_000 });
    expect(await op.getByTestId('reply-approve').count()).toBe(0); // an operator cannot approve
    expect(sink.messages.some((m) => (m.text ?? '').includes('придём завтра утром'))).toBe(false);

    // supervisors have no console: the requests monitor of the wallboard lists what waits for them
    const sup = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await sup.goto(s.url + '/wall/?view=monitor');
    await uiLogin(sup, 'supervisor', 'login-user');
    const pending = sup.locator(`[data-testid="pending-reply"][data-request="${number}"]`);
    await pending.waitFor({ timeout: 15_000 });
    expect(await pending.textContent()).toContain('Согласуйте: придём завтра утром.');
    await screenshot(sup, 'email-reply-pending-supervisor');
    await pending.getByTestId('pending-reply-approve').click();
    await pending.waitFor({ state: 'detached', timeout: 10_000 });
    const mail = await sink.waitFor((m) => (m.text ?? '').includes('придём завтра утром'));
    expect(mail.subject).toBe(`Re: Протекает потолок [№ ${number}]`);
    // the author's page learns of the decision over the socket and shows it sent
    await op.locator('[data-testid="request-reply"][data-status="sent"]').nth(1).waitFor({ timeout: 10_000 });
    await screenshot(op, 'email-reply-approved-author');
    await op.close();
    await sup.close();
  });

  it('lets a supervisor keep the company’s templates on the monitor: an unknown placeholder is explained, a good one saved and found', async () => {
    const sup = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await sup.goto(s.url + '/wall/?view=monitor');
    await uiLogin(sup, 'supervisor', 'login-user');
    await sup.locator('[data-testid="template-row"]').first().waitFor({ timeout: 15_000 });
    await sup.getByTestId('template-topic').fill('Перерасчёт');
    await sup.getByTestId('template-body').fill('Перерасчёт по заявке {номер}: {сумма} руб.');
    await sup.getByTestId('template-save').click();
    await sup.getByTestId('template-error').waitFor({ timeout: 5000 });
    expect(await sup.getByTestId('template-error').textContent()).toContain('{сумма}');
    await sup.getByTestId('template-body').fill('Перерасчёт по заявке {номер} сделан, {имя}.');
    await sup.getByTestId('template-save').click();
    await sup.getByTestId('templates-search').fill('пер');
    await sup.waitForFunction(() => [...document.querySelectorAll('[data-testid="template-row"]')].map((e) => e.textContent).join('|').startsWith('Перерасчёт') && document.querySelectorAll('[data-testid="template-row"]').length === 1);
    await sup.getByTestId('templates-search').fill('');
    await sup.waitForFunction(() => document.querySelectorAll('[data-testid="template-row"]').length === 3);
    await sup.getByTestId('templates-panel').scrollIntoViewIfNeeded();
    await screenshot(sup, 'email-reply-templates-monitor');
    await sup.close();
  });

  it('sends a document from a document template for approval; approved on the monitor, it is mailed as a PDF and shown on the status page', async () => {
    const sup = await login(s.url, 'supervisor', 'demo');
    const tpl = await api(s.url, 'POST', '/api/reply-templates', { tenantId: 1, kind: 'document', topic: 'Акт выполненных работ', body: 'Заявка № {номер} от {дата}\nАдрес: {адрес}\n\nРаботы по заявке выполнены.' }, sup);
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    const op = await openRequest('operator2');
    await op.getByTestId('reply-template-search').fill('акт');
    await op.waitForFunction(() => document.querySelectorAll('[data-testid="reply-template-option"]').length === 1);
    expect(await op.getByTestId('reply-template-option').textContent()).toContain('документ');
    await op.getByTestId('reply-template-option').click();
    await op.getByTestId('reply-document').waitFor({ timeout: 5000 });
    expect(await op.getByTestId('reply-document-title').inputValue()).toBe('Акт выполненных работ');
    await op.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('[data-testid="reply-text"]')?.value ?? '').includes('Работы по заявке выполнены'));
    const filled = await op.getByTestId('reply-text').inputValue();
    expect(filled).toContain(`Заявка № ${number}`);
    await op.getByTestId('reply-text').fill(`${filled} Заменён смеситель.`);
    await op.getByTestId('reply-for-approval').check();
    await screenshot(op, 'document-reply-filled');
    await op.getByTestId('reply-send').click();
    const row = op.locator('[data-testid="request-reply"][data-status="pending"]').filter({ has: op.getByTestId('reply-document-link') });
    await row.waitFor({ timeout: 10_000 });
    expect(await op.getByTestId('request-flash').textContent()).toBe('Документ отправлен на согласование');
    expect(sink.messages.some((m) => m.attachments.length > 0)).toBe(false);

    const mon = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await mon.goto(s.url + '/wall/?view=monitor');
    await uiLogin(mon, 'supervisor', 'login-user');
    const pending = mon.locator(`[data-testid="pending-reply"][data-request="${number}"]`).filter({ has: mon.getByTestId('pending-reply-document') });
    await pending.waitFor({ timeout: 15_000 });
    expect(await pending.getByTestId('pending-reply-document').textContent()).toBe('Акт выполненных работ (PDF)');
    const href = (await pending.getByTestId('pending-reply-document').getAttribute('href'))!;
    const pdf = await fetch(s.url + href);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    await pending.scrollIntoViewIfNeeded();
    await screenshot(mon, 'document-reply-pending-supervisor');
    await pending.getByTestId('pending-reply-approve').click();
    await pending.waitFor({ state: 'detached', timeout: 10_000 });
    const mail = await sink.waitFor((m) => m.attachments.length > 0);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`Акт выполненных работ ${number}.pdf`, 'application/pdf']]);
    expect(mail.text).toContain('Направляем документ «Акт выполненных работ»');

    // the resident's status page (the link from the acknowledgement) lists the document
    const ack = sink.messages.find((m) => (m.subject ?? '').includes(number) && /\/s\//.test(m.text ?? ''))!;
    const token = /\/s\/([A-Za-z0-9_-]+)/.exec(ack.text ?? '')![1]!;
    const resident = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await resident.goto(`${s.url}/s/${token}`);
    const link = resident.getByTestId('document-link');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.textContent()).toBe('Акт выполненных работ (PDF)');
    const got = await fetch(s.url + (await link.getAttribute('href'))!);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    await resident.getByTestId('documents').scrollIntoViewIfNeeded();
    await screenshot(resident, 'document-status-page');
    const sent = op.locator('[data-testid="request-reply"][data-status="sent"]').filter({ has: op.getByTestId('reply-document-link') });
    await sent.waitFor({ timeout: 10_000 });
    await sent.scrollIntoViewIfNeeded();
    await screenshot(op, 'document-reply-sent-author');
    await resident.close();
    await mon.close();
    await op.close();
  });
});
