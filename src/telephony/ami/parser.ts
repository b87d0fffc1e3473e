// A streaming parser for the Asterisk Manager Interface (AMI) wire format.
//
// AMI over TCP: a banner line (`Asterisk Call Manager/11.0.0`), then messages
// of `Key: Value\r\n` lines, each message ended by an empty line. Keys may
// repeat (`ChanVariable`, `Variable`, `Output`); values may contain ':'.
// Legacy `Response: Follows` command output (Asterisk <= 13) is free text
// ended by `--END COMMAND--`.
//
// The parser is pure: feed it whatever chunks the socket delivers (split
// anywhere, even inside a CRLF or a UTF-8 sequence) and it calls `onMessage`
// for every complete message. Malformed input never throws: the frame it is
// in is reported once through `onError`, the parser skips to the next empty
// line and carries on, so one bad frame costs exactly that frame.
//
// Unlike the npm `asterisk-manager`, keys keep their case as on the wire;
// `AmiMessage.get()` looks them up case-insensitively.

/** `action` only with `acceptActions` (the server side: fake AMIs in tests, proxies). */
export type AmiMessageType = 'event' | 'response' | 'banner' | 'action';

/** Key as on the wire → value, or every value in order when the key repeats. */
export type AmiFields = Record<string, string | string[]>;

export class AmiMessage {
  constructor(
    readonly type: AmiMessageType,
    /** Null-prototype object: a key named `__proto__` is just a key. */
    readonly fields: AmiFields,
    /** Free-text output of a legacy `Response: Follows` (without `--END COMMAND--`). */
    readonly output?: string[],
  ) {}

  /** The first value of a key, looked up case-insensitively. */
  get(key: string): string | undefined {
    const v = this.lookup(key);
    return v === undefined ? undefined : typeof v === 'string' ? v : v[0];
  }

  /** Every value of a key, looked up case-insensitively (keys differing only in case are merged). */
  getAll(key: string): string[] {
    const lower = key.toLowerCase();
    const out: string[] = [];
    for (const k in this.fields) {
      if (k !== key && k.toLowerCase() !== lower) continue;
      const v = this.fields[k]!;
      if (typeof v === 'string') out.push(v);
      else out.push(...v);
    }
    return out;
  }

  /** `Event` name, or undefined for responses and the banner. */
  get event(): string | undefined {
    return this.type === 'event' ? this.get('Event') : undefined;
  }

  private lookup(key: string): string | string[] | undefined {
    const exact = this.fields[key];
    if (exact !== undefined) return exact;
    const lower = key.toLowerCase();
    for (const k in this.fields) if (k.toLowerCase() === lower) return this.fields[k];
    return undefined;
  }
}

export type AmiParseErrorReason =
  | 'no-colon' // a line that is not `Key: Value`
  | 'bad-key' // empty key, or a key with control characters / leading space
  | 'control-characters' // binary junk: C0 control characters (other than TAB) or DEL in a line
  | 'line-too-long' // a line longer than maxLineBytes
  | 'too-many-keys' // a message with more than maxKeys lines
  | 'output-too-long' // legacy command output longer than maxOutputLines
  | 'no-type' // a message with neither `Event` nor `Response`
  | 'unterminated-output' // `Response: Follows` output not ended by `--END COMMAND--`
  | 'truncated'; // the stream ended inside a message (end())

export interface AmiParseError {
  reason: AmiParseErrorReason;
  /** The offending line (at most 200 characters), when there is one. */
  line?: string;
  detail: string;
}

export interface AmiParserOptions {
  onMessage: (msg: AmiMessage) => void;
  onError?: (err: AmiParseError) => void;
  /** Longest accepted line in bytes, without its line ending. Default 64 KiB. */
  maxLineBytes?: number;
  /** Most `Key: Value` lines in one message. Default 1000. */
  maxKeys?: number;
  /** Most lines of legacy command output in one message. Default 100,000. */
  maxOutputLines?: number;
  /** Parse what a client sends: messages with `Action` are emitted as type 'action'. Default false. */
  acceptActions?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const END_COMMAND = '--END COMMAND--';
const BANNER_PREFIX = 'Asterisk Call Manager/';
// C0 controls except TAB, and DEL: never in a legitimate AMI line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

type Mode =
  | 'fields' // reading `Key: Value` lines of a message (or between messages)
  | 'output' // inside legacy `Response: Follows` output
  | 'skip'; // a bad frame: dropping lines up to the next empty line

export class AmiParser {
  private readonly maxLineBytes: number;
  private readonly maxKeys: number;
  private readonly maxOutputLines: number;
  private readonly acceptActions: boolean;

  /** Pieces of an incomplete line carried over to the next chunk(s). */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** An over-long line is being dropped up to its LF. */
  private discardingLine = false;

