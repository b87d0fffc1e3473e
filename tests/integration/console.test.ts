// The operator console and the mobile page in real headless Chromium against
// the real Asterisk: the sip.js softphone registers over WebSocket, a call
// placed by the simulated carrier rings in the browser with the card already
// on screen, audio flows both ways, a ticket is saved, the call lands in the
// history with a playable recording. Screenshots go to artifacts/screenshots.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { launchChromium, screenshot, softphoneRtp, uiLogin } from '../support/browser.js';
import { pbxAriUrl, portOffset, repo, rigEnv, secrets, simAriUrl, stateDir } from './env.js';
import { execFileSync } from 'node:child_process';
import { waitFor } from './helpers.js';

const DID = '74950000001';
const MOBILE = '79990000001';
let sim: SimController;
let browser: Browser;
let pult: PultProcess | null = null;

async function start(name: string): Promise<PultProcess> {
  const s = secrets();
  const db = path.join(stateDir, `pult-ui-${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return startPultProcess({
    PULT_HTTP_PORT: String(8291 + portOffset), PULT_STATE_DIR: stateDir, PULT_DB: db, PULT_RECORDINGS_DIR: path.join(stateDir, `recordings-ui-${name}`),
    PULT_ARI_URL: pbxAriUrl, PULT_ARI_PASSWORD: s.PULT_ARI_PASSWORD ?? '', PULT_SIP_WS_URL: `ws://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}/ws`,
    PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '30', PULT_OVERFLOW_TIMEOUT_SEC: '20', PULT_WRAPUP_SEC: '2', PULT_DEMO_ACCOUNTS: '200', PULT_LOG_LEVEL: 'debug',
  }, `ui-${name}`);
}

