// The structured logger: pino, one JSON object per line on stdout, so a log
// line about a call can be grepped by callId and read by machines. Callers
// see only the small `Logger` interface below (message first, then fields),
// never pino itself. An Error passed in any field is written with pino's
// error serializer (type, message, stack); pass it as `err`.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

// stdout to a pipe or a file is written synchronously on Linux: one write per
// line would make a burst of calls wait on the log. Lines of one turn of the
// event loop go out together right after it (and at exit, whatever is left).
let pending: string[] = [];
function flushStdout(): void {
  if (pending.length === 0) return;
  const out = pending.join('');
  pending = [];
  process.stdout.write(out);
}
process.on('exit', flushStdout);
const stdoutBatched: DestinationStream = {
  write(line: string): void {
    if (pending.push(line) === 1) setImmediate(flushStdout);
    else if (pending.length >= 500) flushStdout();
  },
};

/** Errors in any field (not only `err`) keep their stack. */
function serializeFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error && k !== 'err') {
      out ??= { ...fields };
      out[k] = pino.stdSerializers.err(v);
    }
  }
  return out ?? fields;
}

function wrap(p: PinoLogger): Logger {
  const at = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[lvl](serializeFields(fields), msg);
    else p[lvl](msg);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(p.child(serializeFields(fields))),
  };
}

/**
 * A logger at `level` with `base` fields on every line. `sink` receives each
 * line without its newline (tests); the default writes to stdout, a turn of
 * the event loop at a time.
 */
export function createLogger(level: Level | 'silent' = 'info', base: Record<string, unknown> = {}, sink?: (line: string) => void): Logger {
  const dest: DestinationStream | undefined = sink ? { write: (s: string) => sink(s.endsWith('\n') ? s.slice(0, -1) : s) } : undefined;
  const p = pino({
    level,
    base,
    messageKey: 'msg',
    timestamp: () => `,"t":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  }, dest ?? stdoutBatched);
  return wrap(p);
}

export const silentLogger: Logger = createLogger('silent');