  private mode: Mode = 'fields';
  private fields: AmiFields = Object.create(null) as AmiFields;
  private keyCount = 0;
  private isResponse = false;
  private isEvent = false;
  private isAction = false;
  private output: string[] | null = null;
  /** Output mode: the `--END COMMAND--` marker was seen, waiting for the empty line. */
  private outputEnded = false;
  /** Output mode: an empty line was seen before the marker (may be output, may be the end of a broken message). */
  private outputBlank = false;
  /** First error thrown by a callback in this push(); rethrown once the chunk is fully parsed. */
  private callbackError: { err: unknown } | null = null;

  constructor(private readonly opts: AmiParserOptions) {
    this.maxLineBytes = opts.maxLineBytes ?? 64 * 1024;
    this.maxKeys = opts.maxKeys ?? 1000;
    this.maxOutputLines = opts.maxOutputLines ?? 100_000;
    this.acceptActions = opts.acceptActions ?? false;
  }

  /**
   * Feeds a chunk. Never throws on malformed input; an exception thrown by
   * `onMessage`/`onError` is rethrown after the whole chunk has been parsed,
   * so the parser's state stays consistent.
   */
  push(chunk: Buffer | Uint8Array | string): void {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    let pos = 0;
    let nl = buf.indexOf(LF, 0);
    if (this.discardingLine) {
      if (nl < 0) return this.finishPush();
      this.discardingLine = false;
      pos = nl + 1;
      nl = buf.indexOf(LF, pos);
    } else if (this.pendingLen > 0 && nl >= 0) {
      // The line started in an earlier chunk: join its pieces once, when its LF arrives.
      this.pending.push(buf.subarray(0, nl + 1));
      const first = Buffer.concat(this.pending, this.pendingLen + nl + 1);
      this.pending = [];
      this.pendingLen = 0;
      this.lineAt(first, 0, first.length - 1);
      pos = nl + 1;
      nl = buf.indexOf(LF, pos);
    }
    while (nl >= 0) {
      this.lineAt(buf, pos, nl);
      pos = nl + 1;
      nl = buf.indexOf(LF, pos);
    }
    if (pos < len) {
      // An incomplete line. If it cannot fit the limit even without a CR, drop it now.
      if (this.pendingLen + (len - pos) - 1 > this.maxLineBytes) {
        this.pending = [];
        this.pendingLen = 0;
        this.badFrame('line-too-long', undefined, `a line longer than ${this.maxLineBytes} bytes`);
        this.discardingLine = true;
      } else {
        // Copy: a subarray would keep the whole (possibly large) chunk alive.
        this.pending.push(Buffer.from(buf.subarray(pos)));
        this.pendingLen += len - pos;
      }
    }
    this.finishPush();
  }

  /** The line in buf[start, lf), LF at `lf`. */
  private lineAt(buf: Buffer, start: number, lf: number): void {
    let end = lf;
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start > this.maxLineBytes) this.badFrame('line-too-long', undefined, `a line of ${end - start} bytes (limit ${this.maxLineBytes})`);
    else this.line(end === start ? '' : buf.toString('utf8', start, end));
  }

  /** The stream ended: reports a message cut short (its fields are dropped) and resets. */
  end(): void {
    const partial = this.pendingLen > 0 || this.discardingLine || this.keyCount > 0 || this.output !== null;
    const wasSkipping = this.mode === 'skip';
    this.reset();
    if (partial && !wasSkipping) this.report('truncated', undefined, 'the stream ended inside a message');
    this.finishPush();
  }

  /** Forgets everything buffered (a new connection). */
  reset(): void {
    this.pending = [];
    this.pendingLen = 0;
    this.discardingLine = false;
    this.startMessage();
  }

  // ---------------------------------------------------------------- lines

  private line(line: string): void {
    if (this.mode === 'skip') {
      if (line.length === 0) this.startMessage();
      return;
    }
    if (this.mode === 'output') return this.outputLine(line);
    if (line.length === 0) {
      if (this.keyCount > 0) this.emitMessage();
      return;
    }
    if (this.keyCount === 0 && line.startsWith(BANNER_PREFIX)) {
      if (CONTROL.test(line)) return this.badFrame('control-characters', line, 'control characters in the banner');
      const fields = Object.create(null) as AmiFields;
      fields.Banner = line;
      fields.Version = line.slice(BANNER_PREFIX.length).trim();
      return this.emit(new AmiMessage('banner', fields));
    }
    this.fieldLine(line);
  }

  private fieldLine(line: string): void {
    const colon = line.indexOf(':');
    if (colon < 0) return this.badFrame('no-colon', line, 'a line without a colon');
    if (CONTROL.test(line)) return this.badFrame('control-characters', line, 'control characters in a line');
    let keyEnd = colon;
    while (keyEnd > 0 && line.charCodeAt(keyEnd - 1) === 0x20) keyEnd--;
    if (keyEnd === 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) return this.badFrame('bad-key', line, 'an empty key or a key starting with a blank');
    const key = colon === keyEnd ? line.slice(0, colon) : line.slice(0, keyEnd);
    // `Key: Value`: one space after the colon belongs to the separator; the rest is the value.
    const value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
    if (++this.keyCount > this.maxKeys) return this.badFrame('too-many-keys', undefined, `more than ${this.maxKeys} keys in a message`);
    this.addField(key, value);
    if (this.keyCount === 1 || !(this.isResponse || this.isEvent || this.isAction)) {
      if (equalsIgnoreCase(key, 'Response')) {
        this.isResponse = true;
        if (equalsIgnoreCase(value, 'Follows')) {
          this.mode = 'output';
          this.output = [];
        }
      } else if (equalsIgnoreCase(key, 'Event')) this.isEvent = true;
      else if (this.acceptActions && equalsIgnoreCase(key, 'Action')) this.isAction = true;
    }
  }

