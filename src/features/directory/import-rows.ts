// The CPU side of an import, without the database: CSV records to checked
// rows (or the row's problems, with its line), each with the hash the
// idempotent re-import compares. Runs in the import's worker thread for a
// large file (import-worker.ts) and in-process for a small one; the same
// code either way, so the report is the same.
import { hash } from 'node:crypto';
import { readCsv, type CsvOptions } from './csv.js';
import { fastRow } from './fast-row.js';
import { importFields, importRowSchema, ImportMappingError, resolveColumns, type ImportField, type ImportMapping } from './import-schema.js';
import type { AccountInput } from './repository.js';

export interface RowProblem { field: string; problem: string; value: string }

/** One data record of the file: a checked row with its hash, or why it was rejected. */
export type ParsedRow = { line: number; a: AccountInput; hash: string } | { line: number; problems: RowProblem[] };

export interface ParseOptions extends Pick<CsvOptions, 'encoding' | 'delimiter'> {
  mapping?: ImportMapping;
  defaultTenant?: string;
}

/** A field for the row's hash: its length first, so no value can run into the next ("ab"+"c" ≠ "a"+"bc"); null differs from "". */
const part = (v: string | null | undefined): string => (v == null ? '-|' : `${v.length}|${v}`);

export function rowHash(a: AccountInput): string {
  // Plain concatenation (JSON.stringify cost more than the hash itself). Coordinates and e-mails join only when given.
  let s = part(a.accountNumber) + part(a.holderName) + part(a.tenant) + part(a.city) + part(a.street) + part(a.house)
    + part(a.block) + part(a.flat) + part(a.fiasId) + part(a.phones.join(',')) + part(a.status);
  if (a.lat != null) s += `${a.lat}|${a.lon}|`;
  if (a.emails?.length) s += `@${part(a.emails.join(','))}`;
  return hash('sha1', s, 'base64');
}

function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

export const truncate = (s: string) => (s.length > 200 ? s.slice(0, 200) + '…' : s);

/** The file's data rows in order, checked (blank rows skipped). Throws CsvError / ImportMappingError as the file warrants. */
export async function* parseRows(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, o: ParseOptions, onBytes?: (bytes: number) => void): AsyncGenerator<ParsedRow> {
  let header: string[] | null = null;
  let cols: Partial<Record<ImportField, number>> = {};
  for await (const rec of readCsv(source, { encoding: o.encoding, delimiter: o.delimiter, onBytes })) {
    const fields = rec.fields;
    if (header === null) {
      header = fields.map((h) => h.trim());
      cols = resolveColumns(header, o);
      continue;
    }
    if (isBlank(fields)) continue; // a blank row (;;;;) holds nothing
    if (fields.length !== header.length) {
      yield { line: rec.line, problems: [{ field: '*', problem: `в строке ${fields.length} столбцов, в заголовке ${header.length} (лишний разделитель или кавычка?)`, value: truncate(fields.join(' | ')) }] };
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
        yield {
          line: rec.line,
          problems: r.error.issues.map((i) => {
            const field = String(i.path[0] ?? '*');
            return { field, problem: i.message, value: truncate(raw[field as ImportField] ?? '') };
          }),
        };
        continue;
      }
      a = r.data;
    }
    yield { line: rec.line, a, hash: rowHash(a) };
  }
  if (header === null) throw new ImportMappingError('файл пуст: нет строки заголовка', [], []);
}
