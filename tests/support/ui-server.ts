// One test file's Pult with the built pages (demo data, no directory) and one
// Chromium, started before its tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildUi, launchChromium } from './browser.js';
import { testServer } from './test-server.js';
import type { Server } from './security-probes.js';

export interface UiRig { s: Server; browser: Browser }

export function uiServerForFile(env: Record<string, string> = {}): UiRig {
  const rig = {} as UiRig;
  beforeAll(async () => {
    const uiDir = buildUi();
    rig.s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_UI_DIR: uiDir, ...env });
    rig.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await rig.browser?.close();
    await rig.s?.stop();
  });
  return rig;
}
