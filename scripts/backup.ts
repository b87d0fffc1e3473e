// An online backup of the server's database now (the same configuration as
// the server: PULT_STATE_DIR, PULT_DB, PULT_BACKUP_DIR, PULT_BACKUP_KEEP).
// Safe while Pult runs: the copy is taken page by page through SQLite's
// backup API, checked with PRAGMA integrity_check, and described by a
// SHA-256 manifest next to it; backups beyond PULT_BACKUP_KEEP are deleted.
//
//   npm run backup
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { openDb } from '../src/store/db.js';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import { BackupService } from '../src/features/backup/index.js';

export async function runBackup(env: NodeJS.ProcessEnv = process.env, out = (s: string) => console.log(s), err = (s: string) => console.error(s)): Promise<number> {
  const config = loadConfig({ PULT_ARI_PASSWORD: 'unused-by-the-backup-command', ...env });
  const db = openDb(config.dbPath);
  try {
    const service = new BackupService(db, config.backupDir, config.PULT_BACKUP_KEEP, systemClock, createLogger('warn'));
    const m = await service.run();
    out(`backup ${config.backupDir}/${m.file}: ${(m.bytes / 1048576).toFixed(1)} MB, integrity ok, sha256 ${m.sha256}`);
    out(`kept: ${service.list().length} of at most ${config.PULT_BACKUP_KEEP}`);
    return 0;
  } catch (e) {
    err(`backup failed: ${(e as Error).message}`);
    return 1;
  } finally {
    db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await runBackup();
