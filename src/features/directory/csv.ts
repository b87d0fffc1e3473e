// A streaming CSV reader (RFC 4180 plus what billing exports do): quoted
// fields with "" escapes and line breaks inside, `;`, `,` or tab as the
// delimiter (detected from the header line), CRLF or LF, UTF-8 with or
// without BOM, or any encoding TextDecoder knows (windows-1251 for most
// Russian billing exports). Memory is bounded by the longest record, and
// that is capped: a header line past `maxHeaderChars` or a record past
// `maxRecordChars` stops the read at once with a CsvError (nothing more of
// the stream is read). Every byte is scanned once.

export interface CsvRecord {
  /** 1-based line number of the record's first line in the file. */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /** TextDecoder label: 'utf-8' (default), 'windows-1251', 'koi8-r'… */
  encoding?: string;
  /** Force a delimiter instead of detecting it from the header line. */
  delimiter?: string;
  /** Called with the bytes consumed so far, after each chunk. */
  onBytes?: (bytes: number) => void;
  /** Longest header line, in characters (default 64 KiB). */
  maxHeaderChars?: number;
  /** Longest record (all its fields), in characters (default 1 MiB). */
  maxRecordChars?: number;
}

export const csvLimits = { maxHeaderChars: 64 * 1024, maxRecordChars: 1024 * 1024 };

export class CsvError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** The delimiter of a header line: the most frequent of `;`, `,`, tab outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ';';
  let max = 0;
  for (const [d, n] of counts) if (n > max) { best = d; max = n; }
  return best;
}

type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Text chunks of a byte stream, decoded. The UTF-8 BOM is dropped. */
async function* decode(source: Source, o: CsvOptions): AsyncGenerator<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(o.encoding ?? 'utf-8');
  } catch {
    throw new CsvError(`неизвестная кодировка «${o.encoding}»`, 0);
  }
  let bytes = 0;
  let first = true;
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      bytes += chunk.byteLength;
      text = decoder.decode(chunk, { stream: true });
    }
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text) yield text;
    o.onBytes?.(bytes);
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Records of a CSV stream, the header included (it is the first record). */
export async function* readCsv(source: Source, o: CsvOptions = {}): AsyncGenerator<CsvRecord> {
  let delim = o.delimiter;
  let buf = '';
  let pos = 0;
  let line = 1;
  // State of the record being read (it may span chunks).
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let recordLine = 1;
  let recordStarted = false;
  // Characters of the record so far (fields already split off); capped.
  let recordChars = 0;
  const maxHeader = o.maxHeaderChars ?? csvLimits.maxHeaderChars;
  const maxRecord = o.maxRecordChars ?? csvLimits.maxRecordChars;
  const checkSize = () => {
    const header = recordLine === 1;
    const max = header ? Math.min(maxHeader, maxRecord) : maxRecord;
    if (recordChars + field.length > max) {
      throw new CsvError(header ? `строка заголовка длиннее ${Math.round(max / 1024)} КБ: это не заголовок CSV (нет перевода строки?)` : `запись длиннее ${Math.round(max / 1024)} КБ (незакрытая кавычка или нет перевода строки?)`, recordLine);
    }
  };

  const chunks = decode(source, o);
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const r = await chunks.next();
    if (r.done) { done = true; return false; }
    buf = buf.slice(pos) + r.value;
    pos = 0;
    return true;
  };

  // Detect the delimiter from the first line (read until a line break outside
  // quotes). The scan resumes where it stopped: each new byte is looked at once.
  if (!delim) {
    const scan = { at: 0, inQuotes: false };
    for (;;) {
      const nl = firstLineEnd(buf, scan);
      if (nl < 0 && buf.length > maxHeader) {
        throw new CsvError(`строка заголовка длиннее ${Math.round(maxHeader / 1024)} КБ: это не заголовок CSV (нет перевода строки?)`, 1);
      }
      if (nl >= 0 || !(await more())) {
        delim = detectDelimiter(nl >= 0 ? buf.slice(0, nl) : buf);
        break;
      }
    }
  }
  const d = delim.charCodeAt(0);

  for (;;) {
    if (pos >= buf.length) {
      if (!(await more())) break;
      continue;
    }
    if (inQuotes) {
      const q = buf.indexOf('"', pos);
      if (q < 0) {
        field += buf.slice(pos);
        line += countNewlines(buf, pos, buf.length);
        pos = buf.length;
        checkSize();
        continue;
      }
      field += buf.slice(pos, q);
      line += countNewlines(buf, pos, q);
      checkSize();
      // A quote: either an escaped "" or the end of the quoted part.
      if (q + 1 >= buf.length) {
        pos = q;
        if (await more()) continue;
        inQuotes = false; // closing quote at the very end of input
        pos = q + 1;
        continue;
      }
      if (buf.charCodeAt(q + 1) === 34) { field += '"'; pos = q + 2; }
      else { inQuotes = false; pos = q + 1; }
      continue;
    }
    const c = buf.charCodeAt(pos);
    if (c === 34 && field.length === 0 && !quotedField) {
      inQuotes = true; quotedField = true; recordStarted = true; pos++;
      continue;
    }
    if (c === d) {
      recordChars += field.length + 1;
      fields.push(field); field = ''; quotedField = false; recordStarted = true; pos++;
      checkSize();
      continue;
    }
    if (c === 10 || c === 13) {
      if (c === 13) {
        if (pos + 1 >= buf.length && (await more())) continue; // see whether \n follows
        if (buf.charCodeAt(pos + 1) === 10) pos++;
      }
      pos++;
      if (recordStarted || field.length > 0) {
        fields.push(field);
        yield { line: recordLine, fields };
      }
      fields = []; field = ''; quotedField = false; recordStarted = false; recordChars = 0;
      line++;
      recordLine = line;
      continue;
    }
    // Plain run of characters up to the next special one.
    let end = pos + 1;
    while (end < buf.length) {
      const e = buf.charCodeAt(end);
      if (e === d || e === 10 || e === 13 || e === 34) break;
      end++;
    }
    // A quote inside an unquoted field is kept as is (lenient, as Excel does).
    if (end < buf.length && buf.charCodeAt(end) === 34) end++;
    field += buf.slice(pos, end);
    recordStarted = true;
    pos = end;
    checkSize();
  }
  if (inQuotes) throw new CsvError('кавычка не закрыта до конца файла', recordLine);
  if (recordStarted || field.length > 0) {
    fields.push(field);
    yield { line: recordLine, fields };
  }
}

/** The first line break outside quotes, scanning on from `scan.at` (the state is kept between calls). */
function firstLineEnd(s: string, scan: { at: number; inQuotes: boolean }): number {
  for (let i = scan.at; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) scan.inQuotes = !scan.inQuotes;
    else if (!scan.inQuotes && (c === 10 || c === 13)) return i;
  }
  scan.at = s.length;
  return -1;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
