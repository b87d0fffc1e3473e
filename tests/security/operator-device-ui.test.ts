// Issue 13, item 1: an operator's extension and device on the admin page
// (/admin/, «Пользователи»), in real Chromium under the CSP. The admin moves
// an operator to a desk phone on a new extension and is shown the phone's
// SIP account once; a taken extension is refused with the server's words.
import { describe, expect, it } from 'vitest';
import { screenshot, uiLogin } from '../support/browser.js';
import { uiServerForFile } from '../support/ui-server.js';

const rig = uiServerForFile();

describe('the operator\'s device in the user editor', () => {
  it('an admin gives an operator a desk phone on a new extension and sees its SIP account', async () => {
    const op2 = rig.s.db.prepare("SELECT id FROM users WHERE login = 'operator2'").pluck().get() as number;
    const page = await rig.browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(rig.s.url + '/admin/#users');
    await uiLogin(page, 'admin');
    await page.getByTestId('user-edit-operator2').click();
    await expect.poll(() => page.getByTestId('op-extension').inputValue()).toBe('1002');
    expect(await page.getByTestId('op-contact').isVisible()).toBe(false); // a browser softphone has no address

    // A taken extension: refused, nothing changed.
    await page.getByTestId('op-extension').fill('1001');
    await page.getByTestId('user-save').click();
    await expect.poll(() => page.getByTestId('admin-status').textContent()).toContain('taken');
    expect(rig.s.operators.get(op2)!.extension).toBe('1002');

    await page.getByTestId('op-extension').fill('1015');
    await page.getByTestId('op-device').selectOption('sip');
    await page.getByTestId('op-contact').waitFor();
    await page.getByTestId('user-save').click();
    await expect.poll(() => page.getByTestId('admin-status').textContent(), { timeout: 10_000 }).toContain('пользователь 1015');
    expect(rig.s.operators.get(op2)).toMatchObject({ extension: '1015', deviceKind: 'sip', staticContact: null });
    const password = rig.s.db.prepare('SELECT sip_password FROM operators WHERE user_id = ?').pluck().get(op2) as string;
    expect(await page.getByTestId('admin-status').textContent()).toContain(password);
    await screenshot(page, 'admin-operator-device');

    // Reopened: the desk phone and its extension.
    await page.getByTestId('user-edit-operator2').click();
    await expect.poll(() => page.getByTestId('op-device').inputValue()).toBe('sip');
    expect(await page.getByTestId('op-extension').inputValue()).toBe('1015');
    await screenshot(page, 'admin-operator-device-editor');
    expect(violations).toEqual([]);
    await page.close();
  });
});
