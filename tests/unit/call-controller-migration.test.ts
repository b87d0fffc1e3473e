// Migration 010 on a database that already holds calls: observed calls
// (cloud-PBX webhooks, AMI) get their controller, Pult's own stay 'ari'.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '../../src/store/migrations');
const files = readdirSync(dir).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
const target = files.find((f) => f.startsWith('010_'))!;

describe('migration 010: calls.controller', () => {
  it('backfills vpbx and ami calls from their channel, leaves ARI calls as ari', () => {
    const db = new Database(':memory:');
    for (const f of files.filter((f) => f < target)) db.exec(readFileSync(path.join(dir, f), 'utf8'));
    const add = db.prepare(`INSERT INTO calls (id, did, caller_number, caller_channel_id, state, arrived_at) VALUES (?, '1', '2', ?, 'waiting', '2026-01-01T00:00:00Z')`);
    add.run('a', '1700000000.12');
    add.run('v', 'ext:itoolabs:vats.test:abc');
    add.run('m', 'ami:1700000000.34');
    db.exec(readFileSync(path.join(dir, target), 'utf8'));
    expect(db.prepare('SELECT id, controller FROM calls ORDER BY id').all()).toEqual([
      { id: 'a', controller: 'ari' },
      { id: 'm', controller: 'ami' },
      { id: 'v', controller: 'vpbx' },
    ]);
    expect(() => db.prepare(`UPDATE calls SET controller = 'sip' WHERE id = 'a'`).run()).toThrow(/CHECK/);
    expect(db.prepare('SELECT priority, mobile_retry_sec FROM lines').all()).toEqual([]);
  });
});
