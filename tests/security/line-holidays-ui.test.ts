// Issue 13, item 1: a line's holidays on the admin page (/admin/), in real
// Chromium under the CSP. The admin adds a day off and a shortened
// pre-holiday day in the line editor; the server keeps them (and routing
// reads them); a wrong day is refused with the server's words; reopening
// the editor shows them; removing one and saving removes it.
import { describe, expect, it } from 'vitest';
import { screenshot, uiLogin } from '../support/browser.js';
import { uiServerForFile } from '../support/ui-server.js';

const rig = uiServerForFile();

describe('holidays in the line editor', () => {
  it('an admin sets a day off and a shortened day; they reach the line routing reads', async () => {
    const page = await rig.browser.newPage({ viewport: { width: 1300, height: 1100 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(rig.s.url + '/admin/#lines');
    await uiLogin(page, 'admin');
    await page.getByTestId('line-edit-1').click();

    await page.getByTestId('holiday-add').click();
    await page.getByTestId('holiday-date-0').fill('2027-01-01');
    await page.getByTestId('holiday-note-0').fill('Новый год');
    await page.getByTestId('holiday-add').click();
    await page.getByTestId('holiday-date-1').fill('2026-12-31');
    await page.getByTestId('holiday-short-1').check();
    await page.getByTestId('holiday-from-1').fill('08:00');
    await page.getByTestId('holiday-to-1').fill('15:00');
    await page.getByTestId('holiday-note-1').fill('предпраздничный день');
    await screenshot(page, 'admin-line-holidays');
    await page.getByTestId('line-save').click();
    await expect.poll(() => rig.s.lines.get(1)!.holidays, { timeout: 10_000 }).toEqual([
      { date: '2026-12-31', hours: ['08:00', '15:00'], note: 'предпраздничный день' },
      { date: '2027-01-01', hours: null, note: 'Новый год' },
    ]);

    // Reopened: both days, in date order; a shortened day that ends before it starts is refused.
    await page.getByTestId('line-edit-1').click();
    await expect.poll(() => page.getByTestId('holiday-date-0').inputValue()).toBe('2026-12-31');
    expect(await page.getByTestId('holiday-short-0').isChecked()).toBe(true);
    expect(await page.getByTestId('holiday-short-1').isChecked()).toBe(false);
    await page.getByTestId('holiday-to-0').fill('07:00');
    await page.getByTestId('line-save').click();
    await expect.poll(() => page.getByTestId('admin-status').textContent()).toContain('holidays.0.hours');
    expect(rig.s.lines.get(1)!.holidays).toHaveLength(2);
    await screenshot(page, 'admin-line-holidays-refused');

    // The New Year day removed, the other put right: saved as shown.
    await page.getByTestId('holiday-to-0').fill('16:00');
    await page.getByTestId('holiday-remove-1').click();
    await page.getByTestId('line-save').click();
    await expect.poll(() => rig.s.lines.get(1)!.holidays, { timeout: 10_000 }).toEqual([{ date: '2026-12-31', hours: ['08:00', '16:00'], note: 'предпраздничный день' }]);
    expect(violations).toEqual([]);
    await page.close();
  });
});
