// Issue 12, items 2 and 4, in real Chromium under the pages' CSP: the
// categories page (/categories/) adds a subcategory and refuses to delete a
// category in use; the request page's «Печать» opens the «Заявка» PDF and its
// dictionaries box saves a chosen value; the template editor (/documents/)
// lists the server's problems with a template.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;
let admin = '';

async function cspWatched(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, violations };
}

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
  admin = await login(s.url, 'admin', 'demo');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the categories page', () => {
  it('adds a subcategory under a category and refuses to delete a category in use', async () => {
    const cats = (await api<{ items: { id: number; code: string }[] }>(s.url, 'GET', '/api/categories', undefined, admin)).body.items;
    const sewer = cats.find((c) => c.code === 'sewer-blockage')!;
    expect((await api(s.url, 'POST', '/api/requests', { kind: 'emergency', categoryId: sewer.id, description: 'Засор в подвале', tenantId: 1, address: 'ул. Ленина, д. 1', channel: 'call' }, admin)).status).toBe(201);
    const { page, violations } = await cspWatched();
    page.on('dialog', (d) => void d.accept());
    await page.goto(s.url + '/categories/');
    await uiLogin(page, 'admin');
    await page.getByTestId('categories-tree').waitFor({ timeout: 15_000 });
    const row = page.locator('[data-testid="category-row"][data-code="sewer-blockage"]');
    await row.waitFor({ timeout: 10_000 });
    await row.getByTestId('category-add-sub').click();
    expect(await page.getByTestId('category-parentId').inputValue()).toBe(String(sewer.id));
    await page.getByTestId('category-name').fill('Засор канализационного выпуска');
    await page.getByTestId('category-code').fill('sewer-outlet');
    await page.getByTestId('category-deadlineMinutes').fill('90');
    await page.getByTestId('category-save').click();
    await page.getByTestId('categories-status').filter({ hasText: 'Категория «Засор канализационного выпуска» сохранена' }).waitFor({ timeout: 10_000 });
    const child = page.locator('[data-testid="category-row"][data-code="sewer-outlet"]');
    expect(await child.getAttribute('class')).toContain('child');
    // The new row sits right after its parent.
    const codes = await page.getByTestId('category-row').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code));
    expect(codes[codes.indexOf('sewer-blockage') + 1]).toBe('sewer-outlet');
    const saved = (await api<{ items: { code: string; parentId: number | null; deadlineMinutes: number | null; kind: string }[] }>(s.url, 'GET', '/api/categories', undefined, admin)).body.items.find((c) => c.code === 'sewer-outlet');
    expect(saved).toMatchObject({ parentId: sewer.id, deadlineMinutes: 90, kind: 'emergency' });

    // A planned subcategory under an emergency parent: the server's words by the form.
    await row.getByTestId('category-add-sub').click();
    await page.getByTestId('category-name').fill('Плановая прочистка');
    await page.getByTestId('category-code').fill('sewer-planned');
    await page.getByTestId('category-kind').selectOption('planned');
    await page.getByTestId('category-save').click();
    await page.getByTestId('category-errors').filter({ hasText: 'подкатегория не может быть «плановая»' }).waitFor({ timeout: 10_000 });

    await row.getByTestId('category-delete').click();
    await page.getByTestId('categories-status').filter({ hasText: /категория используется в заявках \(\d+\): её можно только отключить/ }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'categories-page');
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('the request page', () => {
  it('«Печать» opens the «Заявка» PDF; the dictionaries box saves a value', async () => {
    const dict = await api<{ dictionary: { id: number; values: { id: number; value: string }[] } }>(s.url, 'POST', '/api/dictionaries', { tenantId: 1, name: 'Районная служба', appliesTo: 'requests', values: ['Северный район', 'Южный район'] }, admin);
    expect(dict.status).toBe(201);
    const { page, violations } = await cspWatched();
    await page.goto(s.url + '/');
    await uiLogin(page, 'operator');
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await page.keyboard.press('F3');
    await page.getByTestId('requests-view').waitFor({ timeout: 5000 });
    await page.getByTestId('requests-new').click();
    const dialog = page.getByTestId('new-request-dialog');
    await dialog.getByTestId('ticket-description').fill('Нет горячей воды в квартире');
    await dialog.getByTestId('ticket-address').fill('ул. Садовая, д. 9');
    await dialog.getByTestId('new-request-company').selectOption('1');
    await dialog.getByTestId('ticket-save').click();
    await page.getByTestId('request-print').waitFor({ timeout: 5000 });
    const number = (await page.getByTestId('request-number').textContent())!.replace(/^.*№\s*/, '');

    const [pdf, tab] = await Promise.all([
      page.waitForResponse((r) => /\/api\/requests\/\d+\/document\.pdf$/.test(r.url())),
      page.waitForEvent('popup'),
      page.getByTestId('request-print').click(),
    ]);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(Number(pdf.headers()['content-length'])).toBeGreaterThan(5000);
    await tab.waitForURL(/^blob:/, { timeout: 10_000 });
    await tab.close();

    const select = page.locator('[data-testid="request-dict-select"][data-dictionary="Районная служба"]');
    await select.selectOption({ label: 'Южный район' });
    await page.getByTestId('request-dict-save').click();
    await page.getByTestId('request-dict-status').filter({ hasText: 'Значения справочников сохранены' }).waitFor({ timeout: 5000 });
    const list = await api<{ items: { number: string; dictionaryValues: { value: string }[] }[] }>(s.url, 'GET', '/api/requests?tenantId=1', undefined, admin);
    expect(list.body.items.find((x) => x.number === number)!.dictionaryValues.map((v) => v.value)).toEqual(['Южный район']);
    await page.getByTestId('request-page').screenshot({ path: await screenshot(page, 'request-page-print').then((f) => f.replace(/\.png$/, '-panel.png')) });
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('the template editor', () => {
  it('shows the company’s template and lists the server’s problems with an edited one', async () => {
    const { page, violations } = await cspWatched();
    await page.goto(s.url + '/documents/');
    await uiLogin(page, 'admin');
    const editor = page.getByTestId('doc-editor');
    await editor.waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid="doc-editor"]') as HTMLTextAreaElement).value.includes('{{number}}'), undefined, { timeout: 10_000 });
    expect(await page.getByTestId('doc-state').textContent()).toContain('встроенный');
    const value = await editor.inputValue();
    await editor.fill(value.replace('Заявка № {{number}}', 'Заявка № {{number}} для {{resident}}'));
    await page.getByTestId('doc-save').click();
    await page.getByTestId('doc-problems').filter({ hasText: 'неизвестная подстановка {{resident}}' }).waitFor({ timeout: 10_000 });
    await editor.fill(value.replace('Заявка № {{number}}', 'Наряд-заявка № {{number}}'));
    await page.getByTestId('doc-save').click();
    await page.getByTestId('doc-status').filter({ hasText: 'Бланк сохранён' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('doc-state').textContent()).toContain('Бланк компании');
    const [pdf] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/document-templates/1/preview')),
      page.waitForEvent('popup'),
      page.getByTestId('doc-preview').click(),
    ]);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await screenshot(page, 'documents-editor');
    expect((await api<{ template: { title: string } }>(s.url, 'GET', '/api/document-templates/1', undefined, admin)).body.template.title).toBe('Наряд-заявка № {{number}}');
    expect(violations).toEqual([]);
    await page.close();
  });
});
