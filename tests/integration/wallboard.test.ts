// The supervisor wallboard against the real Asterisk: the figures after real
// calls (answered at a desk phone, abandoned, overflowed to a mobile), a
// supervisor listening in on a live call through a snoop channel with audio
// on their desk phone, and the TV and desk views in Chromium with calls
// waiting (screenshots in artifacts/screenshots).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { launchChromium, screenshot } from '../support/browser.js';
import { pbxAriUrl, portOffset, repo, secrets, simAriUrl, stateDir } from './env.js';
import { deskOperator as provisionDeskOperator, pultRigEnv, setState as setOperatorState, sleep, waitFor } from './helpers.js';
import type { WallboardSnapshot } from '../../src/features/wallboard/contract.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8292 + portOffset);
const uiDir = path.join(stateDir, 'ui-dist-wallboard');

let sim: SimController;
let pult: PultProcess | null = null;
let admin = '';

async function start(name: string, env: Record<string, string> = {}): Promise<void> {
  pult = await startPultProcess({
    ...pultRigEnv(`wall-${name}`, HTTP_PORT),
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_DEMO_ACCOUNTS: '0',
    // The figures here count what the test's callers did; Pult dialling the abandoned caller back would ring the desk phones.
    PULT_CALLBACK_AUTO: 'off',
    PULT_OVERFLOW_AFTER_SEC: '15',
    PULT_RING_TIMEOUT_SEC: '10',
    PULT_OVERFLOW_TIMEOUT_SEC: '8',
    PULT_WRAPUP_SEC: '1',
    PULT_SHORT_ABANDON_SEC: '2',
    PULT_UI_DIR: uiDir,
    PULT_LOG_LEVEL: 'debug',
    ...env,
  }, `wallboard-${name}`);
  admin = await login(pult.url, 'admin', 'demo');
}

const deskPhone = (loginName: string, ext: string) => provisionDeskOperator(pult!.url, admin, loginName, ext);
const setState = (token: string, state: 'available' | 'offline') => setOperatorState(pult!.url, token, state);

async function wallboard(token: string): Promise<WallboardSnapshot> {
  const r = await api<WallboardSnapshot>(pult!.url, 'GET', '/api/wallboard', undefined, token);
  expect(r.status).toBe(200);
  return r.body;
}

async function pbxChannels(): Promise<{ id: string; name: string }[]> {
  const r = await fetch(`${pbxAriUrl}/ari/channels`, { headers: { authorization: `Basic ${Buffer.from(`pult:${secrets().PULT_ARI_PASSWORD ?? ''}`).toString('base64')}` } });
  return (await r.json()) as { id: string; name: string }[];
}

