// Issue 12, item 3: the reports page (/reports/) in real Chromium under the
// CSP, on the constructed data set: a supervisor picks November 2026, the
// charts are drawn (their canvases hold pixels), the tables hold the API's
// figures, the compliance block shows the three shares and its PDF / XLSX
// download, a kept daily snapshot opens. An operator is told the page is
// not for them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { loadReportFixture } from '../support/report-fixture.js';
import { systemClock } from '../../src/clock.js';
import { ReportService } from '../../src/features/reports/service.js';
import { ReportRepository } from '../../src/features/reports/repository.js';
import { SnapshotRepository } from '../../src/features/reports/snapshots.js';

let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '200', PULT_UI_DIR: uiDir });
  loadReportFixture(s.db);
  new ReportService(new ReportRepository(s.db, 'Europe/Moscow'), new SnapshotRepository(s.db), systemClock, { timeZone: 'Europe/Moscow', shortAbandonSec: 5 })
    .makeScheduled('daily', new Date('2026-11-10T21:10:00.000Z'));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

/** Pixels drawn on a canvas (not fully transparent). */
const inked = (page: Page, testid: string) => page.getByTestId(testid).evaluate((c) => {
  const canvas = c as HTMLCanvasElement;
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
  return n;
});

const cells = (page: Page, testid: string) => page.getByTestId(testid).locator('tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));

describe('the reports page', () => {
  it('draws November\'s charts and tables, the compliance shares and downloads, a kept snapshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(s.url + '/reports/');
    await uiLogin(page, 'supervisor');
    await page.getByTestId('reports-filter').waitFor({ timeout: 15_000 });
    await page.getByTestId('reports-company').selectOption({ label: 'УК «Северный квартал»' });
    await page.getByTestId('reports-from').fill('2026-11-01');
    await page.getByTestId('reports-to').fill('2026-11-30');
    await page.getByTestId('reports-show').click();
    await page.getByTestId('reports-status').filter({ hasText: 'Europe/Moscow' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('requests-table').filter({ hasText: 'Засор канализации' }).waitFor({ timeout: 10_000 });

    // Requests by category: the same figures as the API's (tests/security/reports.test.ts).
    const req = await cells(page, 'requests-table');
    expect(req[1]).toEqual(['Авария на внутридомовых сетях водоснабжения (локализация)', '3', '2', '1', '0', '50 % (1 из 2)', '15 мин / 20 мин', '38 мин / 50 мин']);
    expect(req.at(-1)).toEqual(['Итого', '7', '4', '3', '2', '40 % (2 из 5)', '20 мин / 1 ч 00 мин', '55 мин / 3 ч 00 мин']);
    // Calls by hour of the day.
    const calls = await cells(page, 'calls-table');
    expect(calls.map((r) => r[0])).toEqual(['', '00:00', '09:00', '14:00', 'Итого']);
    expect(calls.at(-1)).toEqual(['Итого', '8', '4', '1', '1', '1', '28,6 %', '141 с', '50 % (4 из 8)', '33,3 % (1 из 3)']);
    // Executors with their ratings.
    const ex = await cells(page, 'executors-table');
    expect(ex.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([['Белов Э. Э.', '100'], ['Орлов С. С.', '33,3']]);
    // Every chart is drawn.
    for (const c of ['chart-requests', 'chart-calls', 'chart-executors', 'chart-complaints']) expect([c, await inked(page, c) > 1000]).toEqual([c, true]);

    // Decree 416 for November.
    await page.getByTestId('compliance-month').fill('2026-11');
    await page.getByTestId('compliance-month').dispatchEvent('change');
    await page.getByTestId('compliance-answered').filter({ hasText: '4 из 8' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('compliance-figures').innerText()).toMatch(/50 %[\s\S]*4 из 8[\s\S]*33,3 %[\s\S]*1 из 3[\s\S]*40 %[\s\S]*2 из 5/);
    for (const [button, magic, name] of [['compliance-pdf', '%PDF-', 'compliance-416-1-2026-11.pdf'], ['compliance-xlsx', 'PK', 'compliance-416-1-2026-11.xlsx']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(readFileSync((await download.path())!).subarray(0, magic.length).toString()).toBe(magic);
    }

    // The kept daily report of 10 November.
    // (Filtered to November: the real 00:10 job may have kept yesterday's too if the test ran then.)
    const snap = await cells(page, 'snapshots-list');
    expect(snap.slice(1).map((r) => r.slice(0, 3)).filter((r) => r[2]!.endsWith('.11.2026'))).toEqual([['Суточный', 'УК «Северный квартал»', '10.11.2026']]);
    await page.getByTestId('snapshots-list').locator('tr', { hasText: '10.11.2026' }).getByRole('button', { name: 'Открыть' }).click();
    await page.getByTestId('snapshot-detail').filter({ hasText: 'Заявок: 2, выполнено: 2; звонков: 7' }).waitFor({ timeout: 10_000 });

    await screenshot(page, 'reports-page');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the calls chart by day, and another company\'s figures after switching', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(s.url + '/reports/');
    await uiLogin(page, 'admin');
    await page.getByTestId('reports-filter').waitFor({ timeout: 15_000 });
    await page.getByTestId('reports-from').fill('2026-11-01');
    await page.getByTestId('reports-to').fill('2026-11-30');
    await page.getByTestId('reports-company').selectOption({ label: 'ТСЖ «Рассвет»' });
    await page.getByTestId('calls-by').selectOption('day');
    await page.getByTestId('calls-table').filter({ hasText: '11.11.2026' }).waitFor({ timeout: 10_000 });
    expect((await cells(page, 'calls-table')).slice(1)).toEqual([
      ['11.11.2026', '2', '1', '0', '1', '0', '50 %', '45 с', '50 % (1 из 2)', '—'],
      ['Итого', '2', '1', '0', '1', '0', '50 %', '45 с', '50 % (1 из 2)', '—'],
    ]);
    await screenshot(page, 'reports-page-rassvet');
    await page.close();
  });

  it('an operator is told the page is not for them', async () => {
    const page = await browser.newPage();
    await page.goto(s.url + '/reports/');
    await uiLogin(page, 'operator');
    await page.getByTestId('login-error').filter({ hasText: 'Отчёты доступны старшему диспетчеру и администратору.' }).waitFor({ timeout: 10_000 });
    await page.close();
  });
});
