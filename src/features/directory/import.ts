// Import of accounts from a billing export (CSV). Every row is validated;
// a bad row is reported (line, field, problem, raw value) and skipped, good
// rows are kept. Idempotent: each account remembers a hash of the row it
// came from, so re-importing the same file changes nothing («unchanged»), a
// changed row updates the account, a new one is inserted. Management
// companies and buildings are created on first sight and reused after.
//
// Fast and lean (1,000,000 rows: `npm run bench:import`): the CSV is streamed,
// rows are checked by plain code (fast-row.ts; the zod schema only explains a
// bad row), written in batched transactions with prepared statements, and once
// an import has written many rows the directory's secondary indexes are
// dropped and built again by one sort at the end (deferrableIndexes).
import { hash } from 'node:crypto';
import type { Db } from '../../store/db.js';
import { readCsv, type CsvOptions } from './csv.js';
import { fastRow } from './fast-row.js';
import { importRowSchema, resolveColumns, ImportMappingError, importFields, type ImportField, type ImportMapping } from './import-schema.js';
import { bulkCacheKib, DirectoryRepository, dropDirectoryIndexes, ensureDirectoryIndexes, type AccountInput } from './repository.js';
import { ZoneRepository } from '../executors/index.js';

export { importFields, importRowSchema, resolveColumns, echoHeader, ImportMappingError, type ImportField, type ImportMapping } from './import-schema.js';

export interface ImportError {
  line: number;
  field: string;
  problem: string;
  value: string;
}

export interface ImportReport {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: ImportError[];
  /** True when more errors happened than the report lists. */
  errorsTruncated: boolean;
  durationMs: number;
}

export interface ImportProgress {
  rows: number;
  bytes: number;
  totalBytes: number | null;
  /** 'indexes': every row is read; the deferred indexes are being built. */
  phase?: 'rows' | 'indexes';
}

export interface ImportOptions extends Pick<CsvOptions, 'encoding' | 'delimiter'> {
  mapping?: ImportMapping;
  /** Management company for every row when the file has no such column. */
  defaultTenant?: string;
  /** Rows per transaction (default 5,000). */
  batchSize?: number;
  totalBytes?: number | null;
  onProgress?: (p: ImportProgress) => void;
  /** Timestamp written to changed accounts (default: now). */
  now?: string;
  /**
   * Drop the directory's secondary indexes once this many rows were written
   * (and at least a fifth of the accounts already there), build them again at
   * the end. Default 50,000; Infinity = never.
   */
  deferIndexesAfter?: number;
}

