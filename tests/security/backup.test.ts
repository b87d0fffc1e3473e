// Issue 13 item 6, from outside: `npm run backup` while Pult runs, more
// writes, stop, `npm run restore`, start: the data is what it was at backup
// time. A restore is refused while Pult holds the database and for a damaged
// backup; old backups beyond PULT_BACKUP_KEEP are deleted; the storage API is
// for admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getTasks } from 'node-cron';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';

type Server = Awaited<ReturnType<typeof testServer>>;
const root = path.resolve(import.meta.dirname, '../..');

/** Runs an npm script's entry point as its own process (as `npm run backup|restore` does). */
function run(script: 'backup' | 'restore', env: Record<string, string>, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', `${script}.ts`), ...args], { cwd: root, env: { ...process.env, ...env } }, (e, out, err) => {
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

const users = async (s: Server, token: string) => ((await api<{ items: { login: string }[] }>(s.url, 'GET', '/api/users', undefined, token)).body.items ?? []).map((u) => u.login).sort();
let ext = 2000;
const newUser = async (s: Server, token: string, loginName: string) => {
  const r = await api(s.url, 'POST', '/api/operators', { login: loginName, password: 'password-123', fullName: 'Тест Тестович', extension: String(++ext), tenantIds: [1] }, token);
  expect(r.status).toBe(201);
};

describe('backup → more writes → restore', () => {
  let dir = '';
  let s: Server | null = null;
  const env = () => ({ PULT_STATE_DIR: dir, PULT_BACKUP_KEEP: '2' });
  afterAll(async () => s?.stop());

  it('brings back exactly the data of backup time, keeps the previous database, refuses while Pult runs or for a damaged copy', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pult-backup-'));
    s = await testServer({ PULT_STATE_DIR: dir, PULT_DEMO_ACCOUNTS: '5' });
    let admin = await login(s.url, 'admin', 'demo');
    await newUser(s, admin, 'before.backup');
    const atBackup = await users(s, admin);

    const b = await run('backup', env());
    expect(b.err).toBe('');
    expect(b.code).toBe(0);
    const file = /backup (\S+\.sqlite):/.exec(b.out)![1]!;
    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as { sha256: string; integrity: string; bytes: number };
    expect(manifest).toMatchObject({ integrity: 'ok', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await newUser(s, admin, 'after.backup');
    expect(await users(s, admin)).toContain('after.backup');

    // Pult still holds the database: refused, nothing changed.
    const busy = await run('restore', env(), [file]);
    expect(busy.code).toBe(1);
    expect(busy.err).toContain('stop Pult');
    expect(await users(s, admin)).toContain('after.backup');

    await s.stop();
    s = null;
    // A damaged copy is refused before anything is touched.
    const damaged = path.join(dir, 'backups', 'pult-20000101T000000Z.sqlite');
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.manifest.json`, readFileSync(`${file}.manifest.json`));
    const bad = await run('restore', env(), [damaged]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('does not match its manifest');

    const ok = await run('restore', env(), [file]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith('pult.sqlite.before-restore-'))).toBe(true);

    s = await testServer({ PULT_STATE_DIR: dir, PULT_DEMO_ACCOUNTS: '5' });
    admin = await login(s.url, 'admin', 'demo');
    expect(await users(s, admin)).toEqual(atBackup);
  }, 120_000);

  it('keeps only the newest PULT_BACKUP_KEEP backups, each one self-contained file with its manifest', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'pult-backup-keep-'));
    const backups = path.join(own, 'backups');
    const first = await run('backup', { PULT_STATE_DIR: own, PULT_BACKUP_KEEP: '2' });
    expect(first.code).toBe(0);
    // An older backup from long ago: the first to go.
    const old = path.join(backups, 'pult-20000101T000000Z.sqlite');
    writeFileSync(old, readFileSync(/backup (\S+\.sqlite):/.exec(first.out)![1]!));
    for (let i = 0; i < 2; i++) expect((await run('backup', { PULT_STATE_DIR: own, PULT_BACKUP_KEEP: '2' })).code).toBe(0);
    const files = readdirSync(backups).sort();
    expect(files.filter((f) => f.endsWith('.sqlite')), files.join(', ')).toHaveLength(2);
    expect(files.some((f) => f.startsWith('pult-2000'))).toBe(false);
    expect(files.filter((f) => f.endsWith('.manifest.json'))).toHaveLength(2);
    expect(files.filter((f) => !f.endsWith('.sqlite') && !f.endsWith('.manifest.json')), 'no -wal, -shm or .part files').toEqual([]);
  }, 120_000);
});

describe('storage API and the backup schedule', () => {
  let s: Server;
  beforeAll(async () => { s = await testServer({ PULT_DEMO_ACCOUNTS: '0', PULT_BACKUP_CRON: '15 2 * * *' }); });
  afterAll(async () => s.stop());

  it('the server schedules the backup job', () => {
    expect([...getTasks().values()].filter((t) => t.name === 'backup').length).toBeGreaterThan(0);
  });

  it('admin sees database size, recordings per company with retention, backups; sets a retention period', async () => {
    const admin = await login(s.url, 'admin', 'demo');
    const put = await api(s.url, 'PUT', '/api/admin/tenants/2/recording-retention', { days: 90 }, admin);
    expect(put.status).toBe(200);
    const r = await api<{ database: { bytes: number }; recordings: { tenantId: number; name: string; retentionDays: number | null; files: number; bytes: number }[]; backups: { schedule: string; keep: number; items: unknown[] }; disk: { freeBytes: number } }>(s.url, 'GET', '/api/admin/storage', undefined, admin);
    expect(r.status).toBe(200);
    expect(r.body.database.bytes).toBeGreaterThan(0);
    expect(r.body.recordings.map((c) => [c.tenantId, c.retentionDays])).toEqual([[1, null], [2, 90]]);
    expect(r.body.backups).toMatchObject({ schedule: '15 2 * * *', keep: 14, items: [] });
    expect(r.body.disk.freeBytes).toBeGreaterThan(0);
    expect((await api(s.url, 'PUT', '/api/admin/tenants/2/recording-retention', { days: null }, admin)).status).toBe(200);
  });

  it('refuses non-admins, bad periods and unknown companies with clear 4xx', async () => {
    for (const who of ['supervisor', 'operator', 'mobile']) {
      const token = await login(s.url, who, 'demo');
      expect((await api(s.url, 'GET', '/api/admin/storage', undefined, token)).status).toBe(403);
      expect((await api(s.url, 'PUT', '/api/admin/tenants/1/recording-retention', { days: 1 }, token)).status).toBe(403);
    }
    expect((await api(s.url, 'GET', '/api/admin/storage')).status).toBe(401);
    const admin = await login(s.url, 'admin', 'demo');
    for (const [body, says] of [[{ days: 0 }, 'days'], [{ days: 1.5 }, 'days'], [{ days: '30' }, 'days'], [{}, 'days'], [{ days: 30, extra: 1 }, 'extra']] as const) {
      const r = await api<{ error: { message: string } }>(s.url, 'PUT', '/api/admin/tenants/1/recording-retention', body, admin);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain(says);
    }
    expect((await api(s.url, 'PUT', '/api/admin/tenants/999/recording-retention', { days: 5 }, admin)).status).toBe(404);
    expect((await api(s.url, 'PUT', '/api/admin/tenants/abc/recording-retention', { days: 5 }, admin)).status).toBe(400);
  });
});
