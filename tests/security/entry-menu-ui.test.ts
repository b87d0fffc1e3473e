// Issue 15, item 3, in real Chromium: the operator's «Мои вызовы» shows a
// call that came through a line's entry menu on the line the caller chose,
// with the key they pressed (or that they chose nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium, screenshot, uiLogin } from '../support/browser.js';
import { testServer } from '../support/test-server.js';
import { storeCall, type Server } from '../support/security-probes.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { api, login } from '../../scripts/lib/pult-process.js';

let s: Server;
let browser: Browser;

beforeAll(async () => {
  const uiDir = buildUi();
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_UI_DIR: uiDir });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('the console\'s call history after an entry menu', () => {
  it('shows the chosen line and the key', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const planned = await api<{ line: { id: number } }>(s.url, 'POST', '/api/lines', { name: 'Плановые работы (Северный)', tenantId: 1 }, admin);
    expect(planned.status).toBe(201);
    const operatorId = s.db.prepare("SELECT id FROM users WHERE login = 'operator'").pluck().get() as number;
    // Two answered calls as the router logs them after the menu of line 1: key 2 → the planned line; no key → line 1.
    const calls = new CallRepository(s.db);
    const withKey = storeCall(s, planned.body.line.id, operatorId);
    const noKey = storeCall(s, 1, operatorId);
    const entry = s.db.prepare('UPDATE calls SET entry_line_id = 1, entry_digit = ?, caller_number = ? WHERE id = ?');
    entry.run('2', '79161112233', withKey);
    entry.run(null, '79164445566', noKey);
    for (const id of [withKey, noKey]) calls.end(id, { endedAt: new Date().toISOString(), outcome: 'answered', endReason: 'caller hung up' });

    const page = await browser.newPage();
    await page.goto(s.url + '/');
    await uiLogin(page, 'operator');
    await page.getByTestId('history-row').nth(1).waitFor({ timeout: 20_000 });
    const row = (id: string) => page.locator(`[data-testid="history-row"][data-call-id="${id}"]`);
    expect(await row(withKey).textContent()).toContain('Плановые работы (Северный) · выбор в меню: 2');
    expect(await row(noKey).textContent()).toContain('Аварийная линия · в меню ничего не выбрано');
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    await screenshot(page, 'entry-menu-history');
  });
});