/** A set of account ids (row ids are small and dense): one bit each. */
class IdSet {
  private bits = new Uint32Array(1 << 15);
  has(id: number): boolean {
    const w = id >>> 5;
    return w < this.bits.length && (this.bits[w]! & (1 << (id & 31))) !== 0;
  }
  add(id: number): void {
    const w = id >>> 5;
    if (w >= this.bits.length) {
      const grown = new Uint32Array(Math.max(w + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[w]! |= 1 << (id & 31);
  }
}

const maxErrors = 1000;

function rowHash(a: AccountInput): string {
  // Coordinates join the hash only when given, so files without them hash as before.
  return hash('sha1', JSON.stringify([a.accountNumber, a.holderName, a.tenant, a.city, a.street, a.house, a.block, a.flat, a.fiasId, a.phones, a.status, ...(a.lat != null ? [a.lat, a.lon] : [])]), 'base64');
}

/** Rough bytes per row of a billing export: a file this many rows long defers the indexes from its first batch. */
const bytesPerRowGuess = 200;

/** Imports a CSV byte (or text) stream. See the module comment. */
export async function importAccounts(db: Db, source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, o: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const repo = new DirectoryRepository(db);
  const geo = new ZoneRepository(db);
  const now = o.now ?? new Date().toISOString();
  const batchSize = o.batchSize ?? 5000;
  const deferAfter = Math.max(o.deferIndexesAfter ?? 50_000, repo.accountCount() / 5);
  const report: ImportReport = { total: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], errorsTruncated: false, durationMs: 0 };
  const reject = (line: number, problems: Omit<ImportError, 'line'>[]) => {
    report.rejected++;
    for (const p of problems) {
      if (report.errors.length < maxErrors) report.errors.push({ line, ...p });
      else report.errorsTruncated = true;
    }
  };

  const tenants = new Map<string, number>();
  const buildings = new Map<string, number>();
  /** Accounts written by this import: a second row with the same number is a duplicate. */
  const seen = new IdSet();
  let bytes = 0;

  const write = db.transaction((rows: { line: number; a: AccountInput }[]) => {
    for (const { line, a } of rows) {
      const rowKey = rowHash(a);
      const state = repo.importState(a.accountNumber);
      if (state && seen.has(state.id)) {
        reject(line, [{ field: 'accountNumber', problem: 'номер ЛС повторяется в файле: строка пропущена, действует первая', value: a.accountNumber }]);
        continue;
      }
      if (state && state.hash === rowKey) {
        seen.add(state.id);
        report.unchanged++;
        continue;
      }
      let t = tenants.get(a.tenant);
      if (t === undefined) tenants.set(a.tenant, (t = repo.tenantId(a.tenant, true)!));
      const bk = `${t}\u0001${a.city}\u0001${a.street}\u0001${a.house}\u0001${a.block ?? ''}\u0001${a.fiasId ?? ''}`;
      let b = buildings.get(bk);
      if (b === undefined) {
        if (buildings.size > 200_000) buildings.clear();
        buildings.set(bk, (b = repo.buildingId(t, a)));
      }
      // Coordinates move the building (and the zones holding it) only when they changed.
      if (a.lat != null && a.lon != null) geo.setCoordinatesIfChanged(b, a.lat, a.lon);
      if (state) {
        repo.updateAccount(state.id, a, b, t, rowKey, now);
        seen.add(state.id);
        report.updated++;
      } else {
        seen.add(repo.insertAccount(a, b, t, rowKey, now));
        report.inserted++;
      }
    }
  });

  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${bulkCacheKib}`);
  let deferred = false;
  try {
    let header: string[] | null = null;
    let cols: Partial<Record<ImportField, number>> = {};
    let batch: { line: number; a: AccountInput }[] = [];
    const flush = () => {
      write(batch);
      batch = [];
      // Rows this import will write: so far, or the share written so far times the rows the file size suggests.
      const written = report.inserted + report.updated;
      const expected = Math.max(written, report.total > 0 ? (written / report.total) * ((o.totalBytes ?? 0) / bytesPerRowGuess) : 0);
      if (!deferred && expected >= deferAfter) {
        dropDirectoryIndexes(db);
        deferred = true;
      }
      o.onProgress?.({ rows: report.total, bytes, totalBytes: o.totalBytes ?? null });
    };
    for await (const rec of readCsv(source, { encoding: o.encoding, delimiter: o.delimiter, onBytes: (b) => { bytes = b; } })) {
      const fields = rec.fields;
      if (header === null) {
        header = fields.map((h) => h.trim());
        cols = resolveColumns(header, o);
        continue;
      }
      if (isBlank(fields)) continue; // a blank row (;;;;) holds nothing
      report.total++;
      if (fields.length !== header.length) {
        reject(rec.line, [{ field: '*', problem: `в строке ${fields.length} столбцов, в заголовке ${header.length} (лишний разделитель или кавычка?)`, value: truncate(fields.join(' | ')) }]);
        continue;
      }
      const raw = {} as Record<ImportField, string>;
      for (const f of importFields) {
        const i = cols[f];
        raw[f] = i === undefined ? '' : fields[i]!;
      }
      if (cols.tenant === undefined || !raw.tenant.trim()) raw.tenant = raw.tenant.trim() || (o.defaultTenant ?? '');
      let a = fastRow(raw);
      if (a === null) {
        const r = importRowSchema.safeParse(raw);
        if (!r.success) {
          reject(rec.line, r.error.issues.map((i) => {
            const field = String(i.path[0] ?? '*');
            return { field, problem: i.message, value: truncate(raw[field as ImportField] ?? '') };
          }));
          continue;
        }
        a = r.data;
      }
      batch.push({ line: rec.line, a });
      if (batch.length >= batchSize) {
        flush();
        // Let other work (HTTP requests) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (header === null) throw new ImportMappingError('файл пуст: нет строки заголовка', [], []);
    flush();
  } finally {
    // Deferred indexes are built again whatever happened (one sort each).
    if (deferred) {
      o.onProgress?.({ rows: report.total, bytes, totalBytes: o.totalBytes ?? null, phase: 'indexes' });
      ensureDirectoryIndexes(db);
    }
    db.pragma(`cache_size = ${cacheBefore}`);
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

const truncate = (s: string) => (s.length > 200 ? s.slice(0, 200) + '…' : s);
