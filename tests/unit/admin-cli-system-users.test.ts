// The admin command refuses the channels' system accounts (they are not
// people: disabled, no password), so they stay unloginable from the CLI too.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { ChannelRepository } from '../../src/channels/repository.js';
import { runAdmin } from '../../scripts/admin.js';

describe('npm run admin and the channels’ system accounts', () => {
  it('enable, disable and reset-password refuse them; a person is still served', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-admin-cli-'));
    const db = openDb(path.join(dir, 'pult.sqlite'));
    new ChannelRepository(db).channelUser('web', 'Веб-форма', '2026-12-01T10:00:00.000Z');
    db.close();
    const env = { PULT_STATE_DIR: dir };
    for (const cmd of ['enable', 'disable', 'reset-password']) {
      const errors: string[] = [];
      expect(await runAdmin([cmd, '~channel:web'], env, () => {}, (s) => errors.push(s)), cmd).toBe(1);
      expect(errors.join('\n')).toContain("channel's system account");
    }
    const check = openDb(path.join(dir, 'pult.sqlite'));
    expect(check.prepare("SELECT disabled_at IS NOT NULL AS off, password_hash FROM users WHERE login = '~channel:web'").get()).toEqual({ off: 1, password_hash: '!' });
    check.close();
    const out: string[] = [];
    expect(await runAdmin(['create', 'chief', '--role', 'admin'], env, (s) => out.push(s), () => {})).toBe(0);
    expect(out.join('\n')).toContain('created admin chief');
  });
});
