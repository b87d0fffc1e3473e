// Restores a backup made by `npm run backup` or the nightly job.
//
//   1. stop Pult            (the restore refuses while the database is in use)
//   2. npm run restore -- var/backups/pult-20261202T033000Z.sqlite
//   3. start Pult
//
// The backup's SHA-256 is checked against its manifest and its integrity with
// PRAGMA integrity_check before anything is touched; the current database is
// kept as <db>.before-restore-<time> (with its -wal/-shm). The target is the
// server's database (PULT_STATE_DIR / PULT_DB).
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { BackupError, restoreBackup, tableCounts } from '../src/features/backup/index.js';

export async function runRestore(argv: string[], env: NodeJS.ProcessEnv = process.env, out = (s: string) => console.log(s), err = (s: string) => console.error(s)): Promise<number> {
  const file = argv[0];
  if (!file || argv.length !== 1) {
    err('usage: npm run restore -- <backup file>   (stop Pult first; start it again afterwards)');
    return 2;
  }
  const config = loadConfig({ PULT_ARI_PASSWORD: 'unused-by-the-restore-command', ...env });
  try {
    const r = await restoreBackup(file, config.dbPath);
    out(`restored ${file} → ${r.restored}`);
    if (r.keptPrevious) out(`the previous database is kept as ${r.keptPrevious}`);
    const counts = tableCounts(config.dbPath);
    out(`calls: ${counts.calls ?? 0}, tickets: ${counts.tickets ?? 0}, accounts: ${counts.accounts ?? 0}, users: ${counts.users ?? 0}`);
    out('start Pult again now.');
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      err(`restore refused: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await runRestore(process.argv.slice(2));
