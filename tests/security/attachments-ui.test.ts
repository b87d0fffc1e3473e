// Issue 10 item 4, in real Chromium under the page's CSP: on a request's page
// the dispatcher picks photos, they upload, their thumbnails load (signed
// same-origin links, nothing blocked), a click opens the full file, and a
// refused file is explained in Russian, naming it.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the request page’s attachments', () => {
  it('uploads photos, shows loaded thumbnails under the CSP, explains a refusal in Russian', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => void violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(s.url + '/');
    await uiLogin(page, 'operator');
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await page.keyboard.press('F3');
    await page.getByTestId('requests-view').waitFor({ timeout: 5000 });
    await page.getByTestId('requests-new').click();
    const dialog = page.getByTestId('new-request-dialog');
    await dialog.getByTestId('ticket-description').fill('Течь с потолка в ванной');
    await dialog.getByTestId('ticket-address').fill('ул. Ленина, д. 7');
    await dialog.getByTestId('new-request-company').selectOption('1');
    await dialog.getByTestId('ticket-save').click();
    await page.getByTestId('request-no-attachments').waitFor({ timeout: 5000 });

    const photo = (r: number) => sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g: 90, b: 40 } } }).jpeg().toBuffer();
    await page.getByTestId('request-attach-input').setInputFiles([
      { name: 'протечка-1.jpg', mimeType: 'image/jpeg', buffer: await photo(200) },
      { name: 'протечка-2.jpg', mimeType: 'image/jpeg', buffer: await photo(50) },
    ]);
    await page.getByTestId('request-attachment-thumb').nth(1).waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="request-attachment-thumb"]')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 5000 });
    expect(await page.getByTestId('request-attachment').allTextContents()).toEqual([expect.stringContaining('протечка-1.jpg'), expect.stringContaining('протечка-2.jpg')]);
    await page.getByTestId('request-attachments').scrollIntoViewIfNeeded();
    await screenshot(page, 'attachments-request-page');

    const [tab] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('request-attachment-link').first().click()]);
    await tab.waitForLoadState();
    expect(await tab.evaluate(() => document.contentType)).toBe('image/jpeg');
    await tab.close();

    await page.getByTestId('request-attach-input').setInputFiles([{ name: 'not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('plain text pretending to be a photo\n'.repeat(10)) }]);
    const error = page.getByTestId('request-attach-error');
    await error.waitFor({ timeout: 5000 });
    expect(await error.textContent()).toContain('«not-a-photo.jpg»');
    expect(await error.textContent()).toContain('Можно только фото');
    expect(await page.getByTestId('request-attachment').count()).toBe(2);
    expect(violations).toEqual([]);
    await page.close();
  });
});
