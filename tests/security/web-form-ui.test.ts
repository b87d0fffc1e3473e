// Issue 14, in real Chromium: a resident on a 360×740 phone fills the web
// form (address picked from the company's houses), gets the number and the
// private status link; the status page follows the request as the
// dispatcher moves it through its stages; after closing the resident rates
// it 2 with a comment, and the dispatcher's open console shows the request
// back at «Новая» (live, by request.changed) with the resident's comment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, login } from '../../scripts/lib/pult-process.js';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir, PULT_DEMO_ACCOUNTS: '50' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

/** Records CSP violations of a page (none are expected). */
async function cspWatch(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return violations;
}

describe('the residents’ web form and status page', () => {
  it('form → request → status page through the stages → a rating of 2 reopens it in the console', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ru-RU' });
    const phone = await context.newPage();
    const violations = await cspWatch(phone);

    // The company chooser, then the form.
    await phone.goto(`${s.url}/r/`);
    await phone.locator('a.rs-company', { hasText: 'Северный квартал' }).click();
    await phone.getByTestId('web-form').waitFor({ timeout: 10_000 });
    expect(await phone.getByTestId('company').textContent()).toContain('Северный квартал');
    // Sending it empty: every required field says what is missing, nothing is sent.
    await phone.getByTestId('submit').click();
    await phone.getByTestId('form-error').waitFor({ timeout: 5000 });
    expect(await phone.locator('.rs-invalid').count()).toBeGreaterThanOrEqual(4);
    await screenshot(phone, 'web-form-errors-360');

    await phone.getByTestId('address-search').fill('Ленина 5');
    await phone.locator('.rs-result', { hasText: 'Ленина, д. 5' }).first().click();
    expect(await phone.getByTestId('address-chosen').textContent()).toContain('Ленина, д. 5');
    await phone.getByTestId('flat').fill('12');
    const doorOption = await phone.getByTestId('category').locator('option', { hasText: 'входной двери' }).getAttribute('value');
    await phone.getByTestId('category').selectOption(doorOption!);
    await phone.getByTestId('description').fill('Не закрывается входная дверь в подъезде, сломан доводчик');
    await phone.getByTestId('name').fill('Анна Иванова');
    await phone.getByTestId('phone').fill('8 916 555-44-33');
    // Every marked field fixed: «Проверьте поля…» is gone too.
    expect(await phone.locator('.rs-invalid').count()).toBe(0);
    expect(await phone.getByTestId('form-error').isVisible()).toBe(false);
    await screenshot(phone, 'web-form-filled-360');
    await phone.getByTestId('submit').click();
    await phone.getByTestId('form-done').waitFor({ timeout: 10_000 });
    const numberText = (await phone.getByTestId('request-number').textContent())!;
    const number = /\d{4}-\d{6}/.exec(numberText)![0];
    await screenshot(phone, 'web-form-done-360');

    // The request as the dispatchers see it.
    const admin = await login(s.url, 'admin', 'demo');
    const list = await api<{ items: { id: number; number: string; channel: string }[] }>(s.url, 'GET', `/api/requests?number=${number}&tenantId=1`, undefined, admin);
    const item = list.body.items.find((x) => x.number === number)!;
    expect(item.channel).toBe('web');

    // The status page, opened by the private link.
    await phone.getByTestId('status-link').click();
    await phone.getByTestId('timeline').waitFor({ timeout: 10_000 });
    expect(await phone.getByTestId('status-title').textContent()).toContain(number);
    expect(await phone.getByTestId('stage').textContent()).toBe('Новая');
    expect(await phone.locator('.rs-badges .chip').allTextContents()).toEqual(['Новая']);
    await screenshot(phone, 'status-new-360');

    // The dispatcher moves it through the stages; the page shows each with its time.
    for (const step of [{ to: 'in_work' }, { to: 'done', result: 'Заменён доводчик, дверь закрывается' }, { to: 'closed' }]) {
      expect((await api(s.url, 'POST', `/api/requests/${item.id}/transition`, step, admin)).status).toBe(200);
    }
    await phone.reload();
    await phone.getByTestId('rating').waitFor({ timeout: 10_000 });
    expect(await phone.locator('.rs-step-name').allTextContents()).toEqual(['Новая', 'Принята в работу', 'Выполнена', 'Закрыта']);
    expect(await phone.locator('.rs-step-time').count()).toBe(4);
    expect(await phone.getByTestId('report').textContent()).toContain('Заменён доводчик');
    expect(await phone.getByTestId('stage').textContent()).toBe('Закрыта');
    await screenshot(phone, 'status-closed-360');

    // The dispatcher's console is open on the requests list meanwhile.
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await desk.goto(s.url + '/');
    await uiLogin(desk, 'operator');
    await desk.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await desk.keyboard.press('F3');
    await desk.getByTestId('requests-view').waitFor({ timeout: 5000 });
    const row = desk.locator(`[data-testid="request-row"][data-id="${item.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('Закрыта');
    expect(await row.textContent()).toContain('Сайт');

    // The resident rates it 2 with a comment.
    await phone.getByTestId('star-2').click();
    await phone.getByTestId('rate-comment').fill('Дверь снова не закрывается');
    await phone.getByTestId('rate-send').click();
    await phone.getByTestId('notice').waitFor({ timeout: 10_000 });
    expect(await phone.getByTestId('stage').textContent()).toBe('Новая');
    // The header shows the current stage only, the same as the last step of «Ход работ».
    expect(await phone.locator('.rs-badges .chip').allTextContents()).toEqual(['Новая']);
    expect(await phone.locator('.rs-step-now .rs-step-name').textContent()).toBe('Новая');
    expect(await phone.getByTestId('rated').textContent()).toContain('2 из 5');
    expect(await phone.getByTestId('rating').count()).toBe(0);
    await screenshot(phone, 'status-rated-360');
    expect(violations).toEqual([]);

    // The console shows it reopened without a reload, with the comment in its history and «Переписка».
    await desk.waitForFunction((id) => document.querySelector(`[data-testid="request-row"][data-id="${id}"]`)?.textContent?.includes('Новая'), item.id, { timeout: 10_000 });
    await row.click();
    await desk.getByTestId('request-messages-box').waitFor({ timeout: 10_000 });
    expect(await desk.getByTestId('request-stage').textContent()).toBe('Новая');
    expect(await desk.getByTestId('request-history').textContent()).toContain('Дверь снова не закрывается');
    expect(await desk.getByTestId('request-channel').textContent()).toBe('Сайт');
    expect(await desk.getByTestId('request-rating').textContent()).toContain('2 из 5');
    expect(await desk.getByTestId('request-messages').textContent()).toContain('Не закрывается входная дверь');
    // A dispatcher's answer reaches the resident's page.
    await desk.getByTestId('request-message-text').fill('Мастер придёт сегодня до 18:00');
    await desk.getByTestId('request-message-send').click();
    await desk.locator('[data-testid="request-message"][data-direction="out"]').waitFor({ timeout: 5000 });
    await desk.getByTestId('request-messages-box').scrollIntoViewIfNeeded();
    await screenshot(desk, 'console-reopened-by-resident');
    await desk.close();

    await phone.reload();
    await phone.getByTestId('conversation').waitFor({ timeout: 10_000 });
    expect(await phone.getByTestId('conversation').textContent()).toContain('Мастер придёт сегодня до 18:00');
    await screenshot(phone, 'status-reopened-conversation-360');
    await context.close();
  });

  it('the dispatcher makes a status link for a phone request; the resident opens it', async () => {
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await desk.goto(s.url + '/');
    await uiLogin(desk, 'operator');
    await desk.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await desk.keyboard.press('F3');
    const row = desk.locator('[data-testid="request-row"]', { hasText: 'Засор канализации в подвале' }).first();
    await row.waitFor({ timeout: 10_000 });
    const number = await row.getAttribute('data-number');
    await row.click();
    await desk.getByTestId('request-status-link').click();
    await desk.waitForFunction(() => document.querySelector('[data-testid="request-flash"]')?.textContent?.includes('/s/'), undefined, { timeout: 5000 });
    const url = /(http\S+\/s\/\S+)/.exec((await desk.getByTestId('request-flash').textContent())!)![1]!;
    await screenshot(desk, 'console-status-link');
    await desk.close();
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(url);
    await page.getByTestId('timeline').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('status-title').textContent()).toContain(number);
    await page.close();
  });

  it('a wrong status link says the request is not found', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${s.url}/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    await page.getByTestId('status-error').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('status-error').textContent()).toBe('Заявка не найдена. Проверьте ссылку.');
    await page.close();
  });
});
