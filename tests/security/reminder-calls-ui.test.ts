// Issue 11, item 6: a company's reminder calls set from the zones page in
// real Chromium under the CSP: the panel shows the configured default, a
// supervisor sets the company's own minutes (the API then holds them), a
// bad value is refused with the reason, turning calls off is kept.
// Screenshot: artifacts/screenshots/reminder-calls-panel.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir, PULT_REMINDER_CALL_AFTER_MIN: '12' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('reminder calls on the zones page', () => {
  it('shows the default, saves the company’s own minutes, refuses a bad value, keeps calls off', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(s.url + '/zones/');
    await uiLogin(page, 'supervisor');
    const panel = page.getByTestId('rc-panel');
    await panel.waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid="rc-minutes"]') as HTMLInputElement | null)?.placeholder === 'по умолчанию 12', undefined, { timeout: 10_000 });
    expect(await page.getByTestId('rc-enabled').isChecked()).toBe(true);
    await page.getByTestId('rc-minutes').fill('3');
    await page.getByTestId('rc-save').click();
    await page.getByTestId('rc-status').filter({ hasText: 'Сохранено' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('rc-rules').filter({ hasText: 'Первый звонок — через 3 мин после назначения' }).waitFor({ timeout: 5000 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'reminder-calls-panel');
    const sup = await login(s.url, 'supervisor', 'demo');
    expect((await api<{ afterMinutes: number }>(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, sup)).body.afterMinutes).toBe(3);

    await page.getByTestId('rc-minutes').fill('0');
    await page.getByTestId('rc-save').click();
    await page.getByTestId('rc-status').filter({ hasText: 'Не сохранено' }).waitFor({ timeout: 10_000 });
    expect((await api<{ afterMinutes: number }>(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, sup)).body.afterMinutes).toBe(3);

    await page.getByTestId('rc-minutes').fill('');
    await page.getByTestId('rc-enabled').uncheck();
    await page.getByTestId('rc-save').click();
    await page.getByTestId('rc-status').filter({ hasText: 'Сохранено' }).waitFor({ timeout: 10_000 });
    expect((await api(s.url, 'GET', '/api/reminder-calls/settings/1', undefined, sup)).body).toMatchObject({ enabled: false, afterMinutes: 12, customAfterMinutes: null });
    // Company 2 (the supervisor's other company) is its own.
    await page.getByTestId('zones-company').selectOption('2');
    await page.waitForFunction(() => (document.querySelector('[data-testid="rc-enabled"]') as HTMLInputElement | null)?.checked === true, undefined, { timeout: 10_000 });
    expect(violations).toEqual([]);
    await page.close();
  });
});
