// Issue 9, item 3: no admin/demo on an empty database unless asked for; the
// first admin comes from the shell (`npm run admin -- create`); users change
// their own password; an admin disables, enables, resets and lists users.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { loadConfig } from '../../src/config/index.js';
import { openSocket, disconnected, type Client } from '../support/security-probes.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const repo = path.resolve(import.meta.dirname, '../..');
const sockets: Client[] = [];
afterEach(() => {
  for (const c of sockets.splice(0)) c.disconnect();
});

/**
 * Runs `npm run admin -- …` as a separate process on the server's state dir.
 * Asynchronously: the server under test runs in this process and must keep
 * serving (a blocking spawnSync froze it, and its keep-alive sockets were
 * reset under the next request on a loaded machine).
 */
function adminCli(stateDir: string, args: string[], stdin?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'scripts/admin.ts'), ...args], {
      cwd: repo,
      env: { ...process.env, PULT_STATE_DIR: stateDir },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => (stderr += ` ${err.message}`));
    child.on('close', (status, signal) => resolve({ status, stdout, stderr: `${signal ?? ''} ${stderr}` }));
    child.stdin.end(stdin ?? '');
  });
}

/** Runs the CLI and expects its exit code (the message shows its stderr if not). */
async function expectCli(stateDir: string, args: string[], code: number, stdin?: string): Promise<void> {
  const r = await adminCli(stateDir, args, stdin);
  expect(r.status, `admin ${args.join(' ')}: ${r.stderr}`).toBe(code);
}

describe('an empty database without PULT_DEMO_DATA', () => {
  let s: Server;
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_DATA: undefined }); // not set at all: the default
  });
  afterAll(async () => {
    await s.stop();
  });

  it('has no users and admin/demo does not log in', async () => {
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'admin', password: 'demo' })).status).toBe(401);
    expect(s.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
  });

  it('the default is off, and the old value "auto" is refused with a clear message', () => {
    const base = { PULT_STATE_DIR: s.config.PULT_STATE_DIR, PULT_ARI_PASSWORD: 'test-password' };
    expect(loadConfig(base).PULT_DEMO_DATA).toBe('off');
    expect(() => loadConfig({ ...base, PULT_DEMO_DATA: 'auto' })).toThrow(/PULT_DEMO_DATA: .*PULT_DEMO_DATA=on/);
  });

  it('`npm run admin -- create` makes the first admin, who can log in', async () => {
    const made = await adminCli(s.config.PULT_STATE_DIR, ['create', 'chief', '--password-stdin'], 'correct-horse-battery\n');
    expect(made.status, made.stderr).toBe(0);
    const r = await api<{ user: { role: string } }>(s.url, 'POST', '/api/auth/login', { login: 'chief', password: 'correct-horse-battery' });
    expect(r.status).toBe(200);
    expect(r.body.user.role).toBe('admin');
    // Without --password-stdin a password is generated and shown once.
    const gen = await adminCli(s.config.PULT_STATE_DIR, ['create', 'deputy']);
    expect(gen.status, gen.stderr).toBe(0);
    const pw = /password \(shown once\): (\S+)/.exec(gen.stdout)?.[1];
    expect(pw).toBeTruthy();
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'deputy', password: pw })).status).toBe(200);
    // A taken login, a short password: refused, nothing changed.
    await expectCli(s.config.PULT_STATE_DIR, ['create', 'chief'], 1);
    await expectCli(s.config.PULT_STATE_DIR, ['reset-password', 'chief', '--password-stdin'], 2, 'short\n');
  });

  it('`npm run admin -- disable / enable / reset-password` act on the running server at once', async () => {
    await expectCli(s.config.PULT_STATE_DIR, ['reset-password', 'deputy', '--password-stdin'], 0, 'deputy-password-1\n');
    const token = await login(s.url, 'deputy', 'deputy-password-1');
    await expectCli(s.config.PULT_STATE_DIR, ['disable', 'deputy'], 0);
    expect((await api(s.url, 'GET', '/api/me', undefined, token)).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'deputy', password: 'deputy-password-1' })).status).toBe(401);
    await expectCli(s.config.PULT_STATE_DIR, ['enable', 'deputy'], 0);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'deputy', password: 'deputy-password-1' })).status).toBe(200);
  });
});

