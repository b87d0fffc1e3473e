// Checked rows of an import in batches, in-process (the default) or from a
// worker thread (ImportOptions.worker: parsing, checking and hashing run on
// another core while this thread writes). Same rows, same order, same
// errors either way.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CsvError } from './csv.js';
import { ImportMappingError } from './import-schema.js';
import { parseRows, type ParseOptions, type ParsedRow } from './import-rows.js';
import type { FromWorker, ToWorker, WorkerParams } from './import-worker.js';

export interface RowBatch { rows: ParsedRow[]; bytes: number }
type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Chunks sent to the worker ahead of what it has parsed. */
const AHEAD = 4;

export async function* batchesInProcess(source: Source, o: ParseOptions, batchSize: number): AsyncGenerator<RowBatch> {
  let bytes = 0;
  let rows: ParsedRow[] = [];
  for await (const row of parseRows(source, o, (b) => { bytes = b; })) {
    rows.push(row);
    if (rows.length >= batchSize) {
      yield { rows, bytes };
      rows = [];
    }
  }
  yield { rows, bytes };
}

/**
 * The worker's bootstrap. Running from TypeScript sources (tsx, or a test
 * runner that transforms them itself), the worker registers tsx's loader on
 * its own thread before importing its module: Node 20 hands a worker neither
 * the parent's loader hooks nor, reliably, an `--import` in its execArgv.
 */
/** tsx's ESM API (`tsx/esm/api`, the `import` condition), wherever the packages are. */
function tsxApiUrl(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // A runner without import.meta.resolve: the CommonJS entry sits beside the ESM one.
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  }
}

function workerScript(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(fromSources ? './import-worker.ts' : './import-worker.js', import.meta.url).href;
  if (!fromSources) return `import(${JSON.stringify(url)});`;
  const tsx = tsxApiUrl();
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url)}); });`;
}

function rebuild(e: Extract<FromWorker, { error: unknown }>['error']): Error {
  if (e.kind === 'csv') return new CsvError(e.message, e.line ?? 0);
  if (e.kind === 'mapping') return new ImportMappingError(e.message, e.missing ?? [], e.header ?? []);
  return new Error(e.message);
}

export async function* batchesInWorker(source: Source, o: ParseOptions, batchSize: number): AsyncGenerator<RowBatch> {
  const params: WorkerParams = { options: o, batchSize };
  // A small young generation: the worker's garbage is short-lived rows, and its heap adds to the process's memory.
  const worker = new Worker(workerScript(), { eval: true, workerData: params, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const send = (m: ToWorker) => worker.postMessage(m);
  const inbox: FromWorker[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  let exited = false;
  const poke = () => {
    wake?.();
    wake = null;
  };
  let parsed = 0;
  let sent = 0;
  let creditWake: (() => void) | null = null;
  worker.on('message', (m: FromWorker) => {
    if ('parsed' in m) {
      parsed++;
      creditWake?.();
      creditWake = null;
      return;
    }
    inbox.push(m);
    poke();
  });
  worker.on('error', (err) => {
    failure ??= err;
    poke();
  });
  worker.on('exit', () => {
    exited = true;
    creditWake?.();
    poke();
  });
  // The feeder: reads the source and sends it on, a few chunks ahead of the parser.
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        while (sent - parsed >= AHEAD && !exited && failure === null) await new Promise<void>((resolve) => (creditWake = resolve));
        if (exited || failure !== null) return;
        send({ chunk: typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk });
        sent++;
      }
      send({ end: true });
    } catch (err) {
      // The source failed (a body past the size limit…): that error is the import's.
      failure ??= err;
      send({ fail: err instanceof Error ? err.message : String(err) });
      poke();
    }
  })();
  try {
    for (;;) {
      if (failure !== null) throw failure;
      const m = inbox.shift();
      if (!m) {
        if (exited) throw new Error('the import worker stopped');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ('error' in m) throw failure ?? rebuild(m.error);
      if ('done' in m) return;
      if ('rows' in m) {
        send({ ack: true });
        yield { rows: m.rows, bytes: m.bytes };
      }
    }
  } finally {
    (creditWake as (() => void) | null)?.();
    await worker.terminate();
    // The feeder stops at its next chunk (the worker is gone); not awaited, as a stalled upload would hold this up.
    void feeding;
  }
}
