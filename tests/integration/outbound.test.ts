// Outbound calls people place from the console (issue 15, item 5), in real
// headless Chromium against the real Asterisk: the operator types a number
// on the dial pad and presses «Позвонить»; the sip.js softphone's INVITE goes
// into the PBX's [operators] context, which hands it to Pult; Pult dials the
// number over the carrier trunk, bridges, records, logs the call as outbound
// and pops the dialled number's card. The simulator is the callee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { launchChromium, screenshot, softphoneRtp, uiLogin } from '../support/browser.js';
import { portOffset, rigEnv } from './env.js';
import { pultRigEnv, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const HTTP_PORT = String(8301 + portOffset);
const CALLEE = '79161234567'; // demo account 1000001, Иванова Анна Петровна

interface CallItem { id: string; from: string; state: string; outcome: string | null; direction: string; answeredBy: number | null; recording: { state: string } | null; recordingUrl: string | null }

let pult: PultProcess | null = null;
let browser: Browser;

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the dial pad in the console', () => {
  it('«Позвонить» reaches the callee through the trunk: audio both ways, the card pops, logged as outbound with a recording', async () => {
    pult = await startPultProcess({
      ...pultRigEnv('outbound-dialpad', HTTP_PORT),
      PULT_SIP_WS_URL: `ws://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}/ws`,
      PULT_DEMO_DATA: 'on', PULT_DEMO_DID: DID, PULT_DEMO_ACCOUNTS: '50', PULT_WRAPUP_SEC: '1', PULT_LOG_LEVEL: 'debug',
    }, 'outbound-dialpad');
    const token = await login(pult.url, 'operator', 'demo');
    const me = await api<{ operator: { userId: number } }>(pult.url, 'GET', '/api/operators/me', undefined, token);
    expect((await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, token)).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && console.log('[browser]', m.text()));
    await page.goto(pult.url + '/');
    await uiLogin(page, 'operator');
    await page.locator('[data-testid="softphone-status"][data-state="registered"]').waitFor({ timeout: 30_000 });

    // A premium-rate number is refused by the server, in Russian, and nothing is dialled.
    await page.getByTestId('dial-number').fill('8 809 123-45-67');
    await page.getByTestId('dial-call').click();
    await page.locator('[data-testid="dial-note"].field-error').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('dial-note').innerText()).resolves.toContain('Этот номер набрать нельзя');
    await screenshot(page, 'dialpad-refused');
    expect(sim.incoming('78091234567')).toHaveLength(0);

    // The real one, typed on the keys.
    sim.on(CALLEE, { action: 'answer', afterMs: 1500, tone: 'tone:600' });
    await page.getByTestId('dial-number').fill('');
    for (const d of '+79161234567') await page.getByTestId(d === '+' ? 'dial-plus' : `dial-${d}`).click();
    await expect(page.getByTestId('dial-number').inputValue()).resolves.toBe('+79161234567');
    await screenshot(page, 'dialpad-typed');
    await page.getByTestId('dial-call').click();
    await page.getByTestId('outgoing').waitFor({ timeout: 15_000 });
    // The card of the dialled number pops while it rings: its account and the outbound chip.
    const card = page.getByTestId('card');
    await card.getByText('1000001').first().waitFor({ timeout: 15_000 });
    await card.getByTestId('card-outbound').waitFor({ timeout: 5000 });
    await screenshot(page, 'dialpad-dialling');

    await sim.until(() => sim.incoming(CALLEE).some((c) => c.answeredAt), 30_000, 'the callee to answer');
    await page.getByTestId('in-call').waitFor({ timeout: 15_000 });
    const calleeLeg = sim.incoming(CALLEE)[0]!;
    expect(calleeLeg.callerNumber).toBe(DID); // the line's number is the caller ID
    await sleep(3000);
    expect((await sim.rtpStats(calleeLeg.id))!.rxPackets).toBeGreaterThan(50); // the callee hears the browser
    const browserStats = await softphoneRtp(page);
    expect(browserStats!.inbound).toBeGreaterThan(50); // the browser hears the callee
    expect(browserStats!.outbound).toBeGreaterThan(50);
    const up = (await api<{ items: CallItem[] }>(pult.url, 'GET', '/api/calls', undefined, token)).body.items.find((c) => c.direction === 'outbound');
    expect(up).toMatchObject({ from: CALLEE, state: 'connected', answeredBy: me.body.operator.userId });
    await screenshot(page, 'dialpad-on-call');

    await page.getByTestId('dial-end').click();
    await sim.until(() => sim.incoming(CALLEE).every((c) => c.endedAt), 15_000, 'the callee hung up by «Завершить»');
    const ended = await waitFor('the outbound call ended with a stored recording', async () => {
      const c = (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls?mine=true', undefined, token)).body.items.find((x) => x.id === up!.id);
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    }, 30_000);
    expect(ended.outcome).toBe('answered');
    // In the history, with «Перезвонить».
    const row = page.locator(`[data-testid="history-row"][data-call-id="${up!.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('history-call-back').waitFor({ timeout: 5000 });
    await screenshot(page, 'dialpad-history');
    await page.close();
  });
});
