// Import of accounts from a billing export (CSV). Every row is validated;
// a bad row is reported (line, field, problem, raw value) and skipped, good
// rows are kept. Idempotent: each account remembers a hash of the row it
// came from, so re-importing the same file changes nothing («unchanged»), a
// changed row updates the account, a new one is inserted. Management
// companies and buildings are created on first sight and reused after.
// Rows are written in batched transactions; memory stays bounded.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { normalizePhone } from '../../domain/phone.js';
import { readCsv, type CsvOptions } from './csv.js';
import { textKey } from './keys.js';
import { bulkCacheKib, DirectoryRepository, type AccountInput } from './repository.js';
import { ZoneRepository } from '../executors/index.js';

export const importFields = ['accountNumber', 'holderName', 'tenant', 'city', 'street', 'house', 'block', 'flat', 'fiasId', 'phones', 'status', 'lat', 'lon'] as const;
export type ImportField = (typeof importFields)[number];
/** Our field ← the CSV header name. */
export type ImportMapping = Partial<Record<ImportField, string>>;

const requiredFields: ImportField[] = ['accountNumber', 'holderName', 'tenant', 'street', 'house'];

/** Header names recognised without a mapping (compared after lowercasing, ё → е, punctuation removed). */
const aliases: Record<ImportField, string[]> = {
  accountNumber: ['accountNumber', 'account_number', 'account', 'ЛС', 'Л/С', 'Лицевой счет', 'Лицевой счёт', 'Номер ЛС', 'Номер лицевого счета'],
  holderName: ['holderName', 'holder', 'ФИО', 'Владелец', 'Абонент', 'Собственник', 'Плательщик', 'ФИО абонента'],
  tenant: ['tenant', 'УК', 'Управляющая компания', 'Организация', 'ТСЖ'],
  city: ['city', 'Город', 'Населенный пункт', 'НП'],
  street: ['street', 'Улица'],
  house: ['house', 'Дом', 'Номер дома'],
  block: ['block', 'Корпус', 'Корп', 'Строение'],
  flat: ['flat', 'Квартира', 'Кв', 'Помещение'],
  fiasId: ['fiasId', 'fias', 'ФИАС', 'Код ФИАС', 'GUID дома', 'ГАР'],
  phones: ['phones', 'phone', 'Телефон', 'Телефоны', 'Тел'],
  status: ['status', 'Статус', 'Состояние'],
  lat: ['lat', 'latitude', 'Широта'],
  lon: ['lon', 'lng', 'longitude', 'Долгота'],
};

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
}

/** The header lacks a mapped or required column: nothing was imported. */
export class ImportMappingError extends Error {
  constructor(message: string, readonly missing: { field: ImportField; column: string | null }[], readonly header: string[]) {
    super(message);
  }
}

const maxErrors = 1000;

const statusWords: Record<string, 'active' | 'closed'> = {
  '': 'active', active: 'active', открыт: 'active', действует: 'active', действующий: 'active', активен: 'active', активный: 'active', '1': 'active',
  closed: 'closed', закрыт: 'closed', закрытый: 'closed', неактивен: 'closed', '0': 'closed',
};

const cell = (max: number, label: string) => z.string().trim().max(max, `${label} длиннее ${max} символов`);
const required = (max: number, label: string) => cell(max, label).min(1, `${label}: пустое значение`);

/** An optional decimal degree (a comma as the decimal sign is accepted); empty = unknown. */
function coordinate(limit: number, label: string) {
  return z.string().trim().transform((v, ctx) => {
    if (v === '') return null;
    const n = /^[-+]?\d{1,3}([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit) {
      ctx.addIssue({ code: 'custom', message: `${label} «${v}»: нужно число градусов от −${limit} до ${limit}` });
      return null;
    }
    return n;
  });
}

export const importRowSchema = z.object({
  accountNumber: required(32, 'номер ЛС').regex(/^[\p{L}\p{N}\-/.]*$/u, 'номер ЛС: допустимы буквы, цифры, «-», «/», «.»'),
  holderName: required(300, 'ФИО'),
  tenant: required(200, 'УК'),
  city: cell(100, 'город'),
  street: required(200, 'улица'),
  house: required(20, 'дом'),
  block: cell(20, 'корпус').transform((v) => v || null),
  flat: cell(20, 'квартира').transform((v) => v || null),
  fiasId: cell(36, 'код ФИАС')
    .refine((v) => v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), 'код ФИАС должен быть GUID вида xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx')
    .transform((v) => (v ? v.toLowerCase() : null)),
  phones: z.string().transform((v, ctx) => {
    const out: string[] = [];
    for (const part of v.split(/[,;]/)) {
      if (!part.trim()) continue;
      const n = normalizePhone(part);
      if (!n || n.length !== 11 || !n.startsWith('7')) {
        ctx.addIssue({ code: 'custom', message: `телефон «${part.trim()}» не распознан: нужен российский номер из 10–11 цифр` });
        continue;
      }
      if (!out.includes(n)) out.push(n);
    }
    return out.sort();
  }),
  status: z.string().transform((v, ctx) => {
    const s = statusWords[textKey(v)];
    if (!s) ctx.addIssue({ code: 'custom', message: `статус «${v}» не распознан: active/closed, открыт/закрыт` });
    return s ?? 'active';
  }),
  lat: coordinate(90, 'широта'),
  lon: coordinate(180, 'долгота'),
}).superRefine((a, ctx) => {
  if ((a.lat === null) !== (a.lon === null)) ctx.addIssue({ code: 'custom', path: [a.lat === null ? 'lat' : 'lon'], message: 'координаты дома: нужны и широта, и долгота' });
});

