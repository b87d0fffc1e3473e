// Issue 13 item 6: a company's recording retention period, applied by the
// nightly retention job: its old recording files are deleted and marked,
// another company's and its own recent ones are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { silentLogger } from '../../src/log.js';
import { RetentionService } from '../../src/features/retention/index.js';
import { CallRepository } from '../../src/features/calls/repository.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let admin = '';
const DAY = 24 * 3600_000;
const NOW = Date.parse('2026-12-01T00:30:00Z');
let seq = 0;

/** A call on `lineId` that arrived `daysAgo`, with a stored recording file of `bytes`. */
function recordedCall(lineId: number, daysAgo: number, bytes = 1000): { id: string; file: string } {
  const id = `00000000-0000-4000-9000-${String(++seq).padStart(12, '0')}`;
  const at = new Date(NOW - daysAgo * DAY).toISOString();
  const calls = new CallRepository(s.db);
  calls.create({ id, lineId, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${id}`, arrivedAt: at });
  const file = path.join(s.config.recordingsDir, 'test', `${id}.wav`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.alloc(bytes));
  calls.startRecording(id, `rec-${id}`, 'wav', at);
  calls.recordingStored(`rec-${id}`, { filePath: file, sizeBytes: bytes, durationSec: 1, at });
  return { id, file };
}

const lineOf = (tenant: number) => s.db.prepare('SELECT id FROM lines WHERE tenant_id = ? ORDER BY id LIMIT 1').pluck().get(tenant) as number;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
});
afterAll(async () => s.stop());

describe('recording retention per company', () => {
  it('deletes only the files of the company with a period, older than it; the API no longer serves them', async () => {
    expect((await api(s.url, 'PUT', '/api/admin/tenants/2/recording-retention', { days: 30 }, admin)).status).toBe(200);
    const old2 = recordedCall(lineOf(2), 31, 3000);
    const recent2 = recordedCall(lineOf(2), 29, 500);
    const old1 = recordedCall(lineOf(1), 400, 700);

    const before = await api<{ recordings: { tenantId: number; files: number; bytes: number }[] }>(s.url, 'GET', '/api/admin/storage', undefined, admin);
    expect(before.body.recordings.find((c) => c.tenantId === 2)).toMatchObject({ files: 2, bytes: 3500 });
    expect(before.body.recordings.find((c) => c.tenantId === 1)).toMatchObject({ files: 1, bytes: 700 });

    const report = new RetentionService(s.db, silentLogger, { webhookLogDays: 30, externalEventsDays: 90 }).runOnce(new Date(NOW));
    expect(report.recordings).toBe(1);
    expect(existsSync(old2.file)).toBe(false);
    expect(existsSync(recent2.file)).toBe(true);
    expect(existsSync(old1.file)).toBe(true);
    expect(s.db.prepare('SELECT state, file_path AS filePath, purged_at AS purgedAt, error FROM recordings WHERE call_id = ?').get(old2.id)).toEqual({
      state: 'failed', filePath: null, purgedAt: new Date(NOW).toISOString(), error: expect.stringContaining('срок хранения'),
    });
    expect((await api(s.url, 'GET', `/api/calls/${old2.id}/recording-url`, undefined, admin)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/calls/${recent2.id}/recording-url`, undefined, admin)).status).toBe(200);

    const after = await api<{ recordings: { tenantId: number; files: number; bytes: number; retentionDays: number | null }[] }>(s.url, 'GET', '/api/admin/storage', undefined, admin);
    expect(after.body.recordings.find((c) => c.tenantId === 2)).toMatchObject({ files: 1, bytes: 500, retentionDays: 30 });
    // Run again: nothing more to do.
    expect(new RetentionService(s.db, silentLogger, { webhookLogDays: 30, externalEventsDays: 90 }).runOnce(new Date(NOW)).recordings).toBe(0);
  });
});
