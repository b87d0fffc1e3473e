// Issue 11, item 2: the zones page (/zones/) in real Chromium under the CSP:
// a supervisor logs in, the company's buildings are plotted, three clicks
// and a name make a zone that the API then holds.
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
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '1000', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the zones page', () => {
  it('plots the buildings and saves a drawn zone', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(s.url + '/zones/');
    await uiLogin(page, 'supervisor');
    await page.getByTestId('zones-map').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('.zone-building').length > 0, undefined, { timeout: 15_000 });
    const plotted = await page.locator('.zone-building').count();
    expect(plotted).toBe((s.db.prepare('SELECT count(*) FROM buildings WHERE tenant_id = 1 AND lat IS NOT NULL').pluck().get() as number));
    // A rectangle around the whole map: every plotted building falls inside.
    const box = (await page.getByTestId('zones-map').boundingBox())!;
    for (const [fx, fy] of [[0.005, 0.005], [0.995, 0.005], [0.995, 0.995], [0.005, 0.995]]) await page.mouse.click(box.x + box.width * fx!, box.y + box.height * fy!);
    await page.getByTestId('zones-name').fill('Весь город');
    await page.getByTestId('zones-save').click();
    await screenshot(page, 'zones-page');
    await page.getByTestId('zones-status').filter({ hasText: 'Зона «Весь город» сохранена' }).waitFor({ timeout: 10_000 });
    const zones = await api<{ items: { name: string; buildingCount: number }[] }>(s.url, 'GET', '/api/zones?tenantId=1', undefined, await login(s.url, 'supervisor', 'demo'));
    expect(zones.body.items).toEqual([expect.objectContaining({ name: 'Весь город', buildingCount: plotted })]);
    expect(violations).toEqual([]);
    await page.close();
  });
});
