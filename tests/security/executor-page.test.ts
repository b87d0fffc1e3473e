// Issue 11, item 5 and 6 (page part), in real Chromium at 360×740 under the
// page's CSP: the demo executor logs in at /x/, stays logged in across a
// reload, sees their requests (emergency first, countdowns), opens one (the
// caller's tel: link), accepts it, photographs the work and reports it done;
// the dispatcher's API shows the history and the photo. An action taken
// offline waits in the queue and is applied once when the network is back.
// Requests waiting for an answer bring a reminder (banner + vibration).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;
const sql = <T>(q: string, ...args: unknown[]) => s.db.prepare(q).all(...args) as T[];
const executorId = () => sql<{ id: number }>("SELECT id FROM users WHERE login = 'executor'")[0]!.id;

/** What the phone's screen shows now (the page's sticky bars stay where a person sees them). */
async function screen(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

async function phone(): Promise<{ context: BrowserContext; page: Page; violations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const page = await context.newPage();
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, violations };
}

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir, PULT_DEMO_ACCOUNTS: '200' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the executor’s phone page /x/', () => {
  it('log in, see the requests, accept one, photograph the work, report it done; the dispatcher sees it all', async () => {
    const { context, page, violations } = await phone();
    await page.goto(s.url + '/x/');
    await uiLogin(page, 'executor');
    await page.getByTestId('x-list').waitFor({ timeout: 15_000 });
    const items = page.getByTestId('x-item');
    expect(await items.count()).toBe(3);
    const first = await items.first().textContent();
    expect(first).toContain('Аварийная');
    const leak = sql<{ address: string; flat: string; caller_name: string; caller_phone: string }>("SELECT address, flat, caller_name, caller_phone FROM tickets WHERE description LIKE 'Течёт стояк%'")[0]!;
    expect(first).toContain(leak.address);
    expect(first).toMatch(/осталось \d+ мин/);
    expect(first).toContain('Примите заявку');
    expect(await items.nth(2).textContent()).toContain('Плановая');
    await screenshot(page, 'executor-list');

    // Stays logged in: a reload shows the list, not the login form.
    await page.reload();
    await page.getByTestId('x-list').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('login-form').count()).toBe(0);

    const requestId = Number(await items.first().getAttribute('data-id'));
    await items.first().click();
    await page.getByTestId('x-card').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('x-address').textContent()).toContain(`кв. ${leak.flat}`);
    expect(await page.getByTestId('x-caller').textContent()).toBe(leak.caller_name);
    expect(await page.getByTestId('x-call').getAttribute('href')).toBe(`tel:+${leak.caller_phone}`);
    expect(await page.getByTestId('x-description').textContent()).toContain('Течёт стояк');
    await screen(page, 'executor-card');

    await page.getByTestId('x-action-accept').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="x-stage"]')?.textContent === 'Принята в работу', undefined, { timeout: 10_000 });
    await page.getByTestId('x-action-done').click();
    const form = page.getByTestId('x-form-done');
    await form.waitFor();
    // Nothing typed: the form says what is missing and sends nothing.
    await page.getByTestId('x-form-send').click();
    expect(await page.getByTestId('x-error-result').isVisible()).toBe(true);
    await page.getByTestId('x-result').fill('Заменён участок стояка, течь устранена');
    const input = form.getByTestId('x-photo-input');
    expect(await input.getAttribute('accept')).toBe('image/*');
    expect(await input.getAttribute('capture')).toBe('environment');
    expect(await input.evaluate((el) => (el as HTMLInputElement).multiple)).toBe(true);
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 40, g: 110, b: 180 } } }).jpeg().toBuffer();
    await input.setInputFiles([{ name: 'стояк.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    await form.getByTestId('x-photo-thumb').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="x-photo-thumb"]')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 5000 });
    await form.getByTestId('x-photo-thumb').scrollIntoViewIfNeeded();
    await screen(page, 'executor-done-form');
    await page.getByTestId('x-form-send').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="x-stage"]')?.textContent === 'Выполнена', undefined, { timeout: 10_000 });
    expect(await page.getByTestId('x-countdown').textContent()).toBe('ждёт проверки диспетчера');
    expect(await page.getByTestId('x-action-accept').count()).toBe(0);
    await screenshot(page, 'executor-card-done');

    // The anonymous caller's request: «Аноним № N», nothing to ring.
    await page.getByTestId('x-back').click();
    await page.getByTestId('x-item').filter({ hasText: 'Засор канализации' }).click();
    await page.getByTestId('x-card').waitFor();
    expect(await page.getByTestId('x-caller').textContent()).toMatch(/^Аноним № \d+$/);
    expect(await page.getByTestId('x-call').count()).toBe(0);
    await screen(page, 'executor-card-anonymous');

    const operator = await login(s.url, 'operator', 'demo');
    const d = await api<{ request: { stage: { code: string }; result: string; history: { to: string; by: { id: number } | null }[]; attachments: { name: string; by: { id: number } }[] } }>(s.url, 'GET', `/api/requests/${requestId}`, undefined, operator);
    expect(d.body.request.stage.code).toBe('done');
    expect(d.body.request.result).toBe('Заменён участок стояка, течь устранена');
    const byExecutor = d.body.request.history.filter((h) => h.by?.id === executorId()).map((h) => h.to);
    expect(byExecutor).toEqual(['in_work', 'done']);
    // Beside the «Заявка» PDF made when the request was handed to work:
    expect(d.body.request.attachments.filter((a: { name: string }) => !a.name.startsWith('Заявка '))).toEqual([expect.objectContaining({ name: 'стояк.jpg', by: expect.objectContaining({ id: executorId() }) })]);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('an action taken offline waits in the queue and is applied once when the network is back', async () => {
    const { context, page } = await phone();
    await page.goto(s.url + '/x/');
    await uiLogin(page, 'executor');
    await page.getByTestId('x-list').waitFor({ timeout: 15_000 });
    const waiting = page.getByTestId('x-item').filter({ hasText: 'Примите заявку' }).first();
    const requestId = Number(await waiting.getAttribute('data-id'));
    await waiting.click();
    await page.getByTestId('x-card').waitFor();
    await context.setOffline(true);
    await page.getByTestId('x-action-accept').click();
    await page.getByTestId('x-queued').waitFor({ timeout: 5000 });
    await page.getByTestId('x-offline').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('x-pending').textContent()).toContain('Отправим');
    expect(sql<{ stage_code: string }>('SELECT stage_code FROM tickets WHERE id = ?', requestId)[0]!.stage_code).toBe('assigned');
    const key = `pult.x.outbox.${executorId()}`;
    const queued = await page.evaluate((k) => localStorage.getItem(k), key);
    expect(queued).toContain('"action":"accept"');
    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector('[data-testid="x-stage"]')?.textContent === 'Принята в работу', undefined, { timeout: 15_000 });
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe('[]');
    expect(sql('SELECT 1 FROM ticket_history WHERE ticket_id = ? AND to_stage = ?', requestId, 'in_work')).toHaveLength(1);
    await context.close();
  });

  it('a change proposed on the phone is confirmed on the dispatcher’s request page; the executor sees the decision', async () => {
    const { context, page, violations } = await phone();
    await page.goto(s.url + '/x/');
    await uiLogin(page, 'executor');
    await page.getByTestId('x-list').waitFor({ timeout: 15_000 });
    const planned = page.getByTestId('x-item').filter({ hasText: 'Плановая' }).first();
    const requestId = Number(await planned.getAttribute('data-id'));
    await planned.click();
    await page.getByTestId('x-propose').click();
    await page.getByTestId('x-proposal-text').fill('Заказано 3 счётчика, нужно 2: на кухне стояка ХВС нет');
    await page.getByTestId('x-proposal-item').fill('счётчик воды');
    await page.getByTestId('x-proposal-ordered').fill('3');
    await page.getByTestId('x-proposal-needed').fill('2');
    await page.getByTestId('x-proposal-send').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="x-proposal-status"]')?.textContent === 'ждёт решения диспетчера', undefined, { timeout: 10_000 });
    await page.getByTestId('x-proposal').scrollIntoViewIfNeeded();
    await screen(page, 'executor-proposal');

    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await desk.goto(s.url + '/');
    await uiLogin(desk, 'operator');
    await desk.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await desk.keyboard.press('F3');
    await desk.getByTestId('requests-view').waitFor({ timeout: 5000 });
    await desk.locator(`[data-testid="request-row"][data-id="${requestId}"]`).click();
    const proposal = desk.getByTestId('request-proposal');
    await proposal.waitFor({ timeout: 5000 });
    expect(await proposal.textContent()).toContain('счётчик воды: заказано 3, нужно 2');
    await desk.getByTestId('proposal-comment').fill('согласовано с УК');
    await desk.getByTestId('request-proposals-box').scrollIntoViewIfNeeded();
    await screenshot(desk, 'dispatcher-proposal');
    await desk.getByTestId('proposal-confirm').click();
    await desk.locator('[data-testid="request-proposal"][data-status="confirmed"]').waitFor({ timeout: 5000 });
    expect(await desk.getByTestId('request-history').textContent()).toContain('изменение подтверждено');
    await desk.close();

    await page.reload();
    await page.getByTestId('x-card').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('x-proposal-status').textContent()).toBe('подтверждено — согласовано с УК');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('someone who is not an executor is told the page is not for them', async () => {
    const { context, page } = await phone();
    await page.goto(s.url + '/x/');
    await uiLogin(page, 'operator');
    await page.getByTestId('x-not-executor').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('x-item').count()).toBe(0);
    await context.close();
  });

  it('a request not yet accepted brings a reminder at the interval: a banner and a vibration', async () => {
    const { context, page } = await phone();
    await page.addInitScript(() => {
      (window as unknown as { __vibrations: unknown[] }).__vibrations = [];
      Object.defineProperty(navigator, 'vibrate', { value: (p: unknown) => ((window as unknown as { __vibrations: unknown[] }).__vibrations.push(p), true) });
    });
    await page.clock.install();
    await page.goto(s.url + '/x/');
    await uiLogin(page, 'executor2');
    await page.getByTestId('x-list').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('x-reminder').isVisible()).toBe(false);
    await page.clock.runFor(10 * 60_000 + 1000);
    await page.getByTestId('x-reminder').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('x-reminder-text').textContent()).toBe('Напоминание: 1 заявка ждёт вашего ответа');
    expect(await page.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)).toBeGreaterThan(0);
    await screen(page, 'executor-reminder');
    await context.close();
  });
});
