// Issue 13, item 1: the administration page (/admin/) in real Chromium under
// the CSP. An admin creates a company, an overflow group with a mobile, a
// line with a number overflowing to it, and an operator; the server's 400
// details show field by field; the company's residents' web form is turned
// on from «Компании»; disabling the operator disconnects the
// console socket they have open; the audit log lists the changes. Anyone
// but an admin is told the page is not for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import { disconnected, openSocket, type Client, type Server } from '../support/security-probes.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;
const sockets: Client[] = [];

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of sockets) c.disconnect();
  await browser?.close();
  await s?.stop();
});

const row = (page: Page, table: string, text: string) => page.getByTestId(table).locator('tr', { hasText: text });

describe('the admin page', () => {
  it('an admin sets up a company, a group, a line and an operator, then disables the operator', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    page.on('dialog', (d) => void d.accept());
    await page.goto(s.url + '/admin/');
    await uiLogin(page, 'admin');

    // Компании
    await page.getByTestId('tenant-name').fill('УК «Восход»');
    await page.getByTestId('tenant-create').click();
    await row(page, 'tenants-table', 'УК «Восход»').waitFor({ timeout: 10_000 });
    const tenantId = s.db.prepare("SELECT id FROM tenants WHERE name = 'УК «Восход»'").pluck().get() as number;
    // Its residents' web form: on for a new company (listed on /r/); switched off here, then on again.
    const publicIds = async () => (await api<{ items: { id: number }[] }>(s.url, 'GET', '/api/public/companies')).body.items.map((c) => c.id);
    expect(await page.getByTestId(`tenant-web-form-${tenantId}`).isChecked()).toBe(true);
    expect(await publicIds()).toContain(tenantId);
    await page.getByTestId(`tenant-web-form-${tenantId}`).uncheck();
    await page.getByTestId('admin-status').filter({ hasText: 'Веб-форма компании УК «Восход»: выключена' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`tenant-web-form-${tenantId}`).isChecked()).toBe(false);
    expect(await publicIds()).not.toContain(tenantId);
    await page.getByTestId(`tenant-web-form-${tenantId}`).check();
    await page.getByTestId('admin-status').filter({ hasText: 'Веб-форма компании УК «Восход»: включена' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`tenant-web-form-${tenantId}`).isChecked()).toBe(true);
    expect(await publicIds()).toContain(tenantId);
    await screenshot(page, 'admin-tenants');

    // Группы переадресации
    await page.getByTestId('admin-tab-groups').click();
    await page.getByTestId('group-name').fill('Восход: дежурные');
    await page.getByTestId('group-mode').selectOption('simultaneous');
    await page.getByTestId('group-members').fill('+79005556677');
    await page.getByTestId('group-save').click();
    await row(page, 'groups-table', 'Восход: дежурные').waitFor({ timeout: 10_000 });
    await screenshot(page, 'admin-groups');

    // Линии: first a bad number, the server's refusal shown by field, then the good one.
    await page.getByTestId('admin-tab-lines').click();
    await page.getByTestId('line-name').fill('Восход: аварийная');
    await page.getByTestId('line-tenant').selectOption(String(tenantId));
    await page.getByTestId('line-group').selectOption({ label: 'Восход: дежурные' });
    await page.getByTestId('line-dids').fill('7495abc');
    await page.getByTestId('line-save').click();
    await page.getByTestId('admin-status').filter({ hasText: 'Номера (DID) (dids.0): digits only' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'admin-lines-invalid');
    await page.getByTestId('line-dids').fill('74951112233');
    await page.getByTestId('line-hours-always').uncheck();
    await page.getByTestId('line-hours-mon-from').fill('08:00');
    await page.getByTestId('line-hours-mon-to').fill('20:00');
    await screenshot(page, 'admin-lines-form');
    await page.getByTestId('line-save').click();
    await row(page, 'lines-table', 'Восход: аварийная').waitFor({ timeout: 10_000 });
    await screenshot(page, 'admin-lines');
    const line = s.lines.findByDid('74951112233');
    expect(line).toMatchObject({ name: 'Восход: аварийная', tenantId, workingHours: { mon: ['08:00', '20:00'], tue: null, sun: null } });
    expect(s.lines.overflowGroup(line!.overflowGroupId!)).toMatchObject({ mode: 'simultaneous', members: [{ number: '+79005556677' }] });

    // Пользователи: an operator of the new company.
    await page.getByTestId('admin-tab-users').click();
    await page.getByTestId('user-login').fill('voshod-op');
    await page.getByTestId('user-password').fill('voshod-pass-1');
    await page.getByTestId('user-fullname').fill('Оператор Восхода');
    await page.getByTestId('user-extension').fill('1888');
    await page.getByTestId(`user-tenants-${tenantId}`).check();
    await page.getByTestId('user-create').click();
    await row(page, 'users-table', 'voshod-op').waitFor({ timeout: 10_000 });
    const op = await login(s.url, 'voshod-op', 'voshod-pass-1');
    expect((await api<{ operator: { extension: string; tenantIds: number[] } }>(s.url, 'GET', '/api/operators/me', undefined, op)).body.operator).toMatchObject({ extension: '1888', tenantIds: [tenantId] });

    // Their console is open; the admin disables them: the socket is cut at once.
    const socket = await openSocket(s.url, op, sockets);
    const cut = disconnected(socket, 10_000);
    await page.getByTestId('user-disable-voshod-op').click();
    expect(await cut).toBe('io server disconnect');
    await row(page, 'users-table', 'voshod-op').filter({ hasText: 'отключён' }).waitFor({ timeout: 10_000 });
    expect((await api(s.url, 'GET', '/api/me', undefined, op)).status).toBe(401);
    await screenshot(page, 'admin-users');

    // Облачные АТС: the company's Mango account, the webhook address shown, the key never again.
    await page.getByTestId('admin-tab-vpbx').click();
    await page.getByTestId('vpbx-vendor').selectOption('mango');
    await page.getByTestId('vpbx-name').fill('Восход в Манго');
    await page.getByTestId('vpbx-tenant').selectOption(String(tenantId));
    await page.getByTestId('vpbx-account').fill('voshod-vpbx');
    await page.getByTestId('vpbx-line').selectOption({ label: 'Восход: аварийная' });
    await page.getByTestId('vpbx-secret').fill('mango-salt-123456');
    await page.getByTestId('vpbx-create').click();
    await page.getByTestId('admin-status').filter({ hasText: '/hooks/mango/' }).waitFor({ timeout: 10_000 });
    await row(page, 'vpbx-table', 'Восход в Манго').waitFor();
    expect(await page.content()).not.toContain('mango-salt-123456');
    await screenshot(page, 'admin-vpbx');

    // Журнал изменений
    await page.getByTestId('admin-tab-audit').click();
    await row(page, 'audit-table', 'отключение').waitFor({ timeout: 10_000 });
    for (const what of ['компания', 'группа переадресации', 'линия', 'пользователь', 'облачная АТС']) expect(await row(page, 'audit-table', what).count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-audit');
    expect(await page.content()).not.toContain('mango-salt-123456');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('a supervisor is told the page is for admins', async () => {
    const page = await browser.newPage();
    await page.goto(s.url + '/admin/');
    await uiLogin(page, 'supervisor');
    await page.getByTestId('admin-forbidden').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('admin-section').count()).toBe(0);
    await page.close();
  });
});
