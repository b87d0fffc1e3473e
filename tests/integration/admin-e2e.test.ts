// Issue 13's first Proof, in real Chromium against the real Asterisk: on
// /admin/ an admin connects the registering SIP trunk (the simulator's
// carrier that demands a login and password), creates a company, an overflow
// group with a mobile, a line with a new DID and an operator whose desk
// phone is the simulator's; a real call from the carrier to the new DID
// rings that phone and is answered; disabling the operator logs their open
// console out at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { portOffset, rigEnv, secrets, simRegisteringCarrier } from './env.js';
import { pultRigEnv, setState, sleep, useSim, waitFor } from './helpers.js';

const HTTP_PORT = String(8321 + portOffset);
const NEW_DID = '74957770001';
const MOBILE = '79990000077';
const EXT = '1151';

interface CallItem { id: string; from: string; to: string; line: { name: string | null } | null; state: string; outcome: string | null; answeredBy: number | null }

let pult: PultProcess | null = null;
let browser: Browser;
let uiDir = '';

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

beforeAll(async () => {
  uiDir = buildUi();
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

const row = (page: Page, table: string, text: string) => page.getByTestId(table).locator('tr', { hasText: text });

describe('a dispatch room set up on /admin/ takes a real call', () => {
  it('trunk, company, group, line, operator made in the browser; the call to the new DID rings the operator; disabling them logs their console out', async () => {
    pult = await startPultProcess({
      ...pultRigEnv('admin-e2e', HTTP_PORT),
      PULT_UI_DIR: uiDir,
      PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_WRAPUP_SEC: '1', PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '20',
      PULT_AMI_PORT: rigEnv.PULT_AMI_PORT!, PULT_AMI_PASSWORD: secrets().PULT_AMI_PASSWORD ?? '',
      PULT_LOG_LEVEL: 'debug',
    }, 'admin-e2e');
    const url = pult.url;
    const adminToken = await login(url, 'admin', 'demo');
    await waitFor('Pult connected to the PBX', async () => (await api<{ pbx: { connected: boolean } }>(url, 'GET', '/api/health')).body.pbx.connected, 30_000);

    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('dialog', (d) => void d.accept());
    await page.goto(url + '/admin/');
    await uiLogin(page, 'admin');

    // SIP-транки: the carrier's login; the badge turns «зарегистрирован».
    await page.getByTestId('admin-tab-trunks').click();
    await page.getByTestId('trunk-name').fill('Оператор связи (регистрация)');
    await page.getByTestId('trunk-mode').selectOption('register');
    await page.getByTestId('trunk-host').fill(simRegisteringCarrier.host);
    await page.getByTestId('trunk-port').fill(String(simRegisteringCarrier.port));
    await page.getByTestId('trunk-username').fill(simRegisteringCarrier.username);
    await page.getByTestId('trunk-password').fill(simRegisteringCarrier.password);
    await page.getByTestId('trunk-save').click();
    await row(page, 'trunks-table', 'Оператор связи (регистрация)').waitFor({ timeout: 10_000 });
    await waitFor('the badge to show «зарегистрирован»', async () => {
      await page.getByTestId('trunks-refresh').click();
      await sleep(500);
      return (await page.locator('[data-testid^="trunk-state-"]').first().getAttribute('data-state')) === 'registered';
    }, 30_000);
    expect(await page.locator('[data-testid^="trunk-state-"]').first().textContent()).toBe('зарегистрирован');
    expect(await page.content()).not.toContain(simRegisteringCarrier.password);
    await screenshot(page, 'admin-e2e-trunks');

    // Компании
    await page.getByTestId('admin-tab-tenants').click();
    await page.getByTestId('tenant-name').fill('УК «Заря»');
    await page.getByTestId('tenant-create').click();
    await row(page, 'tenants-table', 'УК «Заря»').waitFor({ timeout: 10_000 });
    const tenantId = (await api<{ items: { id: number; name: string }[] }>(url, 'GET', '/api/tenants', undefined, adminToken)).body.items.find((t) => t.name === 'УК «Заря»')!.id;

    // Группы переадресации: one duty mobile.
    await page.getByTestId('admin-tab-groups').click();
    await page.getByTestId('group-name').fill('Заря: дежурные');
    await page.getByTestId('group-members').fill(MOBILE);
    await page.getByTestId('group-save').click();
    await row(page, 'groups-table', 'Заря: дежурные').waitFor({ timeout: 10_000 });

    // Линии: the new DID, overflowing to the group.
    await page.getByTestId('admin-tab-lines').click();
    await page.getByTestId('line-name').fill('Заря: аварийная');
    await page.getByTestId('line-tenant').selectOption(String(tenantId));
    await page.getByTestId('line-dids').fill(NEW_DID);
    await page.getByTestId('line-group').selectOption({ label: 'Заря: дежурные' });
    await page.getByTestId('line-save').click();
    await row(page, 'lines-table', 'Заря: аварийная').waitFor({ timeout: 10_000 });
    await screenshot(page, 'admin-e2e-lines');

    // Пользователи: an operator of the company with a desk phone on the simulator.
    await page.getByTestId('admin-tab-users').click();
    await page.getByTestId('user-login').fill('zarya-op');
    await page.getByTestId('user-password').fill('zarya-pass-1');
    await page.getByTestId('user-fullname').fill('Оператор Зари');
    await page.getByTestId('user-extension').fill(EXT);
    await page.getByTestId('user-device').selectOption('sip');
    await page.getByTestId('user-static-contact').fill(`sip:${EXT}@127.0.0.3:${rigEnv.PULT_SIM_SIP_PORT}`);
    await page.getByTestId(`user-tenants-${tenantId}`).check();
    await page.getByTestId('user-create').click();
    await row(page, 'users-table', 'zarya-op').waitFor({ timeout: 10_000 });
    await screenshot(page, 'admin-e2e-users');

    // The operator's console, open in another tab; they take calls.
    const consolePage = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await consolePage.goto(url + '/');
    await consolePage.getByTestId('login-login').fill('zarya-op');
    await consolePage.getByTestId('login-password').fill('zarya-pass-1');
    await consolePage.getByTestId('login-submit').click();
    const opToken = await login(url, 'zarya-op', 'zarya-pass-1');
    const opId = (await api<{ operator: { userId: number } }>(url, 'GET', '/api/operators/me', undefined, opToken)).body.operator.userId;
    await setState(url, opToken, 'available');
    await consolePage.getByTestId('login-login').waitFor({ state: 'detached', timeout: 15_000 });

    // A real call from the carrier to the new DID rings the operator's desk phone.
    sim.on(EXT, { action: 'answer', afterMs: 1500, tone: 'tone:1000' });
    const leg = await sim.call(NEW_DID, '79161150001', 'tone:440', 'pult-reg');
    await sim.until(() => sim.incoming(EXT).some((c) => c.answeredAt), 30_000, 'the operator\'s phone to ring and answer');
    const calls = async () => (await api<{ items: CallItem[] }>(url, 'GET', '/api/calls', undefined, adminToken)).body.items;
    const call = await waitFor('the call connected to the operator', async () => (await calls()).find((c) => c.from === '79161150001' && c.state === 'connected'), 15_000);
    expect(call).toMatchObject({ to: NEW_DID, line: { name: 'Заря: аварийная' }, answeredBy: opId });
    await sleep(2000);
    expect((await sim.rtpStats(leg))!.rxPackets).toBeGreaterThan(30);
    await screenshot(consolePage, 'admin-e2e-console-call');
    await sim.hangup(leg);
    await waitFor('the call ended', async () => (await calls()).find((c) => c.id === call.id && c.state === 'ended'), 15_000);

    // Disabled on /admin/: the console is logged out at once.
    await page.getByTestId('user-disable-zarya-op').click();
    await row(page, 'users-table', 'zarya-op').filter({ hasText: 'отключён' }).waitFor({ timeout: 10_000 });
    await consolePage.getByTestId('login-login').waitFor({ timeout: 10_000 });
    await consolePage.getByText('Сеанс закончился').waitFor({ timeout: 5000 });
    await screenshot(consolePage, 'admin-e2e-console-logged-out');
    expect((await api(url, 'GET', '/api/me', undefined, opToken)).status).toBe(401);
    await page.close();
    await consolePage.close();
  });
});
