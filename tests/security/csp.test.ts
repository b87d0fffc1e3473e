// Issue 9, item 11: the built pages pass their own Content-Security-Policy in
// real Chromium — console (/), mobile page (/m/), wallboard (/wall/): after a
// login nothing is blocked (no securitypolicyviolation event, no CSP console
// error), and the policy is really enforced (an injected inline script is).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '50', PULT_UI_DIR: uiDir, PULT_SIP_WS_URL: 'ws://127.0.0.1:9/ws' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

interface Watch { violations: string[]; consoleErrors: string[] }

async function open(p: string): Promise<{ page: Page; watch: Watch }> {
  const page = await browser.newPage();
  const watch: Watch = { violations: [], consoleErrors: [] };
  await page.exposeFunction('__cspViolation', (v: string) => void watch.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) watch.consoleErrors.push(m.text());
  });
  await page.goto(s.url + p);
  return { page, watch };
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
}

describe('the built pages under their CSP', () => {
  it('console (/): log in as an operator, the softphone starts', async () => {
    const { page, watch } = await open('/');
    expect((await page.request.get(s.url + '/')).headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await uiLogin(page, 'operator');
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await page.getByTestId('softphone-status').waitFor({ timeout: 15_000 });
    await settle(page);
    await screenshot(page, 'csp-console');
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);

    // «Заявки» (F3), a request's page with its stage form, the new-request dialog.
    await page.keyboard.press('F3');
    await page.getByTestId('requests-view').waitFor({ timeout: 5000 });
    await page.getByTestId('requests-new').click();
    const dialog = page.getByTestId('new-request-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('ticket-description').fill('Не работает домофон');
    await dialog.getByTestId('ticket-address').fill('ул. Ленина, д. 7');
    await dialog.getByTestId('new-request-company').selectOption('1');
    await dialog.getByTestId('ticket-save').click();
    await page.getByTestId('request-stage').waitFor({ timeout: 5000 });
    await page.getByTestId('stage-in_work').click();
    await page.getByTestId('stage-form').waitFor();
    await settle(page);
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);

    // The detector works: an inline script is blocked and reported.
    await page.addScriptTag({ content: 'window.__inline = 1' }).catch(() => undefined);
    await page.waitForTimeout(200);
    expect(watch.violations.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    await page.close();
  });

  it('mobile page (/m/): log in as overflow staff', async () => {
    const { page, watch } = await open('/m/');
    await uiLogin(page, 'mobile');
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await settle(page);
    await screenshot(page, 'csp-mobile');
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('wallboard (/wall/): log in as a supervisor, the snapshot arrives over socket.io', async () => {
    const { page, watch } = await open('/wall/');
    await uiLogin(page, 'supervisor', 'login-user');
    await page.getByTestId('wall-clock').waitFor({ timeout: 15_000 });
    await page.getByTestId('operator').first().waitFor({ timeout: 15_000 });
    await settle(page);
    await screenshot(page, 'csp-wallboard');
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    // The requests monitor (?view=monitor), same session.
    await page.goto(s.url + '/wall/?view=monitor');
    await page.getByTestId('monitor-open').waitFor({ timeout: 15_000 });
    await settle(page);
    expect(watch.violations).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
