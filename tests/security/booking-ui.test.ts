// Issue 14 item 3 in real Chromium: a resident on the web form (360 px)
// chooses a category that needs a visit, the address, then one of the free
// times; the answer names the visit. The dispatcher sees «Визит: …» on the
// request page and moves it; the executor's /x/ card shows the visit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let browser: Browser;
const one = <T>(q: string, ...args: unknown[]) => s.db.prepare(q).pluck().get(...args) as T;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir, PULT_BOOKING_RATE_PER_MIN: '1000', PULT_TIMEZONE: 'Europe/Moscow' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('booking a visit on the residents’ form', () => {
  it('category → address → a free time → «Вы записаны», then the console and /x/ show the visit', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') violations.push(m.text()); });
    await page.goto(`${s.url}/r/1/`);
    const meters = one<number>("SELECT id FROM ticket_categories WHERE code = 'meter-install'");
    await page.getByTestId('category').selectOption(String(meters));
    const picker = page.getByTestId('slot-picker');
    await picker.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('slot-note').textContent()).toContain('Сначала выберите адрес');
    const address = one<string>('SELECT address FROM buildings WHERE tenant_id = 1 ORDER BY id LIMIT 1');
    await page.getByTestId('address-search').fill(`${/ул\. ([^,]+)/.exec(address)![1]} ${/д\. (\S+)/.exec(address)![1]}`);
    await page.locator('.rs-result', { hasText: address }).first().click();
    await page.getByTestId('slot').first().waitFor({ timeout: 10_000 });
    // The second day, the first free time.
    await page.getByTestId('slot-day').nth(1).click();
    const slot = page.getByTestId('slot').first();
    const start = (await slot.getAttribute('data-start'))!;
    await slot.click();
    await page.getByTestId('description').fill('Поверка счётчиков холодной и горячей воды');
    await page.getByTestId('name').fill('Анна Жильцова');
    await page.getByTestId('phone').fill('+7 916 555-12-34');
    await page.getByTestId('slot-picker').scrollIntoViewIfNeeded();
    await screenshot(page, 'booking-form-slots');
    await page.getByTestId('submit').click();
    await page.getByTestId('form-done').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('booked-visit').textContent()).toMatch(/^Мастер придёт \d\d\.\d\d \(..\), \d\d:\d\d–\d\d:\d\d$/);
    await screenshot(page, 'booking-form-done');
    const ticketId = one<number>('SELECT ticket_id FROM bookings WHERE start_at = ?', start);
    expect(ticketId).toBeGreaterThan(0);
    await context.close();

    // The dispatcher's request page: the visit, moved to another time.
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const console_ = await desk.newPage();
    await console_.goto(s.url + '/');
    await uiLogin(console_, 'operator');
    await console_.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await console_.keyboard.press('F3');
    await console_.getByTestId('requests-view').waitFor({ timeout: 5000 });
    await console_.locator(`[data-testid="request-row"][data-id="${ticketId}"]`).click();
    await console_.getByTestId('request-visit').waitFor({ timeout: 10_000 });
    expect(await console_.getByTestId('request-visit').textContent()).toMatch(/^Визит: /);
    await console_.getByTestId('visit-reschedule').click();
    const select = console_.getByTestId('visit-slot');
    await console_.getByTestId('visit-save').waitFor({ state: 'visible' });
    await console_.waitForFunction(() => (document.querySelector('[data-testid="visit-save"]') as HTMLButtonElement | null)?.disabled === false);
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const to = options.find((v) => v !== start)!;
    await select.selectOption(to);
    await console_.getByTestId('request-visit-box').screenshot({ path: 'artifacts/screenshots/booking-console-reschedule.png' });
    await console_.getByTestId('visit-save').click();
    await console_.waitForFunction(() => document.querySelector('[data-testid="request-flash"]')?.textContent?.startsWith('Визит:') ?? false);
    await screenshot(console_, 'booking-console-request');
    const operator = await login(s.url, 'operator', 'demo');
    expect((await api<{ visit: { start: string } }>(s.url, 'GET', `/api/requests/${ticketId}/booking`, undefined, operator)).body.visit.start).toBe(to);
    await desk.close();

    // The executor's phone: the card shows the visit.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const x = await phone.newPage();
    await x.goto(s.url + '/x/');
    const executorLogin = one<string>('SELECT u.login FROM bookings b JOIN users u ON u.id = b.executor_id WHERE b.ticket_id = ? AND b.status = ?', ticketId, 'active');
    await uiLogin(x, executorLogin);
    await x.getByTestId('x-list').waitFor({ timeout: 15_000 });
    await x.locator(`[data-testid="x-item"][data-id="${ticketId}"]`).click();
    await x.getByTestId('x-visit').waitFor({ timeout: 10_000 });
    expect(await x.getByTestId('x-visit').textContent()).toMatch(/^Визит: (\d\d\.\d\d \(..\), )?\d\d:\d\d–\d\d:\d\d$/);
    await screenshot(x, 'booking-executor-card');
    await phone.close();
    expect(violations).toEqual([]);
  }, 120_000);

  it('the admin sets the billing link on the admin page; the request page opens the account in billing', async () => {
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const page = await desk.newPage();
    await page.goto(s.url + '/admin/#billing');
    await uiLogin(page, 'admin');
    await page.getByTestId('billing-form').waitFor({ timeout: 15_000 });
    await page.getByTestId('billing-template').fill('http://billing.example/acc/{account}');
    await page.getByTestId('billing-save').click();
    await page.locator('[data-testid="admin-status"]', { hasText: 'https' }).waitFor({ timeout: 5000 });
    await page.getByTestId('billing-template').fill('https://billing.example/acc/{account}');
    await page.getByTestId('billing-save').click();
    await page.locator('[data-testid="admin-status"].admin-ok').waitFor({ timeout: 5000 });
    await screenshot(page, 'billing-admin');
    const admin = await login(s.url, 'admin', 'demo');
    expect((await api<{ urlTemplate: string }>(s.url, 'GET', '/api/tenants/1/billing', undefined, admin)).body.urlTemplate).toBe('https://billing.example/acc/{account}');

    const withAccount = s.db.prepare('SELECT t.id, a.account_number AS n FROM tickets t JOIN accounts a ON a.id = t.account_id WHERE t.tenant_id = 1 ORDER BY t.id LIMIT 1').get() as { id: number; n: string };
    await desk.close();
    const desk2 = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const con = await desk2.newPage();
    await con.goto(s.url + '/');
    await uiLogin(con, 'operator');
    await con.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await con.keyboard.press('F3');
    await con.locator(`[data-testid="request-row"][data-id="${withAccount.id}"]`).click();
    const link = con.getByTestId('request-billing-link');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toBe(`https://billing.example/acc/${encodeURIComponent(withAccount.n)}`);
    expect(await link.textContent()).toBe('Открыть в биллинге');
    await screenshot(con, 'billing-request-link');
    await desk2.close();
  }, 120_000);
});
