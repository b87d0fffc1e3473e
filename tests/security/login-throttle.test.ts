// Issue 9, item 3: passwords cannot be guessed at full speed. Failed logins
// are counted per login and per address; past the limit the server answers
// 429 with Retry-After, and the wait grows with each further failure.
import { afterEach, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api } from '../../scripts/lib/pult-process.js';
import { loadConfig } from '../../src/config/index.js';
import { startPult } from '../../src/app.js';
import { createLogger } from '../../src/log.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

const attempt = async (login: string, password: string) => {
  const r = await fetch(`${s!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { error?: { code: string; message: string } } };
};

describe('login throttling', () => {
  it('logins that succeed are never throttled; 30 wrong passwords for one login meet 429 + Retry-After; another login is unaffected', async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on' });
    // A busy room logging in all day is never throttled: only failures count.
    for (let i = 0; i < 40; i++) expect((await api(s.url, 'POST', '/api/auth/login', { login: i % 2 ? 'admin' : 'operator', password: 'demo' })).status).toBe(200);
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await attempt('operator', `guess-${i}`));
    const refused = results.filter((r) => r.status === 429);
    expect(results.slice(0, 5).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]); // the default: 5 failures before delays
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.body.error?.code).toBe('too_many_attempts');
    }
    // Even the right password waits while the login is blocked: guessing cannot tell.
    expect((await attempt('operator', 'demo')).status).toBe(429);
    // Another login from the same address still works.
    expect((await attempt('supervisor', 'demo')).status).toBe(200);
  });

  it('the wait grows with each failure past the limit', async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_LOGIN_FAILURES_PER_LOGIN: '2' });
    expect((await attempt('admin', 'x1')).status).toBe(401);
    expect((await attempt('admin', 'x2')).status).toBe(401);
    const first = await attempt('admin', 'x3');
    expect(first.status).toBe(429);
    expect(first.retryAfter).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await attempt('admin', 'x4')).status).toBe(401); // checked again, wrong again
    const second = await attempt('admin', 'x5');
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBe(2);
  });

  it('a successful login clears the login counter', async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_LOGIN_FAILURES_PER_LOGIN: '3' });
    for (let round = 0; round < 3; round++) {
      expect((await attempt('operator2', 'typo-1')).status).toBe(401);
      expect((await attempt('operator2', 'typo-2')).status).toBe(401);
      expect((await attempt('operator2', 'demo')).status).toBe(200);
    }
    // Without the reset, those six failures would have blocked the login long ago;
    // counted from the last success, the third failure now blocks it.
    expect((await attempt('operator2', 'typo-1')).status).toBe(401);
    expect((await attempt('operator2', 'typo-2')).status).toBe(401);
    expect((await attempt('operator2', 'typo-3')).status).toBe(401);
    expect((await attempt('operator2', 'demo')).status).toBe(429);
  });

  it('an address guessing many logins is throttled as a whole', async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_LOGIN_FAILURES_PER_ADDRESS: '8' });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt(`user${i}`, 'password')).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses.slice(8)).toEqual([429, 429, 429, 429]);
    const r = await attempt('admin', 'demo');
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('logs each failure with the login and the address, never the password', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-test-'));
    const config = loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'test-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
    const pult = await startPult(config, { logger: createLogger('warn', {}, (l) => lines.push(l)) });
    s = Object.assign(pult, { url: `http://127.0.0.1:${pult.port}` });
    for (let i = 0; i < 6; i++) await attempt('supervisor', `secret-guess-${i}`);
    const failures = lines.map((l) => JSON.parse(l) as { msg: string; login?: string; address?: string }).filter((l) => l.login === 'supervisor');
    expect(failures.filter((l) => l.msg === 'login failed')).toHaveLength(5);
    expect(failures.filter((l) => l.msg.startsWith('login refused'))).toHaveLength(1);
    for (const l of failures) expect(l.address).toMatch(/127\.0\.0\.1/);
    expect(lines.join('\n')).not.toContain('secret-guess');
  });
});