  private outputLine(line: string): void {
    if (this.outputEnded) {
      if (line.length === 0) return this.emitMessage();
      // Anything between the marker and the empty line: ordinary fields.
      return this.fieldLine(line);
    }
    if (this.outputBlank) {
      this.outputBlank = false;
      if (startsWithKey(line, 'Event') || startsWithKey(line, 'Response')) {
        // The marker never came: a new message starts here.
        this.report('unterminated-output', undefined, 'command output not ended by --END COMMAND--');
        this.startMessage();
        return this.line(line);
      }
      this.pushOutput('');
    }
    if (line.length === 0) {
      this.outputBlank = true;
      return;
    }
    const output = this.output!;
    // Headers of the response come before any output line.
    if (output.length === 0 && (startsWithKey(line, 'ActionID') || startsWithKey(line, 'Privilege') || startsWithKey(line, 'Message'))) {
      return this.fieldLine(line);
    }
    if (line.endsWith(END_COMMAND)) {
      const before = line.slice(0, line.length - END_COMMAND.length);
      if (before.length > 0) this.pushOutput(before.endsWith('\r') ? before.slice(0, -1) : before);
      this.outputEnded = true;
      return;
    }
    this.pushOutput(line);
  }

  private pushOutput(line: string): void {
    if (this.output!.length >= this.maxOutputLines) return this.badFrame('output-too-long', undefined, `more than ${this.maxOutputLines} lines of command output`);
    this.output!.push(line);
  }

  private addField(key: string, value: string): void {
    const prev = this.fields[key];
    if (prev === undefined) this.fields[key] = value;
    else if (typeof prev === 'string') this.fields[key] = [prev, value];
    else prev.push(value);
  }

  // ---------------------------------------------------------------- messages

  private emitMessage(): void {
    const fields = this.fields;
    const output = this.output;
    const type: AmiMessageType | null = this.isResponse ? 'response' : this.isEvent ? 'event' : this.isAction ? 'action' : null;
    this.startMessage();
    if (type === null) return this.report('no-type', undefined, 'a message with neither Event nor Response');
    this.emit(output ? new AmiMessage(type, fields, output) : new AmiMessage(type, fields));
  }

  private startMessage(): void {
    this.mode = 'fields';
    this.fields = Object.create(null) as AmiFields;
    this.keyCount = 0;
    this.isResponse = false;
    this.isEvent = false;
    this.isAction = false;
    this.output = null;
    this.outputEnded = false;
    this.outputBlank = false;
  }

  /** Reports the current frame as bad and skips to the next empty line. */
  private badFrame(reason: AmiParseErrorReason, line: string | undefined, detail: string): void {
    if (this.mode === 'skip') return;
    this.startMessage();
    this.mode = 'skip';
    this.report(reason, line, detail);
  }

  private report(reason: AmiParseErrorReason, line: string | undefined, detail: string): void {
    const onError = this.opts.onError;
    if (!onError) return;
    try {
      onError(line === undefined ? { reason, detail } : { reason, detail, line: line.length > 200 ? line.slice(0, 200) : line });
    } catch (err) {
      this.callbackError ??= { err };
    }
  }

  private emit(msg: AmiMessage): void {
    try {
      this.opts.onMessage(msg);
    } catch (err) {
      this.callbackError ??= { err };
    }
  }

  private finishPush(): void {
    const e = this.callbackError;
    if (!e) return;
    this.callbackError = null;
    throw e.err;
  }
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/** `line` starts with `key:` (case-insensitive, blanks allowed before the colon). */
function startsWithKey(line: string, key: string): boolean {
  if (line.length <= key.length || !equalsIgnoreCase(line.slice(0, key.length), key)) return false;
  const rest = line.slice(key.length).trimStart();
  return rest.startsWith(':');
}

/** Serialises an action or a message in AMI wire format (`Key: Value\r\n`…`\r\n`). */
export function formatAmiMessage(fields: Record<string, string | number | boolean | readonly (string | number)[] | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      const s = String(one);
      // A CR or LF in a value would end the line and let the value inject keys or actions.
      if (/[\r\n]/.test(s) || /[\r\n:]/.test(k)) throw new Error(`AMI: key ${JSON.stringify(k)} or its value contains a line break`);
      out += `${k}: ${s}\r\n`;
    }
  }
  return out + '\r\n';
}
