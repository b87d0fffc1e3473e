// Issue 13, item 4: the API description page (/api/docs/) in real Chromium
// under the CSP. The page itself is public (it holds no data); after login
// it shows every operation of /api/openapi.json grouped by section, with the
// body fields and their rules; the filter narrows the list.
import { describe, expect, it } from 'vitest';
import { screenshot, uiLogin } from '../support/browser.js';
import { uiServerForFile } from '../support/ui-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

const rig = uiServerForFile();

describe('the API description page', () => {
  it('shows every documented operation by section after login, with body fields; the filter narrows it', async () => {
    const doc = (await api<{ paths: Record<string, object> }>(rig.s.url, 'GET', '/api/openapi.json', undefined, await login(rig.s.url, 'supervisor', 'demo'))).body;
    const total = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);

    const page = await rig.browser.newPage({ viewport: { width: 1300, height: 900 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(rig.s.url + '/api/docs/');
    await uiLogin(page, 'supervisor');
    await page.getByTestId('api-list').waitFor({ timeout: 10_000 });
    expect(await page.locator('.apidocs-op').count()).toBe(total);
    expect(await page.getByTestId('api-group').locator('h2').allTextContents()).toContain('Линии');

    // A line's fields as the server checks them: name required, ring timeout 5..120 with its default.
    const newLine = page.getByTestId('op-post-/api/lines');
    await newLine.locator('summary').first().click();
    await expect.poll(() => newLine.locator('tr', { hasText: 'ringTimeoutSec' }).textContent()).toMatch(/от 5; до 120; по умолчанию 15/);
    expect(await newLine.locator('tr', { hasText: /^name/ }).textContent()).toContain('да');
    await screenshot(page, 'apidocs-lines');

    await page.getByTestId('api-filter').fill('entry-menu');
    await expect.poll(() => page.locator('.apidocs-op').count()).toBe(2);
    await page.getByTestId('api-filter').fill('');
    expect(violations).toEqual([]);
    await page.close();
  });
});
