// The SQLite connection and its migrations. WAL mode: readers never block
// the writer; synchronous=NORMAL is durable across a process crash.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Applies every `NNN_name.sql` not yet applied, each in its own transaction. */
export function migrate(db: Db): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const files = readdirSync(migrationsDir).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f)) continue;
    const sql = readFileSync(path.join(migrationsDir, f), 'utf8');
    // A file that rebuilds a referenced table says so on its first line: foreign
    // keys are off while it runs (they cannot change inside a transaction) and
    // checked before it commits.
    const fkOff = sql.startsWith('-- pult:foreign-keys-off');
    const fkWas = db.pragma('foreign_keys', { simple: true }) as number;
    if (fkOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (fkOff && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error(`migration ${f} leaves broken foreign keys`);
        db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(f, new Date().toISOString());
      })();
    } finally {
      if (fkOff) db.pragma(`foreign_keys = ${fkWas ? 'ON' : 'OFF'}`);
    }
    applied.push(f);
  }
  return applied;
}

/**
 * A prepared statement, cached per connection and SQL text: preparing costs
 * far more than running a small query, and calls are routed on hot paths.
 * A statement's pluck mode is part of its use: keep one mode per SQL text.
 */
const caches = new WeakMap<Db, Map<string, Database.Statement>>();
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) {
    if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/**
 * The column a UNIQUE constraint failure names ("users.login"), or null if
 * `err` is not one. Lets a caller turn a lost race into a 409 instead of a 500.
 */
export function uniqueViolation(err: unknown): string | null {
  if (!(err instanceof Database.SqliteError) || err.code !== 'SQLITE_CONSTRAINT_UNIQUE') return null;
  return /UNIQUE constraint failed: ([\w.]+)/.exec(err.message)?.[1] ?? 'unknown';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
