// Debian's chromium driven by playwright-core (browsers cannot be downloaded
// here), with a fake microphone and camera, WebRTC allowed on loopback.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** `extraArgs`: more switches, e.g. `--ignore-certificate-errors-spki-list=<hash>` to trust a test's self-signed certificate. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.PULT_CHROMIUM ?? '/usr/bin/chromium', args: [...chromiumArgs, ...extraArgs], headless: true });
}

const shotsDir = path.resolve(import.meta.dirname, '../../artifacts/screenshots');

/** Saves a full-page screenshot as an artifact and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The pages as shipped: a fresh Vite build into a temporary directory, whose path it returns. */
export function buildUi(): string {
  const uiDir = mkdtempSync(path.join(os.tmpdir(), 'pult-ui-'));
  execFileSync('npx', ['vite', 'build', '--config', 'agent-ui/vite.config.ts', '--outDir', uiDir, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'pipe' });
  return uiDir;
}

/** Fills a page's login form (the login field's test id differs per page) with the demo password and submits it. */
export async function uiLogin(page: Page, loginName: string, loginField = 'login-login'): Promise<void> {
  await page.getByTestId(loginField).fill(loginName);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
}

/** Audio RTP packets the console's softphone received and sent on its current call (null: no call). */
export function softphoneRtp(page: Page): Promise<{ inbound: number; outbound: number } | null> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { __pult: { pc(): RTCPeerConnection | null } }).__pult.pc();
    if (!pc) return null;
    let inbound = 0;
    let outbound = 0;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') inbound += r.packetsReceived ?? 0;
      if (r.type === 'outbound-rtp' && r.kind === 'audio') outbound += r.packetsSent ?? 0;
    });
    return { inbound, outbound };
  });
}
