import { openDb, type Db } from '../../../src/store/db.js';
import { seedDirectoryDemo } from '../../../src/features/directory/demo-data.js';
import { DirectoryService } from '../../../src/features/directory/service.js';

/** An in-memory database with the two tenants the server's demo seed creates, plus the demo directory. */
export function demoDirectory(accounts = 3000): { db: Db; svc: DirectoryService; tenant: (name: string) => number } {
  const db = openDb(':memory:');
  db.prepare('INSERT INTO tenants (name) VALUES (?), (?)').run('УК «Северный квартал»', 'ТСЖ «Рассвет»');
  seedDirectoryDemo(db, { accounts, seed: 42, now: '2026-01-01T00:00:00.000Z' });
  const tenant = (name: string) => db.prepare('SELECT id FROM tenants WHERE name = ?').pluck().get(name) as number;
  return { db, svc: new DirectoryService(db), tenant };
}
