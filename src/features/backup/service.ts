// Online backups of the SQLite database: better-sqlite3's backup API copies
// the live database page by page while Pult keeps working; the copy is
// checked (PRAGMA integrity_check), its SHA-256 written to a manifest next to
// it, and only the newest `keep` backups are kept. Run by jobs.ts on a
// node-cron schedule and by `npm run backup`.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { sealCopy, sha256File } from './files.js';

export interface BackupManifest {
  file: string;
  bytes: number;
  sha256: string;
  createdAt: string;
  integrity: 'ok';
}

export class BackupError extends Error {}

const namePattern = /^pult-\d{8}T\d{6}Z(?:-\d+)?\.sqlite$/;
export const manifestOf = (file: string) => `${file}.manifest.json`;

export class BackupService {
  private running: Promise<BackupManifest> | null = null;

  constructor(private readonly db: Db, readonly dir: string, private readonly keep: number, private readonly clock: Clock, private readonly logger: Logger) {}

  /** Makes one backup now (a second call while one runs waits for that one). */
  run(): Promise<BackupManifest> {
    this.running ??= this.backup().finally(() => { this.running = null; });
    return this.running;
  }

  private async backup(): Promise<BackupManifest> {
    mkdirSync(this.dir, { recursive: true });
    const stamp = this.clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    let name = `pult-${stamp}.sqlite`;
    for (let i = 1; existsIn(this.dir, name); i++) name = `pult-${stamp}-${i}.sqlite`;
    const file = path.join(this.dir, name);
    const part = `${file}.part`;
    const started = performance.now();
    try {
      await this.db.backup(part);
      const integrity = sealCopy(part);
      if (integrity !== 'ok') throw new BackupError(`the backup copy failed its integrity check: ${integrity.slice(0, 500)}`);
      const manifest: BackupManifest = { file: name, bytes: statSync(part).size, sha256: await sha256File(part), createdAt: this.clock.now().toISOString(), integrity: 'ok' };
      renameSync(part, file);
      writeFileSync(manifestOf(file), JSON.stringify(manifest, null, 2) + '\n');
      const pruned = this.prune();
      this.logger.info('backup done', { file, bytes: manifest.bytes, ms: Math.round(performance.now() - started), pruned });
      return manifest;
    } catch (err) {
      rmSync(part, { force: true });
      throw err;
    } finally {
      for (const ext of ['-wal', '-shm', '-journal']) rmSync(part + ext, { force: true });
    }
  }

  /** Backups in this folder, newest first (each with its manifest, when readable). */
  list(): BackupManifest[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => namePattern.test(n));
    } catch {
      return [];
    }
    return names.sort(newestFirst).map((n) => readManifest(path.join(this.dir, n)));
  }

  /** Deletes the oldest backups beyond `keep` (and their manifests); the names deleted. */
  prune(): string[] {
    const old = this.list().slice(this.keep).map((m) => m.file);
    for (const n of old) {
      rmSync(path.join(this.dir, n), { force: true });
      rmSync(manifestOf(path.join(this.dir, n)), { force: true });
    }
    return old;
  }
}

/** The manifest of a backup file; a missing or unreadable one is rebuilt from the file (sha256 unknown: ''). */
export function readManifest(file: string): BackupManifest {
  try {
    return JSON.parse(readFileSync(manifestOf(file), 'utf8')) as BackupManifest;
  } catch {
    const st = statSync(file);
    return { file: path.basename(file), bytes: st.size, sha256: '', createdAt: st.mtime.toISOString(), integrity: 'ok' };
  }
}

/** pult-<stamp>[-n].sqlite: by stamp, then n (a second backup within the same second is -1). */
function newestFirst(a: string, b: string): number {
  const key = (n: string) => {
    const m = /^pult-(\d{8}T\d{6}Z)(?:-(\d+))?\.sqlite$/.exec(n)!;
    return { stamp: m[1]!, n: Number(m[2] ?? 0) };
  };
  const x = key(a);
  const y = key(b);
  return x.stamp === y.stamp ? y.n - x.n : x.stamp < y.stamp ? 1 : -1;
}

function existsIn(dir: string, name: string): boolean {
  try {
    statSync(path.join(dir, name));
    return true;
  } catch {
    return false;
  }
}