beforeAll(async () => {
  sim = new SimController({ url: simAriUrl, user: 'sim', password: secrets().PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sim?.stop();
});
afterEach(async () => {
  await sim.hangupAll();
  await new Promise((r) => setTimeout(r, 300));
  await pult?.kill();
  pult = null;
  sim.channels.clear();
});

describe('operator console in Chromium', () => {
  it('registers, rings with the card before the answer, talks with audio both ways, saves a ticket, shows the recording in history', async () => {
    pult = await start('console');
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && console.log('[browser]', m.text()));
    await page.goto(pult.url + '/');
    await uiLogin(page, 'operator');
    await page.locator('[data-testid="softphone-status"][data-state="registered"]').waitFor({ timeout: 20_000 });
    const token = await login(pult.url, 'operator', 'demo');
    expect((await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, token)).status).toBe(200);
    await page.waitForTimeout(500);
    await screenshot(page, 'console-idle');

    const callerLeg = await sim.call(DID, '79161234567');
    const card = page.getByTestId('card');
    await card.getByText('1000001').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('incoming').waitFor({ state: 'visible', timeout: 15_000 });
    // The card is on screen while the call still waits for an answer.
    const calls = await api<{ items: { state: string; id: string }[] }>(pult.url, 'GET', '/api/calls', undefined, token);
    expect(calls.body.items[0]!.state).toBe('waiting');
    await expect(card.innerText()).resolves.toContain('Иванова Анна Петровна');
    await screenshot(page, 'console-ringing');

    await page.getByTestId('answer').click();
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.answeredAt), 10_000, 'the caller connected');
    await page.waitForTimeout(3000);
    const callerRtp = await sim.rtpStats(callerLeg);
    expect(callerRtp!.rxPackets).toBeGreaterThan(50); // the browser's audio reaches the caller
    const browserStats = await softphoneRtp(page);
    expect(browserStats!.inbound).toBeGreaterThan(50); // the caller's audio reaches the browser
    expect(browserStats!.outbound).toBeGreaterThan(50);
    await screenshot(page, 'console-on-call');

    // A ticket with an error first, then a good one.
    const form = page.getByTestId('ticket-form');
    await form.getByTestId('ticket-description').fill('');
    await page.getByTestId('ticket-save').click();
    await page.getByTestId('ticket-error').first().waitFor({ timeout: 5000 });
    await screenshot(page, 'console-ticket-error');
    await form.getByTestId('ticket-description').fill('Течёт стояк горячей воды в ванной, заливает соседей снизу');
    await page.getByTestId('ticket-save').click();
    const callId = calls.body.items[0]!.id;
    const tickets = await waitFor('the ticket saved with the call', async () => {
      const r = await api<{ items: { callIds: string[]; description: string }[] }>(pult!.url, 'GET', '/api/tickets?accountNumber=1000001', undefined, token);
      return r.body.items.find((t) => t.callIds.includes(callId)) ?? null;
    }, 10_000);
    expect(tickets.description).toContain('стояк');

    await page.getByTestId('hangup').click();
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.endedAt), 10_000, 'the caller hung up by the console');
    const ended = await waitFor('the call ended with a stored recording', async () => {
      const r = await api<{ items: { id: string; outcome: string; recordingUrl: string | null }[] }>(pult!.url, 'GET', '/api/calls?mine=true', undefined, token);
      const c = r.body.items.find((x) => x.id === callId);
      return c?.recordingUrl ? c : null;
    });
    expect(ended.outcome).toBe('answered');
    const row = page.locator(`[data-testid="history-row"][data-call-id="${callId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect(row.innerText()).resolves.toContain('123-45-67');
    const audio = row.getByTestId('history-audio');
    await audio.waitFor({ state: 'attached', timeout: 15_000 });
    const src = await audio.getAttribute('src');
    const playable = await page.evaluate(async (url) => {
      const r = await fetch(url!, { headers: { range: 'bytes=0-43' } });
      return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
    }, src);
    expect(playable).toEqual({ status: 206, bytes: 44 });
    await screenshot(page, 'console-history');
    await page.close();
  });
});

describe('softphone resilience', () => {
  it('re-registers by itself after the PBX restarts (Pult pushes the operator to the new Asterisk)', async () => {
    pult = await start('reconnect');
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(pult.url + '/');
    await uiLogin(page, 'operator');
    const status = page.getByTestId('softphone-status');
    await page.locator('[data-testid="softphone-status"][data-state="registered"]').waitFor({ timeout: 20_000 });
    const pbx = (cmd: string) => execFileSync('bash', [path.join(repo, 'scripts/asterisk/pbx.sh'), cmd], { env: { ...process.env, ...rigEnv }, stdio: 'ignore' });
    pbx('stop');
    await page.waitForFunction(() => document.querySelector('[data-testid="softphone-status"]')?.getAttribute('data-state') !== 'registered', undefined, { timeout: 20_000 });
    await screenshot(page, 'console-unregistered-pbx-down');
    expect(await status.getAttribute('data-state')).not.toBe('registered');
    pbx('start');
    await page.locator('[data-testid="softphone-status"][data-state="registered"]').waitFor({ timeout: 60_000 });
    const health = await api<{ pbx: { connected: boolean } }>(pult.url, 'GET', '/api/health');
    expect(health.body.pbx.connected).toBe(true);
    await page.close();
  });
});

describe('mobile page for overflow staff', () => {
  it('shows the card for a call overflowed to the mobile, on a phone-sized screen', async () => {
    pult = await start('mobile');
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(pult.url + '/m/');
    await uiLogin(page, 'mobile');
    await page.waitForTimeout(1000);
    sim.on(MOBILE, { action: 'answer', afterMs: 1500, tone: 'tone:1000' });
    await sim.call(DID, '79161234567'); // nobody logged in: overflows to the mobile at once
    const card = page.getByTestId('card');
    await card.getByText('1000001').first().waitFor({ timeout: 15_000 });
    await expect(card.innerText()).resolves.toContain('Ленина');
    await screenshot(page, 'mobile-card');
    await page.close();
  });
});
