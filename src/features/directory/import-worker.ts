// The import's worker thread: the file's bytes come in as messages, checked
// rows go back in batches (import-rows.ts does the work), so on a machine
// with two cores the main thread only writes to the database. Flow control
// both ways: the main thread sends a few chunks ahead of what was parsed
// (each parsed chunk is acknowledged), and the worker keeps at most two
// batches unacknowledged, so neither side piles up a large file in memory.
import { parentPort, workerData } from 'node:worker_threads';
import { CsvError } from './csv.js';
import { ImportMappingError } from './import-schema.js';
import { parseRows, type ParseOptions, type ParsedRow } from './import-rows.js';

/** Main thread → worker. */
export type ToWorker = { chunk: Uint8Array } | { end: true } | { ack: true } | { fail: string };
/** Worker → main thread. */
export type FromWorker =
  | { parsed: number; bytes: number }
  | { rows: ParsedRow[]; bytes: number }
  | { done: true }
  | { error: { kind: 'csv' | 'mapping' | 'other'; message: string; line?: number; missing?: ImportMappingError['missing']; header?: string[] } };

export interface WorkerParams { options: ParseOptions; batchSize: number }

const port = parentPort!;
const { options, batchSize } = workerData as WorkerParams;
const post = (m: FromWorker) => port.postMessage(m);

// Chunks from the main thread, read by the CSV parser as an async iterable.
const chunks: Uint8Array[] = [];
let ended = false;
let failed: string | null = null;
let wake: (() => void) | null = null;
let unacked = 0;
let ackWake: (() => void) | null = null;

port.on('message', (m: ToWorker) => {
  if ('chunk' in m) chunks.push(m.chunk);
  else if ('end' in m) ended = true;
  else if ('fail' in m) failed = m.fail;
  else if ('ack' in m) {
    unacked--;
    ackWake?.();
    ackWake = null;
    return;
  }
  wake?.();
  wake = null;
});

async function* source(): AsyncGenerator<Uint8Array> {
  for (;;) {
    if (failed !== null) throw new Error(failed);
    const c = chunks.shift();
    if (c) {
      yield c;
      post({ parsed: 1, bytes: c.byteLength });
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

async function send(rows: ParsedRow[], bytes: number): Promise<void> {
  while (unacked >= 2) await new Promise<void>((resolve) => (ackWake = resolve));
  unacked++;
  post({ rows, bytes });
}

async function run(): Promise<void> {
  let bytes = 0;
  let batch: ParsedRow[] = [];
  try {
    for await (const row of parseRows(source(), options, (b) => { bytes = b; })) {
      batch.push(row);
      if (batch.length >= batchSize) {
        await send(batch, bytes);
        batch = [];
      }
    }
    await send(batch, bytes);
    post({ done: true });
  } catch (err) {
    if (err instanceof CsvError) post({ error: { kind: 'csv', message: err.message, line: err.line } });
    else if (err instanceof ImportMappingError) post({ error: { kind: 'mapping', message: err.message, missing: err.missing, header: err.header } });
    else post({ error: { kind: 'other', message: err instanceof Error ? err.message : String(err) } });
  }
}

await run();
