// A small structured logger: one JSON object per line on stdout, so a log
// line about a call can be grepped by callId and read by machines.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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
const later = setImmediate;
let pending: string[] = [];
function flushStdout(): void {
  if (pending.length === 0) return;
  const out = pending.join('\n') + '\n';
  pending = [];
  process.stdout.write(out);
}
process.on('exit', flushStdout);
function stdoutSink(line: string): void {
  if (pending.push(line) === 1) later(flushStdout);
  else if (pending.length >= 500) flushStdout();
}

export function createLogger(level: Level = 'info', base: Record<string, unknown> = {}, sink: (line: string) => void = stdoutSink): Logger {
  const write = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    const rec: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, msg, ...base, ...fields };
    for (const [k, v] of Object.entries(rec)) if (v instanceof Error) rec[k] = v.message;
    sink(JSON.stringify(rec));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, sink),
  };
}

export const silentLogger: Logger = createLogger('error', {}, () => undefined);
