// The journal's monthly archive: the previous month of every company is
// written once (XLSX and CSV) under the journal directory, its SHA-256 and
// size registered (journal_exports). A registered export never changes: a
// second export of the same month is a no-op, files are read-only, and a
// download re-hashes the file and refuses it when it no longer matches.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.js';
import { ApiError } from '../../http/errors.js';
import type { JournalExport, JournalRepository } from './repository.js';
import type { JournalService } from './service.js';
import { localMonth, monthRange, previousMonth } from './time.js';
import type { JournalFormat } from './writers.js';

export const ARCHIVE_FORMATS: JournalFormat[] = ['xlsx', 'csv'];

export class JournalArchive {
  constructor(private readonly journal: JournalService, private readonly repo: JournalRepository, private readonly dir: string, private readonly logger: Logger) {}

  /** The current month in the room (its journal is not complete yet: never archived). */
  currentPeriod(): string {
    return localMonth(this.journal.now(), this.journal.timeZone);
  }

  /**
   * Exports a company's month in one format unless it is already archived.
   * Resolves with the registered export and whether this call created it.
   */
  async exportMonth(tenantId: number, period: string, format: JournalFormat, by: number | null): Promise<{ export: JournalExport; created: boolean }> {
    const existing = this.repo.findExport(tenantId, period, format);
    if (existing) return { export: existing, created: false };
    const m = monthRange(period, this.journal.timeZone);
    const folder = path.join(this.dir, String(tenantId));
    mkdirSync(folder, { recursive: true });
    const tmp = path.join(folder, `.tmp-${period}-${randomBytes(6).toString('hex')}.${format}`);
    let rows: number;
    try {
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      let failed: Error | null = null;
      out.on('error', (err) => (failed = err));
      rows = await this.journal.write(format, out, { tenantId, fromDay: m.firstDay, toDay: m.lastDay });
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', resolve));
      if (failed) throw failed;
    } catch (err) {
      if (existsSync(tmp)) unlinkSync(tmp);
      throw err;
    }
    const bytes = readFileSync(tmp);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Named by content: a file under its final name is never rewritten.
    const rel = path.join(String(tenantId), `${period}-${sha256.slice(0, 16)}.${format}`);
    const final = path.join(this.dir, rel);
    try {
      linkSync(tmp, final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    chmodSync(final, 0o444);
    const id = this.repo.addExport({ tenantId, period, format, path: rel, sha256, size: bytes.length, rows, createdAt: this.journal.now().toISOString(), createdBy: by });
    if (id === null) {
      // Another run registered this month meanwhile: theirs stands.
      const theirs = this.repo.findExport(tenantId, period, format)!;
      if (theirs.path !== rel) unlinkSync(final);
      return { export: theirs, created: false };
    }
    this.logger.info('journal exported', { tenantId, period, format, rows, size: bytes.length, sha256 });
    return { export: this.repo.getExport(id)!, created: true };
  }

  /** Both formats of a company's month. */
  async exportPeriod(tenantId: number, period: string, by: number | null): Promise<{ export: JournalExport; created: boolean }[]> {
    const out = [];
    for (const f of ARCHIVE_FORMATS) out.push(await this.exportMonth(tenantId, period, f, by));
    return out;
  }

  /** The monthly job: the month before `now` (room time) for every company. Resolves with the exports it created. */
  async runMonthly(): Promise<JournalExport[]> {
    const period = previousMonth(this.currentPeriod());
    const created: JournalExport[] = [];
    for (const t of this.repo.tenants()) {
      for (const r of await this.exportPeriod(t.id, period, null)) if (r.created) created.push(r.export);
    }
    return created;
  }

  /** The stored file's bytes after checking them against the registered SHA-256 (409 when they differ or are gone). */
  read(e: JournalExport): Buffer {
    const file = path.join(this.dir, e.path);
    let bytes: Buffer | null;
    try {
      bytes = readFileSync(file);
    } catch {
      bytes = null;
    }
    const actual = bytes ? createHash('sha256').update(bytes).digest('hex') : null;
    if (!bytes || actual !== e.sha256) {
      this.logger.error('journal export does not match its SHA-256', { exportId: e.id, tenantId: e.tenantId, period: e.period, format: e.format, path: file, expected: e.sha256, actual: actual ?? 'missing' });
      throw new ApiError(409, 'export_tampered', `the stored journal export ${e.period} (${e.format}) no longer matches its SHA-256 ${e.sha256}${bytes ? '' : ' (the file is missing)'}; it is not served — tell the administrator`);
    }
    return bytes;
  }
}
