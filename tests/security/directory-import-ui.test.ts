// Issue 13 item 7, in real Chromium: an admin uploads a billing export on
// /directory/, the progress bar runs and the row report shows every bad row;
// the import status is the admins' only, and follows an import under way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;
const header = 'Лицевой счет;ФИО;УК;Город;Улица;Дом;Корпус;Квартира;Телефоны;Статус';
const row = (i: number) => `${7000000 + i};Жилец Номер ${'абвгдежзик'[i % 10]};УК «Северный квартал»;Вологда;ул. Новая;${(i % 300) + 1};;${i % 97};7916${String(3000000 + i)};открыт`;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_ACCOUNTS: '0', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the directory page', () => {
  it('imports a file with a progress bar and shows the row report', async () => {
    const lines = [header, ...Array.from({ length: 20_000 }, (_, i) => row(i + 1))];
    lines[101] = '7000101;;УК «Северный квартал»;Вологда;ул. Новая;1;;1;;открыт';
    lines[202] = '7000202;Жилец;УК «Северный квартал»;Вологда;ул. Новая;1;;1;12-34;непонятно';
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(s.url + '/directory/');
    await uiLogin(page, 'admin');
    await page.getByTestId('storage-recordings').waitFor({ timeout: 15_000 });
    await page.getByTestId('import-file').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByTestId('import-start').click();
    // Mid-way (when the poll catches it): the bar and «Загружено N %» — a picture only, timing decides.
    const midway = await page.getByTestId('import-status').filter({ hasText: /Загружено [1-9]/ }).waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (midway) await screenshot(page, 'directory-import-progress');
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    expect(await page.getByTestId('import-inserted').locator('b').textContent()).toBe((19_998).toLocaleString('ru-RU'));
    expect(await page.getByTestId('import-rejected').locator('b').textContent()).toBe('2');
    const errors = await page.getByTestId('import-errors').locator('tbody tr').allTextContents();
    expect(errors).toEqual([
      expect.stringMatching(/^102holderNameФИО: пустое значение/),
      expect.stringMatching(/^203phonesтелефон «12-34» не распознан/),
      expect.stringMatching(/^203statusстатус «непонятно» не распознан/),
    ]);
    await page.getByTestId('import-status').filter({ hasText: 'Готово' }).waitFor();
    await screenshot(page, 'directory-import');
    const admin = await login(s.url, 'admin', 'demo');
    const found = await api<{ items: { accountNumber: string }[] }>(s.url, 'GET', '/api/accounts/by-phone/79163019999', undefined, admin);
    expect(found.body.items.map((a) => a.accountNumber)).toEqual(['7019999']);
    expect(violations).toEqual([]);
    await page.close();
  }, 120_000);

  it('tells a non-admin the page is not theirs', async () => {
    const page = await browser.newPage();
    await page.goto(s.url + '/directory/');
    await uiLogin(page, 'supervisor');
    await page.getByTestId('admin-only').waitFor({ timeout: 15_000 });
    await page.close();
  });
});

describe('import status API', () => {
  it('is for admins only', async () => {
    for (const who of ['supervisor', 'operator']) {
      expect((await api(s.url, 'GET', '/api/directory/import/status', undefined, await login(s.url, who, 'demo'))).status).toBe(403);
    }
    expect((await api(s.url, 'GET', '/api/directory/import/status')).status).toBe(401);
  });

  it('follows an import under way: running with rows read, a second import refused, then done with its report', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const first = new TextEncoder().encode([header, ...Array.from({ length: 6000 }, (_, i) => row(50_000 + i))].join('\n') + '\n');
    const rest = new TextEncoder().encode(Array.from({ length: 10 }, (_, i) => row(60_000 + i)).join('\n') + '\n');
    const body = new ReadableStream<Uint8Array>({
      // The first 6,000 rows at once; the rest only when the test says so.
      async pull(c) {
        c.enqueue(first);
        await gate;
        c.enqueue(rest);
        c.close();
      },
    });
    const upload = fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` }, body, duplex: 'half' } as RequestInit);
    let st: { state: string; rows: number } | null = null;
    for (let i = 0; i < 100; i++) {
      st = (await api<{ import: { state: string; rows: number } | null }>(s.url, 'GET', '/api/directory/import/status', undefined, admin)).body.import;
      if (st?.state === 'running' && st.rows >= 5000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(st).toMatchObject({ state: 'running', rows: 5000 });
    const second = await fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` }, body: header + '\n' });
    expect(second.status).toBe(409);
    release();
    const res = await upload;
    expect(res.status).toBe(200);
    const rep = (await res.json()) as { total: number; inserted: number };
    expect(rep).toMatchObject({ total: 6010, inserted: 6010 });
    const done = (await api<{ import: { state: string; rows: number; report: { total: number } } }>(s.url, 'GET', '/api/directory/import/status', undefined, admin)).body.import;
    expect(done).toMatchObject({ state: 'done', rows: 6010, report: { total: 6010 } });
  }, 60_000);
});