/** The header as echoed back in an error: at most 30 columns of at most 60 characters each. */
export function echoHeader(header: string[]): string[] {
  const cut = (h: string) => (h.length > 60 ? `${h.slice(0, 60)}…` : h);
  const shown = header.slice(0, 30).map(cut);
  if (header.length > 30) shown.push(`… и ещё ${header.length - 30}`);
  return shown;
}

/** Column index of each mapped field; throws ImportMappingError when one is missing. */
export function resolveColumns(header: string[], o: Pick<ImportOptions, 'mapping' | 'defaultTenant'> = {}): Partial<Record<ImportField, number>> {
  const keys = header.map((h) => textKey(h));
  const find = (name: string) => {
    const exact = header.findIndex((h) => h.trim() === name.trim());
    return exact >= 0 ? exact : keys.indexOf(textKey(name));
  };
  const cols: Partial<Record<ImportField, number>> = {};
  const missing: { field: ImportField; column: string | null }[] = [];
  for (const f of importFields) {
    const mapped = o.mapping?.[f];
    if (mapped !== undefined) {
      const i = find(mapped);
      if (i < 0) missing.push({ field: f, column: mapped });
      else cols[f] = i;
      continue;
    }
    for (const a of aliases[f]) {
      const i = find(a);
      if (i >= 0) { cols[f] = i; break; }
    }
    if (cols[f] === undefined && requiredFields.includes(f) && !(f === 'tenant' && o.defaultTenant)) missing.push({ field: f, column: null });
  }
  if (missing.length > 0) {
    const what = missing.map((m) => (m.column !== null ? `«${m.column}» (поле ${m.field})` : `для поля ${m.field} (ожидается один из: ${aliases[m.field].slice(1, 4).join(', ')})`));
    const shown = echoHeader(header);
    throw new ImportMappingError(`в заголовке CSV нет столбца ${what.join('; ')}. Столбцы файла: ${shown.join(', ')}`, missing, shown);
  }
  return cols;
}

function rowHash(a: AccountInput): string {
  return createHash('sha1')
    // Coordinates join the hash only when given, so files without them hash as before.
    .update(JSON.stringify([a.accountNumber, a.holderName, a.tenant, a.city, a.street, a.house, a.block, a.flat, a.fiasId, a.phones, a.status, ...(a.lat != null ? [a.lat, a.lon] : [])]))
    .digest('base64');
}

/** Imports a CSV byte (or text) stream. See the module comment. */
export async function importAccounts(db: Db, source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, o: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const repo = new DirectoryRepository(db);
  const geo = new ZoneRepository(db);
  const now = o.now ?? new Date().toISOString();
  const batchSize = o.batchSize ?? 5000;
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
  const seen = new Set<number>();
  let bytes = 0;

  const write = db.transaction((rows: { line: number; a: AccountInput }[]) => {
    for (const { line, a } of rows) {
      const hash = rowHash(a);
      const state = repo.importState(a.accountNumber);
      if (state && seen.has(state.id)) {
        reject(line, [{ field: 'accountNumber', problem: 'номер ЛС повторяется в файле: строка пропущена, действует первая', value: a.accountNumber }]);
        continue;
      }
      if (state && state.hash === hash) {
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
        repo.updateAccount(state.id, a, b, t, hash, now);
        seen.add(state.id);
        report.updated++;
      } else {
        seen.add(repo.insertAccount(a, b, t, hash, now));
        report.inserted++;
      }
    }
  });

  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${bulkCacheKib}`);
  try {
    let header: string[] | null = null;
    let cols: Partial<Record<ImportField, number>> = {};
    let batch: { line: number; a: AccountInput }[] = [];
    const flush = () => {
      write(batch);
      batch = [];
      o.onProgress?.({ rows: report.total, bytes, totalBytes: o.totalBytes ?? null });
    };
    for await (const rec of readCsv(source, { encoding: o.encoding, delimiter: o.delimiter, onBytes: (b) => { bytes = b; } })) {
      if (header === null) {
        header = rec.fields.map((h) => h.trim());
        cols = resolveColumns(header, o);
        continue;
      }
      if (rec.fields.every((f) => f.trim() === '')) continue; // a blank row (;;;;) holds nothing
      report.total++;
      if (rec.fields.length !== header.length) {
        reject(rec.line, [{ field: '*', problem: `в строке ${rec.fields.length} столбцов, в заголовке ${header.length} (лишний разделитель или кавычка?)`, value: truncate(rec.fields.join(' | ')) }]);
        continue;
      }
      const raw: Record<ImportField, string> = {} as Record<ImportField, string>;
      for (const f of importFields) {
        const i = cols[f];
        raw[f] = i === undefined ? '' : rec.fields[i]!;
      }
      if (cols.tenant === undefined || !raw.tenant.trim()) raw.tenant = raw.tenant.trim() || (o.defaultTenant ?? '');
      const r = importRowSchema.safeParse(raw);
      if (!r.success) {
        reject(rec.line, r.error.issues.map((i) => {
          const field = String(i.path[0] ?? '*');
          return { field, problem: i.message, value: truncate(raw[field as ImportField] ?? '') };
        }));
        continue;
      }
      batch.push({ line: rec.line, a: r.data });
      if (batch.length >= batchSize) {
        flush();
        // Let other work (HTTP requests) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (header === null) throw new ImportMappingError('файл пуст: нет строки заголовка', [], []);
    flush();
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

const truncate = (s: string) => (s.length > 200 ? s.slice(0, 200) + '…' : s);
