// Issue 13 item 3: the whole setup over TLS with a self-signed certificate
// from scripts/tls-selfsigned.sh. The real PBX is restarted with its TLS HTTP
// server on (wss:// /ws), Pult serves HTTPS with a plain-HTTP port that only
// redirects; Chromium trusts the certificate by its SPKI hash (no "ignore all
// certificate errors"), opens https://, logs in as an operator, the sip.js
// softphone registers over WSS and answers a call from the simulated carrier
// with audio both ways. Screenshots in artifacts/screenshots/tls-*.png.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { request } from '../../scripts/lib/https-request.js';
import { launchChromium, screenshot, softphoneRtp, uiLogin } from '../support/browser.js';
import { pbxAriUrl, portOffset, repo, rigEnv, secrets, simAriUrl, stateDir } from './env.js';
import { waitFor } from './helpers.js';

const DID = '74950000001';
const httpsPort = String(8330 + portOffset);
const redirectPort = String(8331 + portOffset);
const wssPort = String(8332 + portOffset);
const certDir = mkdtempSync(path.join(os.tmpdir(), 'pult-tls-rig-'));
const cert = path.join(certDir, 'pult.crt');
const key = path.join(certDir, 'pult.key');
let spki = '';
let sim: SimController;
let browser: Browser;
let pult: PultProcess | null = null;

/** The rig's PBX, started with `extra` on top of the rig's environment. */
function pbx(cmd: 'start' | 'stop', extra: Record<string, string> = {}): void {
  execFileSync('bash', [path.join(repo, 'scripts/asterisk/pbx.sh'), cmd], { env: { ...process.env, ...rigEnv, ...extra }, stdio: 'inherit', timeout: 120_000 });
}

beforeAll(async () => {
  const out = execFileSync('bash', [path.join(repo, 'scripts/tls-selfsigned.sh'), certDir], { encoding: 'utf8' });
  spki = /spki: +(\S+)/.exec(out)![1]!;
  // The shared rig's PBX comes back with its TLS server on; the simulator is left as it is.
  pbx('stop');
  pbx('start', { PULT_ASTERISK_TLS_CERT: cert, PULT_ASTERISK_TLS_KEY: key, PULT_ASTERISK_TLS_PORT: wssPort });
  sim = new SimController({ url: simAriUrl, user: 'sim', password: secrets().PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spki}`]);
});

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
  // Back to the rig as global-setup made it (no TLS) for whichever file runs next.
  pbx('stop');
  pbx('start');
  rmSync(certDir, { recursive: true, force: true });
});

afterEach(async () => {
  await sim.hangupAll();
  await pult?.kill();
  pult = null;
  sim.channels.clear();
});

async function startHttps(): Promise<PultProcess> {
  const db = path.join(stateDir, 'pult-tls.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return startPultProcess({
    PULT_HTTP_PORT: httpsPort, PULT_HTTP_REDIRECT_PORT: redirectPort, PULT_TLS_CERT: cert, PULT_TLS_KEY: key, PULT_ASTERISK_TLS_PORT: wssPort,
    PULT_STATE_DIR: stateDir, PULT_DB: db, PULT_RECORDINGS_DIR: path.join(stateDir, 'recordings-tls'),
    PULT_ARI_URL: pbxAriUrl, PULT_ARI_PASSWORD: secrets().PULT_ARI_PASSWORD ?? '',
    PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '30', PULT_OVERFLOW_TIMEOUT_SEC: '20', PULT_WRAPUP_SEC: '2', PULT_DEMO_ACCOUNTS: '200', PULT_LOG_LEVEL: 'debug',
  }, 'tls');
}

describe('HTTPS + WSS with a self-signed certificate', () => {
  it('the console over https registers its softphone over wss and answers a carrier call with audio both ways', async () => {
    pult = await startHttps();
    expect(pult.url).toBe(`https://127.0.0.1:${httpsPort}`);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && console.log('[browser]', m.text()));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    // Typed as plain http on the redirect port: the browser lands on https.
    await page.goto(`http://127.0.0.1:${redirectPort}/`);
    expect(page.url()).toBe(`${pult.url}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await uiLogin(page, 'operator');
    await page.locator('[data-testid="softphone-status"][data-state="registered"]').waitFor({ timeout: 30_000 });
    // The softphone spoke SIP over wss:// to the PBX's TLS server; socket.io over wss:// to Pult.
    expect(sockets).toContain(`wss://127.0.0.1:${wssPort}/ws`);
    expect(sockets.some((u) => u.startsWith(`wss://127.0.0.1:${httpsPort}/socket.io/`))).toBe(true);
    expect(sockets.filter((u) => u.startsWith('ws:'))).toEqual([]);
    const token = await login(pult.url, 'operator', 'demo');
    expect((await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, token)).status).toBe(200);
    await screenshot(page, 'tls-console-registered');

    const callerLeg = await sim.call(DID, '79161234567');
    await page.getByTestId('incoming').waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByTestId('card').getByText('1000001').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'tls-console-ringing');
    await page.getByTestId('answer').click();
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.answeredAt), 15_000, 'the caller connected');
    const rtp = await waitFor('audio both ways', async () => {
      const caller = await sim.rtpStats(callerLeg);
      const browserSide = await softphoneRtp(page);
      return caller && browserSide && caller.rxPackets > 50 && browserSide.inbound > 50 && browserSide.outbound > 50 ? { caller, browserSide } : null;
    }, 30_000);
    expect(rtp.caller.rxPackets).toBeGreaterThan(50); // the browser's audio reaches the caller
    expect(rtp.browserSide.inbound).toBeGreaterThan(50); // the caller's audio reaches the browser
    await screenshot(page, 'tls-console-on-call');

    await page.getByTestId('hangup').click();
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.endedAt), 15_000, 'the caller hung up by the console');
    const ended = await waitFor('the call ended answered', async () => {
      const r = await api<{ items: { outcome: string | null; answeredVia: string | null }[] }>(pult!.url, 'GET', '/api/calls?mine=true', undefined, token);
      return r.body.items.find((c) => c.outcome === 'answered') ?? null;
    });
    expect(ended.outcome).toBe('answered');
    await page.close();
  });

  it('the plain-HTTP port answers only redirects, and HTTPS carries HSTS', async () => {
    pult = await startHttps();
    const r = await request(`http://127.0.0.1:${redirectPort}/api/health`);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`${pult.url}/api/health`);
    expect(r.text).not.toContain('"pbx"');
    const health = await request(String(r.headers.location), { ca: readFileSync(cert) });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect((JSON.parse(health.text) as { pbx: { connected: boolean } }).pbx.connected).toBe(true);
  });
});
