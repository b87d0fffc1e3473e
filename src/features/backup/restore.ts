// Restoring a backup: stop Pult, `npm run restore -- <backup file>`, start
// Pult. The backup is checked first (its manifest's SHA-256 and PRAGMA
// integrity_check); a database still held by a running Pult is refused; the
// current database is kept beside it as <db>.before-restore-<time>, and its
// WAL and shared-memory files are moved with it so nothing stale is replayed.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BackupError, readManifest } from './service.js';
import { databaseIsFree, integrityCheck, sha256File } from './files.js';

export interface RestoreResult {
  restored: string;
  keptPrevious: string | null;
}

export async function restoreBackup(backupFile: string, dbPath: string, now: Date = new Date()): Promise<RestoreResult> {
  if (!existsSync(backupFile)) throw new BackupError(`no such backup file: ${backupFile}`);
  const manifest = readManifest(backupFile);
  if (manifest.sha256) {
    const actual = await sha256File(backupFile);
    if (actual !== manifest.sha256) throw new BackupError(`the backup does not match its manifest (SHA-256 ${actual}, manifest ${manifest.sha256}): it was changed or damaged`);
  }
  const integrity = integrityCheck(backupFile);
  if (integrity !== 'ok') throw new BackupError(`the backup failed its integrity check: ${integrity.slice(0, 500)}`);
  if (existsSync(dbPath) && !databaseIsFree(dbPath)) {
    throw new BackupError(`the database ${dbPath} is in use (is Pult running?): stop Pult, restore, then start it again`);
  }
  // Copy next to the target first, so the swap itself is a rename on one file system.
  const part = `${dbPath}.restore-part`;
  copyFileSync(backupFile, part);
  let kept: string | null = null;
  if (existsSync(dbPath)) {
    kept = `${dbPath}.before-restore-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    renameSync(dbPath, kept);
    for (const ext of ['-wal', '-shm']) if (existsSync(dbPath + ext)) renameSync(dbPath + ext, kept + ext);
  } else {
    for (const ext of ['-wal', '-shm']) rmSync(dbPath + ext, { force: true });
  }
  renameSync(part, dbPath);
  return { restored: path.resolve(dbPath), keptPrevious: kept };
}