beforeAll(async () => {
  sim = new SimController({ url: simAriUrl, user: 'sim', password: secrets().PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();
});
afterAll(async () => {
  await sim?.stop();
});
afterEach(async () => {
  await sim.hangupAll();
  await sleep(300);
  await pult?.kill();
  pult = null;
  sim.channels.clear();
  sim.on('*', { action: 'ignore' });
});

describe('wallboard figures from real calls', () => {
  it('answered at a desk phone, abandoned, overflowed to the mobile: the figures match what happened', async () => {
    await start('figures');
    const supervisor = await login(pult!.url, 'supervisor', 'demo');
    const op = await deskPhone('desk1', '1101');

    // 1. Answered at the desk phone.
    sim.on('1101', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    await setState(op.token, 'available');
    const answered = await sim.call(DID, '79161000001');
    await sim.until(() => sim.incoming('1101').some((c) => c.answeredAt), 15_000, 'operator phone to answer');
    await sleep(1500);
    await sim.hangup(answered);
    await waitFor('answered call ended', async () => (await wallboard(supervisor)).lines[0]!.answered === 1 && (await wallboard(supervisor)).lines[0]!.waiting === 0);

    // 2. Abandoned: the operator's phone rings, the caller gives up after 3 s (short-abandon limit 2 s).
    sim.on('1101', { action: 'ignore' });
    await waitFor('operator available after wrap-up', async () => (await wallboard(supervisor)).operators.find((o) => o.userId === op.id)?.state === 'available');
    const abandoned = await sim.call(DID, '79161000002');
    await sim.until(() => sim.incoming('1101').length >= 2, 10_000, 'operator phone ringing');
    const live = await wallboard(supervisor);
    expect(live.waitingCalls.map((w) => w.caller)).toEqual(['79161000002']);
    expect(live.operators.find((o) => o.userId === op.id)).toMatchObject({ state: 'ringing', currentCaller: '79161000002' });
    await sleep(3000);
    await sim.hangup(abandoned);
    await waitFor('abandoned', async () => (await wallboard(supervisor)).lines[0]!.abandoned === 1);

    // 3. Nobody logged in: overflow to the mobile at once, which answers.
    await setState(op.token, 'offline');
    sim.on(MOBILE, { action: 'answer', afterMs: 500, tone: 'tone:1000', hangupAfterMs: 1500 });
    await sim.call(DID, '79161000003');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.endedAt), 20_000, 'mobile to answer and hang up');

    const w = await waitFor('all three ended', async () => {
      const x = await wallboard(supervisor);
      return x.lines[0]!.answeredOnMobile === 1 && x.lines[0]!.waiting === 0 ? x : null;
    });
    const line = w.lines.find((l) => l.lineId === 1)!;
    expect(line).toMatchObject({
      name: 'Аварийная линия', offered: 3, answered: 1, abandoned: 1, shortAbandoned: 0, unanswered: 0, overflowed: 1, answeredOnMobile: 1,
      callbacksPending: 1, waiting: 0, longestWaitSec: 0, slThresholdSec: 20,
    });
    // Answered in < 20 s at the desk; the mobile answered < 20 s too (overflow at once); the abandon counts against.
    expect(line.serviceLevel).toBeCloseTo(66.7, 1);
    expect(line.asaSec).not.toBeNull();
    expect(line.avgTalkSec!).toBeGreaterThan(1);
    expect(w.callbacks).toEqual([expect.objectContaining({ caller: '79161000002', reason: 'abandoned', status: 'pending' })]);
    expect(w.operators.find((o) => o.userId === op.id)).toMatchObject({ handledToday: 1, state: 'offline' });
    expect(w.tenants.find((t) => t.tenantId === 1)).toMatchObject({ offered: 3, answered: 1, abandoned: 1, overflowed: 1, answeredOnMobile: 1 });
    expect(w.lines.find((l) => l.lineId === 2)).toMatchObject({ offered: 0, serviceLevel: null });

    // The same figures after a restart (stored records only).
    await pult!.kill();
    pult = await startPultProcess({ ...pultEnvOf('figures') }, 'wallboard-figures-restart');
    const again = await wallboard(await login(pult.url, 'supervisor', 'demo'));
    expect(again.lines.find((l) => l.lineId === 1)).toMatchObject({ offered: 3, answered: 1, abandoned: 1, overflowed: 1, answeredOnMobile: 1, callbacksPending: 1 });
  });
});

describe('supervision of a live call', () => {
  it('a supervisor listens in: a snoop channel on the PBX, audio on the supervisor\'s desk phone; then barges in', async () => {
    await start('listen');
    const supervisor = await login(pult!.url, 'supervisor', 'demo');
    const op = await deskPhone('desk2', '1102');
    await deskPhone('supphone', '1201'); // the supervisor's desk phone (stays offline: never offered calls)
    sim.on('1102', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on('1201', { action: 'answer', afterMs: 300, tone: 'tone:600' });
    await setState(op.token, 'available');
    await sim.call(DID, '79161000004');
    await sim.until(() => sim.incoming('1102').some((c) => c.answeredAt), 15_000, 'operator phone to answer');
    const busy = await waitFor('operator on the call', async () => (await wallboard(supervisor)).operators.find((o) => o.userId === op.id && o.state === 'oncall' && o.callId));
    expect(busy.currentCaller).toBe('79161000004');

    const r = await api<{ sessionId: string }>(pult!.url, 'POST', '/api/supervise', { callId: busy.callId, mode: 'listen', supervisorEndpoint: 'PJSIP/1201' }, supervisor);
    expect(r.status).toBe(201);
    await sim.until(() => sim.incoming('1201').some((c) => c.answeredAt), 15_000, 'supervisor phone to answer');
    // This session's snoop channel (its id is the session's), spying on the operator's leg.
    const snoopId = `${r.body.sessionId}-snoop`;
    const snoop = await waitFor('snoop channel on the PBX', async () => (await pbxChannels()).find((c) => c.id === snoopId) ?? null, 5000);
    expect(snoop.name).toMatch(/^Snoop\//);
    await sleep(3000);
    const supLeg = sim.incoming('1201')[0]!.id;
    const rtp = await sim.rtpStats(supLeg);
    expect(rtp!.rxPackets).toBeGreaterThan(50); // the supervisor hears the call

    // The supervisor hangs up: the snoop goes away, the call goes on.
    await sim.hangup(supLeg);
    await waitFor('snoop gone', async () => (await pbxChannels()).every((c) => c.id !== snoopId), 5000);
    expect((await wallboard(supervisor)).operators.find((o) => o.userId === op.id)!.state).toBe('oncall');

    // Barge: the supervisor's phone joins the call's own bridge.
    const b = await api<{ sessionId: string }>(pult!.url, 'POST', '/api/supervise', { callId: busy.callId, mode: 'barge', supervisorEndpoint: '1201' }, supervisor);
    expect(b.status).toBe(201);
    await sim.until(() => sim.incoming('1201').filter((c) => c.answeredAt).length >= 2, 15_000, 'supervisor phone to answer again');
    await sleep(2500);
    const bargeLeg = sim.incoming('1201').find((c) => c.id !== supLeg)!.id;
    expect((await sim.rtpStats(bargeLeg))!.rxPackets).toBeGreaterThan(50);
    const opRtpBefore = (await sim.rtpStats(sim.incoming('1102')[0]!.id))!.rxPackets;
    expect(opRtpBefore).toBeGreaterThan(50);
  });
});

describe('the wallboard page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // Built into the test's own folder, so the shared agent-ui/dist is left alone.
    if (!existsSync(path.join(uiDir, 'wallboard', 'index.html')) || process.env.PULT_REBUILD_UI === '1') {
      execFileSync('npx', ['vite', 'build', '--config', 'agent-ui/vite.config.ts', '--outDir', uiDir, '--emptyOutDir'], { cwd: repo, stdio: 'inherit', timeout: 120_000 });
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('TV view and desk view with calls waiting', async () => {
    await start('page', { PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '30' });
    const op = await deskPhone('desk3', '1103');
    const op2 = await deskPhone('desk4', '1104');
    sim.on('1103', { action: 'answer', afterMs: 200, tone: 'tone:1000' });
    await setState(op.token, 'available');
    // Some history: one answered and hung up, one abandoned while ringing 1103.
    const first = await sim.call(DID, '79161000010');
    await sim.until(() => sim.incoming('1103').some((c) => c.answeredAt), 15_000, 'answer');
    await sleep(1500);
    await sim.hangup(first);
    await sleep(1500); // wrap-up
    sim.on('1103', { action: 'ignore' });
    const gone = await sim.call(DID, '79161000011');
    await sim.until(() => sim.incoming('1103').length >= 2, 10_000, 'ringing 1103');
    await sleep(3000);
    await sim.hangup(gone);
    await sleep(800);
    sim.on('1103', { action: 'answer', afterMs: 200, tone: 'tone:1000' });
    expect((await api(pult!.url, 'POST', `/api/operators/${op2.id}/state`, { state: 'paused', reason: 'Обед' }, admin)).status).toBe(200);
    // Now: one call up at 1103 and three waiting.
    await sim.call(DID, '79161000012');
    await sim.until(() => sim.incoming('1103').filter((c) => c.answeredAt).length >= 2, 15_000, 'second answer');
    for (const n of ['79161000013', '79161000014', '79161000015']) await sim.call(DID, n);
    await sleep(21_000); // past the line's 20 s threshold: the longest wait shows red

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('console', (m) => m.type() === 'error' && console.log('[browser]', m.text()));
    await page.goto(pult!.url + '/wall/');
    await page.getByTestId('login-user').fill('supervisor');
    await page.getByTestId('login-password').fill('demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('wall-tv').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="wall-waiting"]')?.textContent?.trim() === '3', undefined, { timeout: 10_000 });
    await page.waitForTimeout(1500);
    // No scrolling on a TV.
    const overflow = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(overflow.w).toBeLessThanOrEqual(1920);
    expect(overflow.h).toBeLessThanOrEqual(1080);
    await expect(page.getByTestId('wall-sl-definition').textContent()).resolves.toMatch(/Уровень обслуживания/);
    await screenshot(page, 'wallboard-tv');

    await page.goto(pult!.url + '/wall/?view=desk');
    await page.getByTestId('wall-desk').waitFor({ timeout: 10_000 });
    await page.getByTestId('waiting-row').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('waiting-row').count()).toBe(3);
    await page.getByTestId('callback-row').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'wallboard-desk');

    // «Перезвонить»: assign the abandoned call to an operator in one click.
    const row = page.getByTestId('callback-row').first();
    await row.locator('select').selectOption(String(op.id));
    await row.getByRole('button', { name: 'Перезвонить' }).click();
    await page.getByTestId('callback-row').first().getByText('Назначено').waitFor({ timeout: 15_000 });
    await page.close();
  });
});

function pultEnvOf(name: string): Record<string, string> {
  const s = secrets();
  return {
    PULT_HTTP_PORT: HTTP_PORT, PULT_STATE_DIR: stateDir, PULT_DB: path.join(stateDir, `pult-wall-${name}.sqlite`), PULT_RECORDINGS_DIR: path.join(stateDir, `recordings-wall-${name}`),
    PULT_ARI_URL: pbxAriUrl, PULT_ARI_PASSWORD: s.PULT_ARI_PASSWORD ?? '', PULT_DEMO_ACCOUNTS: '0', PULT_SHORT_ABANDON_SEC: '2', PULT_LOG_LEVEL: 'debug',
    PULT_CALLBACK_AUTO: 'off',
  };
}
