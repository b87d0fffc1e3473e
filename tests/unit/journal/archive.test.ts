// The monthly archive with a fixed clock: on the 1st (room time) the
// previous month of every company is exported once per format, registered
// with its SHA-256; a second run changes nothing; a tampered or missing file
// is refused (409) and logged.
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/store/db.js';
import { createLogger } from '../../../src/log.js';
import { attachJournal } from '../../../src/features/journal/index.js';
import { ApiError } from '../../../src/http/errors.js';

let db: Db;
let dir: string;
let now: Date;
let logLines: string[];
const clock = { now: () => now };

function seed(): void {
  const t1 = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК Первая')").run().lastInsertRowid);
  const t2 = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК Вторая')").run().lastInsertRowid);
  const u = Number(db.prepare("INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES ('op', 'x', 'operator', 'Диспетчер Оп', '2026-01-01')").run().lastInsertRowid);
  const cat = db.prepare("SELECT id FROM ticket_categories WHERE code = 'other-planned'").pluck().get() as number;
  const add = (tenant: number, n: string, createdAt: string) =>
    db.prepare("INSERT INTO tickets (number, tenant_id, kind, category_id, description, address, created_by, created_at) VALUES (?, ?, 'planned', ?, 'Заявка', 'ул. Ленина, д. 1', ?, ?)").run(n, tenant, cat, u, createdAt);
  add(t1, '2026-000001', '2026-10-31T20:59:00Z'); // 31.10 23:59 Moscow: October
  add(t1, '2026-000002', '2026-10-31T21:00:00Z'); // 01.11 00:00 Moscow: November
  add(t1, '2026-000003', '2026-11-30T20:00:00Z'); // 30.11 23:00 Moscow: November
  add(t1, '2026-000004', '2026-11-30T21:10:00Z'); // 01.12 00:10 Moscow: December
  add(t2, '2026-000001', '2026-11-15T10:00:00Z');
}

function journal() {
  const logger = createLogger('info', {}, (l) => void logLines.push(l));
  return attachJournal({ db, clock, logger, timeZone: 'Europe/Moscow', dir, publicUrl: 'https://pult.example.ru' });
}

beforeEach(() => {
  db = openDb(':memory:');
  dir = mkdtempSync(path.join(os.tmpdir(), 'pult-journal-'));
  logLines = [];
  seed();
});

describe('the monthly archive', () => {
  it('exports the previous room-time month of every company once, with its SHA-256', async () => {
    // 01.12 01:00 Moscow is still 30.11 in UTC: the month before is November, not October.
    now = new Date('2026-11-30T22:00:00Z');
    const j = journal();
    const created = await j.archive.runMonthly();
    expect(created.map((e) => [e.tenantName, e.period, e.format, e.rows])).toEqual([
      ['УК Первая', '2026-11', 'xlsx', 2], ['УК Первая', '2026-11', 'csv', 2],
      ['УК Вторая', '2026-11', 'xlsx', 1], ['УК Вторая', '2026-11', 'csv', 1],
    ]);
    for (const e of created) {
      const bytes = readFileSync(path.join(dir, e.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(e.sha256);
      expect(bytes.length).toBe(e.size);
      expect(statSync(path.join(dir, e.path)).mode & 0o222).toBe(0);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path.join(dir, created[0]!.path)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect([ws.getCell(3, 1).value, ws.getCell(4, 1).value, ws.getCell(3, 2).value, ws.getCell(4, 2).value]).toEqual(['2026-000002', '2026-000003', '01.11.2026 00:00', '30.11.2026 23:00']);
    expect(ws.rowCount).toBe(4);
    const csv = readFileSync(path.join(dir, created[1]!.path), 'utf8');
    expect(csv.startsWith('\uFEFF№ заявки;')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);

    // A second run (a restart, a retried job) changes nothing, even with new data for that month.
    db.prepare("UPDATE tickets SET description = 'Изменено' WHERE number = '2026-000003'").run();
    const files = readdirSync(path.join(dir, '1'));
    const again = await journal().archive.runMonthly();
    expect(again).toEqual([]);
    expect(readdirSync(path.join(dir, '1'))).toEqual(files);
    const byId = (xs: { id: number; sha256: string }[]) => xs.map((e) => [e.id, e.sha256]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byId(j.repo.listExports(null))).toEqual(byId(created));
    expect(db.prepare('SELECT count(*) FROM journal_exports').pluck().get()).toBe(4);
    for (const e of created) expect(createHash('sha256').update(readFileSync(path.join(dir, e.path))).digest('hex')).toBe(e.sha256);
    expect(j.archive.read(created[0]!).equals(readFileSync(path.join(dir, created[0]!.path)))).toBe(true);
  });

  it('refuses a tampered or missing file with a 409 and a log line', async () => {
    now = new Date('2026-12-01T05:00:00Z');
    const j = journal();
    const [xlsx, csv] = await j.archive.runMonthly();
    const file = path.join(dir, xlsx!.path);
    chmodSync(file, 0o644);
    appendFileSync(file, '\0');
    const refused = (() => {
      try {
        j.archive.read(xlsx!);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(409);
    expect(logLines.some((l) => l.includes('does not match its SHA-256') && l.includes(xlsx!.sha256))).toBe(true);
    unlinkSync(path.join(dir, csv!.path));
    expect(() => j.archive.read(csv!)).toThrow(/file is missing/);
  });
});