describe('passwords and disabled users (demo data)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await testServer({ PULT_DEMO_DATA: 'on', PULT_LOGIN_FAILURES_PER_ADDRESS: '1000', PULT_LOGIN_FAILURES_PER_LOGIN: '1000' });
  });
  afterAll(async () => {
    await s.stop();
  });
  const userId = (loginName: string) => s.db.prepare('SELECT id FROM users WHERE login = ?').pluck().get(loginName) as number;

  it('a user changes their own password: the old one is refused, their other sessions end, this one stays', async () => {
    const here = await login(s.url, 'operator2', 'demo');
    const elsewhere = await login(s.url, 'operator2', 'demo');
    const wrong = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', '/api/me/password', { currentPassword: 'nope', newPassword: 'a-new-password' }, here);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]!.field).toBe('currentPassword');
    const short = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', '/api/me/password', { currentPassword: 'demo', newPassword: 'short' }, here);
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]!.field).toBe('newPassword');
    expect((await api(s.url, 'POST', '/api/me/password', { currentPassword: 'demo', newPassword: 'a-new-password' }, here)).status).toBe(204);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'operator2', password: 'demo' })).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'operator2', password: 'a-new-password' })).status).toBe(200);
    expect((await api(s.url, 'GET', '/api/me', undefined, here)).status).toBe(200);
    expect((await api(s.url, 'GET', '/api/me', undefined, elsewhere)).status).toBe(401);
  });

  it('an admin disables a user: their token stops working, their socket is cut, login says only "wrong login or password"', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const sup = await login(s.url, 'supervisor', 'demo');
    const sock = await openSocket(s.url, sup, sockets);
    const cut = disconnected(sock);
    expect((await api(s.url, 'POST', `/api/users/${userId('supervisor')}/disable`, undefined, admin)).status).toBe(204);
    await cut;
    expect((await api(s.url, 'GET', '/api/me', undefined, sup)).status).toBe(401);
    const refused = await api<{ error: { message: string } }>(s.url, 'POST', '/api/auth/login', { login: 'supervisor', password: 'demo' });
    const wrong = await api<{ error: { message: string } }>(s.url, 'POST', '/api/auth/login', { login: 'supervisor', password: 'nope' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe(wrong.body.error.message);
    await expect(openSocket(s.url, sup, sockets)).rejects.toThrow();
    const list = await api<{ items: { login: string; disabledAt: string | null }[]; total: number }>(s.url, 'GET', '/api/users?limit=2&offset=1', undefined, admin);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items[0]).toMatchObject({ login: 'supervisor' });
    expect(list.body.items[0]!.disabledAt).not.toBeNull();
    expect(list.body.total).toBe(7); // the demo's five staff and two executors
    expect((await api(s.url, 'POST', `/api/users/${userId('supervisor')}/enable`, undefined, admin)).status).toBe(204);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'supervisor', password: 'demo' })).status).toBe(200);
  });

  it('an admin resets a password: the old one and every session of that user end', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const mobile = await login(s.url, 'mobile', 'demo');
    const bad = await api(s.url, 'POST', `/api/users/${userId('mobile')}/reset-password`, { newPassword: '123' }, admin);
    expect(bad.status).toBe(400);
    expect((await api(s.url, 'POST', `/api/users/${userId('mobile')}/reset-password`, { newPassword: 'fresh-password' }, admin)).status).toBe(204);
    expect((await api(s.url, 'GET', '/api/me', undefined, mobile)).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'mobile', password: 'demo' })).status).toBe(401);
    expect((await api(s.url, 'POST', '/api/auth/login', { login: 'mobile', password: 'fresh-password' })).status).toBe(200);
  });

  it('only an admin manages users; unknown users are 404; an admin cannot disable themselves', async () => {
    const op = await login(s.url, 'operator', 'demo');
    const admin = await login(s.url, 'admin', 'demo');
    expect((await api(s.url, 'GET', '/api/users', undefined, op)).status).toBe(403);
    expect((await api(s.url, 'POST', `/api/users/${userId('admin')}/disable`, undefined, op)).status).toBe(403);
    expect((await api(s.url, 'POST', `/api/users/${userId('operator')}/reset-password`, { newPassword: 'taken-over!' }, op)).status).toBe(403);
    expect((await api(s.url, 'POST', '/api/users/9999/disable', undefined, admin)).status).toBe(404);
    expect((await api(s.url, 'POST', '/api/users/abc/disable', undefined, admin)).status).toBe(400);
    expect((await api(s.url, 'POST', `/api/users/${userId('admin')}/disable`, undefined, admin)).status).toBe(409);
    expect((await api(s.url, 'GET', '/api/me', undefined, admin)).status).toBe(200);
  });
});
