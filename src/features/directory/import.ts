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
import type { Db } from '../../store/db.js';
import type { CsvOptions } from './csv.js';
import { batchesInProcess, batchesInWorker } from './import-batches.js';
import type { ImportMapping } from './import-schema.js';
import type { ParsedRow } from './import-rows.js';
import { bulkCacheKib, DirectoryRepository, type AccountInput, dropDirectoryIndexes, ensureDirectoryIndexes } from './repository.js';
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
  /**
   * Parse, check and hash the rows in a worker thread, so this thread only
   * writes (import-batches.ts). Off by default: measured on 2026-12-02 it
   * added ≈ 100 MB of RSS (the worker's isolate and, running from TypeScript
   * sources, its own tsx loader) — over the 300 MB target for 1,000,000 rows —
   * and it only pays when a core is idle.
   */
  worker?: boolean;
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

/** Rough bytes per row of a billing export: a file this many rows long defers the indexes from its first batch. */
const bytesPerRowGuess = 200;

/** The import's cache key of a row's building (company name and address): rows of one building share it. */
const buildingKey = (a: AccountInput) => `${a.tenant}\u0001${a.city}\u0001${a.street}\u0001${a.house}\u0001${a.block ?? ''}\u0001${a.fiasId ?? ''}`;

/** Imports a CSV byte (or text) stream. See the module comment. */
export async function importAccounts(db: Db, source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, o: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const repo = new DirectoryRepository(db);
  const geo = new ZoneRepository(db);
  const now = o.now ?? new Date().toISOString();
  const batchSize = o.batchSize ?? 5000;
  const existing = repo.accountCount();
  const deferAfter = Math.max(o.deferIndexesAfter ?? 50_000, existing / 5);
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

  // While most rows of a batch were new accounts, the next batch inserts first and looks an account up only when
  // its number exists (see insertAccountIfNew); otherwise (a re-import) it looks up first. Same outcome either way.
  let insertFirst = existing === 0;

  const write = db.transaction((rows: ParsedRow[]) => {
    const before = report.inserted;
    for (const row of rows) {
      if (!('a' in row)) {
        reject(row.line, row.problems);
        continue;
      }
      const { line, a, hash: rowKey } = row;
      // Made once, and only for a row that needs its building (not for an unchanged row of a re-import).
      let bk: string | null = null;
      if (insertFirst) {
        // Only with the company and building known already: a row that turns out a duplicate must create nothing.
        const t = tenants.get(a.tenant);
        const b = t === undefined ? undefined : buildings.get((bk = buildingKey(a)));
        if (t !== undefined && b !== undefined) {
          const id = repo.insertAccountIfNew(a, b, t, rowKey, now);
          if (id !== null) {
            if (a.lat != null && a.lon != null) geo.setCoordinatesIfChanged(b, a.lat, a.lon);
            seen.add(id);
            report.inserted++;
            continue;
          }
        }
      }
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
      bk ??= buildingKey(a);
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
    insertFirst = (report.inserted - before) * 2 > rows.length;
  });

  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${bulkCacheKib}`);
  let deferred = false;
  try {
    const parse = { encoding: o.encoding, delimiter: o.delimiter, mapping: o.mapping, defaultTenant: o.defaultTenant };
    const batches = o.worker ? batchesInWorker(source, parse, batchSize) : batchesInProcess(source, parse, batchSize);
    for await (const batch of batches) {
      bytes = batch.bytes;
      report.total += batch.rows.length;
      // The rows' references are right by construction (company and building found or created in the same
      // transaction, phones under the account just written), so SQLite need not probe the parents again for each.
      // The pragma applies outside a transaction only, and nothing else runs between these two synchronous lines.
      const fk = db.pragma('foreign_keys', { simple: true }) as number;
      if (fk) db.pragma('foreign_keys = OFF');
      try {
        write(batch.rows);
      } finally {
        if (fk) db.pragma('foreign_keys = ON');
      }
      // Rows this import will write: so far, or the share written so far times the rows the file size suggests.
      const written = report.inserted + report.updated;
      const expected = Math.max(written, report.total > 0 ? (written / report.total) * ((o.totalBytes ?? 0) / bytesPerRowGuess) : 0);
      if (!deferred && expected >= deferAfter) {
        dropDirectoryIndexes(db);
        deferred = true;
      }
      o.onProgress?.({ rows: report.total, bytes, totalBytes: o.totalBytes ?? null });
      // Let other work (HTTP requests) run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
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
