// Starts Pult in-process on a random port with a temporary database and an
// ARI address nobody listens on (the PBX shows as down; HTTP works).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { startPult, type Pult } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import type { Clock } from '../../src/clock.js';

/** `clock`: a test's own clock (fixed times for what the server stamps); the system clock by default. */
export async function testServer(env: Record<string, string | undefined> = {}, o: { clock?: Clock } = {}): Promise<Pult & { url: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-test-'));
  const config = loadConfig({
    PULT_STATE_DIR: dir,
    PULT_HTTP_PORT: '0',
    PULT_ARI_URL: 'http://127.0.0.1:9',
    PULT_ARI_PASSWORD: 'test-password',
    // The demo logins most tests use; PULT_DEMO_DATA: undefined for the default (off).
    PULT_DEMO_DATA: 'on',
    ...env,
  });
  const pult = await startPult(config, { logger: silentLogger, clock: o.clock });
  return Object.assign(pult, { url: `${pult.scheme}://127.0.0.1:${pult.port}` });
}
