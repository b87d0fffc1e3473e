// What touches SQLite files directly (not the open connection): the
// integrity check of a copy and the test whether another process holds a
// database. Kept here, like a repository, so no service opens files by hand.
import Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/**
 * Makes a fresh backup copy one self-contained file (rollback journal, not
 * WAL: no -wal/-shm beside it) and checks it: 'ok' or the problems found.
 */
export function sealCopy(file: string): string {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** PRAGMA integrity_check of a database file, opened read-only: 'ok' or the problems found. */
export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Tables and their row counts (shown after a restore). */
export function tableCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT count(*) FROM "${n.replace(/"/g, '""')}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

/**
 * True when no other process has the database open: an exclusive lock can be
 * taken at once. A running Pult keeps its connection (and so a lock) open.
 */
export function databaseIsFree(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return true;
  } catch (err) {
    if (err instanceof Database.SqliteError && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')) return false;
    throw err;
  } finally {
    db.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
