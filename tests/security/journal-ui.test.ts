// Issue 12 item 1 in real Chromium under the page's CSP: the console's
// «Журнал» shows a company's requests over a period (filters by company and
// dates), its XLSX download is caught and read back, the monthly archive
// lists an export with its SHA-256 and downloads it intact, and the
// journal's recording link (/?request=<id>) opens the request's page —
// also after a fresh login, as a click in a stored file would.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { localMonth, previousMonth } from '../../src/features/journal/time.js';

let s: Awaited<ReturnType<typeof testServer>>;
let browser: Browser;
const ids: number[] = [];
let numbers: string[] = [];
let otherNumber = '';
/** Requests company 1 already has this month (the demo executors' own) before the test's three. */
let base = 0;
const callId = '00000000-0000-4000-9000-0000000000c1';

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
  const operator = await login(s.url, 'operator', 'demo');
  const cat = (code: string) => s.db.prepare('SELECT id FROM ticket_categories WHERE code = ?').pluck().get(code) as number;
  const at = new Date().toISOString();
  const calls = new CallRepository(s.db);
  calls.create({ id: callId, lineId: 1, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${callId}`, arrivedAt: at });
  calls.end(callId, { endedAt: at, outcome: 'answered', endReason: 'caller hung up' });
  calls.startRecording(callId, `rec-${callId}`, 'wav', at);
  calls.recordingStored(`rec-${callId}`, { filePath: path.join(s.config.recordingsDir, 'x.wav'), sizeBytes: 44, durationSec: 1, at });
  base = s.db.prepare('SELECT count(*) FROM tickets WHERE tenant_id = 1').pluck().get() as number;
  const bodies = [
    { tenantId: 1, address: 'ул. Ленина, д. 7', flat: '12', kind: 'emergency', categoryId: cat('water-leak'), description: 'Течь стояка в ванной', callerName: 'Сидорова Е. В.', callId, channel: 'call' },
    { tenantId: 1, address: 'ул. Ленина, д. 9', kind: 'emergency', categoryId: cat('sewer-blockage'), description: 'Засор канализации в подвале, вода подступает к щитовой', anonymous: true, channel: 'walk-in' },
    { tenantId: 1, address: 'пр. Мира, д. 3', kind: 'planned', categoryId: cat('entrance-door'), description: 'Не закрывается входная дверь', callerName: 'Петров И. И.', channel: 'other' },
  ];
  for (const b of bodies) {
    const r = await api<{ request: { id: number; number: string } }>(s.url, 'POST', '/api/requests', b, operator);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.request.id);
  }
  numbers = ids.map((id) => s.db.prepare('SELECT number FROM tickets WHERE id = ?').pluck().get(id) as string);
  const other = await api<{ request: { id: number } }>(s.url, 'POST', '/api/requests', { tenantId: 2, address: 'ул. Другая, д. 1', kind: 'planned', categoryId: cat('other-planned'), description: 'Заявка «Рассвета»', channel: 'other' }, operator);
  otherNumber = s.db.prepare('SELECT number FROM tickets WHERE id = ?').pluck().get(other.body.request.id) as string;
  const petrov = (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, await login(s.url, 'operator2', 'demo'))).body.user.id;
  expect((await api(s.url, 'POST', `/api/requests/${ids[0]}/transition`, { to: 'assigned', assigneeId: petrov }, operator)).status).toBe(200);
  // Last month's archive of company 1 (an empty month is archived too).
  const admin = await login(s.url, 'admin', 'demo');
  const period = previousMonth(localMonth(new Date(), 'Europe/Moscow'));
  expect((await api(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period }, admin)).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

async function openConsole(page: Page, who: string, url = '/'): Promise<void> {
  await page.goto(s.url + url);
  await uiLogin(page, who);
  await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
}

describe('the console’s «Журнал»', () => {
  it('shows the company’s journal with its filters, downloads the XLSX, lists and serves the archive', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await openConsole(page, 'operator');
    await page.getByTestId('journal-open').click();
    await page.getByTestId('journal-view').waitFor();
    await page.getByTestId('journal-row').nth(base + 2).waitFor({ timeout: 10_000 });
    const cellsOf = (n: number, key: string) => page.getByTestId('journal-row').nth(base + n).locator(`td[data-key="${key}"]`).textContent();
    expect(await page.getByTestId('journal-row').count()).toBe(base + 3);
    expect(await cellsOf(0, 'number')).toBe(numbers[0]);
    expect(await cellsOf(0, 'caller')).toBe('Сидорова Е. В.');
    expect(await cellsOf(0, 'handedTo')).toBe('Диспетчер Петров С. И.');
    expect(await cellsOf(1, 'caller')).toMatch(/^Аноним № \d+$/);
    expect(await cellsOf(2, 'deadline')).toBe('срок не истёк');
    expect(await page.getByTestId('journal-status').textContent()).toBe(`Показано заявок: ${base + 3}`);
    expect(await page.locator('.jr-table th').count()).toBe(23);
    // The header stays on top while the table scrolls; the table scrolls sideways.
    const wrap = page.getByTestId('journal-table-wrap');
    expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await page.locator('.jr-table th').first().evaluate((el) => getComputedStyle(el).position)).toBe('sticky');
    await screenshot(page, 'journal-screen');

    // Company filter: the other company's journal holds only its request.
    await page.getByTestId('journal-company').selectOption('2');
    await page.waitForFunction((n) => document.querySelector('[data-testid="journal-row"] td[data-key="number"]')?.textContent === n, otherNumber, { timeout: 10_000 });
    expect(await page.getByTestId('journal-row').count()).toBe(1);
    await page.getByTestId('journal-company').selectOption('1');
    await page.getByTestId('journal-row').nth(base + 2).waitFor({ timeout: 10_000 });

    // Period filter: a past year is empty; a backwards period is explained.
    await page.getByTestId('journal-from').fill('2025-01-01');
    await page.getByTestId('journal-to').fill('2025-01-31');
    await page.getByTestId('journal-show').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="journal-status"]')?.textContent === 'За этот период заявок нет', undefined, { timeout: 10_000 });
    expect(await page.getByTestId('journal-row').count()).toBe(0);
    await page.getByTestId('journal-from').fill('2025-02-01');
    await page.getByTestId('journal-show').click();
    expect(await page.getByTestId('journal-status').textContent()).toContain('не может быть позже');

    // Back to this month, and download it.
    const month = localMonth(new Date(), 'Europe/Moscow');
    await page.getByTestId('journal-from').fill(`${month}-01`);
    await page.getByTestId('journal-to').fill(`${month}-28`);
    await page.getByTestId('journal-show').click();
    await page.getByTestId('journal-row').nth(base + 2).waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('journal-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`Журнал_УК Северный квартал_01.${month.slice(5)}.${month.slice(0, 4)}-28.${month.slice(5)}.${month.slice(0, 4)}.xlsx`);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect([ws.getCell(base + 3, 1).value, ws.getCell(base + 4, 1).value, ws.getCell(base + 5, 1).value]).toEqual(numbers);
    expect(ws.getCell(base + 3, 5).value).toBe('Сидорова Е. В.');
    await page.getByTestId('journal-note').filter({ hasText: 'скачан' }).waitFor();

    // The archive: last month's export with its SHA-256, downloaded intact.
    const row = page.getByTestId('journal-export').first();
    await row.waitFor();
    const sha = (await row.getByTestId('journal-export-sha').textContent()) ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId('journal-archive').scrollIntoViewIfNeeded();
    await screenshot(page, 'journal-archive');
    const [archived] = await Promise.all([page.waitForEvent('download'), row.getByTestId('journal-export-download').click()]);
    const bytes = readFileSync(await archived.path());
    expect([createHash('sha256').update(bytes).digest('hex'), archived.suggestedFilename().endsWith('.xlsx') || archived.suggestedFilename().endsWith('.csv')]).toEqual([sha, true]);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('opens the request’s page from the journal’s recording link, and from that link after a fresh login', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openConsole(page, 'operator2');
    await page.getByTestId('journal-open').click();
    const link = page.getByTestId('journal-link-recording');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toBe(`${s.url}/?request=${ids[0]}`);
    await link.click();
    await page.getByTestId('requests-view').waitFor();
    await page.getByTestId('request-number').filter({ hasText: numbers[0]! }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('journal-view').isHidden()).toBe(true);
    await page.close();

    // The same link opened cold (from a file): login first, then the request's page.
    const cold = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openConsole(cold, 'operator2', `/?request=${ids[0]}`);
    await cold.getByTestId('request-number').filter({ hasText: numbers[0]! }).waitFor({ timeout: 10_000 });
    await cold.getByTestId('request-call').first().waitFor();
    await screenshot(cold, 'journal-link-request-page');
    await cold.close();
  });
});
