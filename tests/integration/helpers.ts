// Small helpers every real-Asterisk test file uses.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { pbxAriUrl, rigEnv, secrets, simAriUrl, stateDir } from './env.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 200 ms until it returns something truthy. */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** An operator of company 1 whose desk phone is the simulator at 127.0.0.3, provisioned into Asterisk at once. */
export async function deskOperator(url: string, adminToken: string, loginName: string, ext: string): Promise<{ id: number; token: string }> {
  const r = await api<{ operator: { userId: number }; provisioned: boolean }>(url, 'POST', '/api/operators', {
    login: loginName, password: 'secret-1', fullName: `Оператор ${ext}`, extension: ext, deviceKind: 'sip', staticContact: `sip:${ext}@127.0.0.3:${rigEnv.PULT_SIM_SIP_PORT}`, tenantIds: [1],
  }, adminToken);
  expect(r.status).toBe(201);
  expect(r.body.provisioned).toBe(true);
  return { id: r.body.operator.userId, token: await login(url, loginName, 'secret-1') };
}

export async function setState(url: string, token: string, state: 'available' | 'offline'): Promise<void> {
  expect((await api(url, 'POST', '/api/operators/me/state', { state }, token)).status).toBe(200);
}

/**
 * The simulator (carrier, callers, desk phones, mobiles) for one test file:
 * connected once, each test sees only its own calls, and after each test
 * every call is hung up and `stopPult` ends that test's Pult, so nothing is
 * left for the next server to adopt.
 */
export function useSim(stopPult: () => Promise<void>): SimController {
  const sim = new SimController({ url: simAriUrl, user: 'sim', password: secrets().PULT_SIM_ARI_PASSWORD ?? '' });
  beforeAll(async () => {
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.on('*', { action: 'ignore' });
    sim.channels.clear();
  });
  afterEach(async () => {
    await sim.hangupAll();
    await sleep(300);
    await stopPult();
  });
  return sim;
}

/** The environment a Pult process on the rig starts with: its port, a fresh database and recordings folder named `tag`, the PBX's ARI. */
export function pultRigEnv(tag: string, httpPort: string): Record<string, string> {
  const db = path.join(stateDir, `pult-${tag}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return {
    PULT_HTTP_PORT: httpPort,
    PULT_STATE_DIR: stateDir,
    PULT_DB: db,
    PULT_RECORDINGS_DIR: path.join(stateDir, `recordings-${tag}`),
    PULT_ARI_URL: pbxAriUrl,
    PULT_ARI_PASSWORD: secrets().PULT_ARI_PASSWORD ?? '',
    // The rig's AMI (trunk registration states; the password comes from secrets.env).
    PULT_AMI_PORT: rigEnv.PULT_AMI_PORT!,
  };
}
