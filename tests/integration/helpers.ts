// Small helpers every real-Asterisk test file uses.
import { expect } from 'vitest';
import { api, login } from '../../scripts/lib/pult-process.js';
import { rigEnv } from './env.js';

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
