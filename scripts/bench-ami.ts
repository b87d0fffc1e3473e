// AMI parser throughput: our streaming parser vs the npm `asterisk-manager`
// package's, on the same bytes.
//
//   npm run bench:ami [-- --file fixtures/ami/queue-session.txt --mb 50 --chunk 65536]
//
// The input is a raw AMI stream captured from a real Asterisk
// (fixtures/ami/queue-session.txt; its banner is kept once, at the start),
// repeated to at least --mb megabytes and cut into --chunk byte chunks, as a
// socket would deliver them. Each parser runs in a fresh child process (so
// one's garbage does not count against the other); it prints MB/s, events/s,
// and the heap / RSS growth.
//
// How asterisk-manager is driven without a socket: its parser (ManagerReader
// in lib/ami.js) is not exported; it is attached as the 'data' listener of
// the socket that `manager.connect()` creates with `net.createConnection`.
// We replace `net.createConnection` (the same CommonJS `net` module object the
// package required) with a function returning a fake socket (an EventEmitter
// with the few methods it calls), call `connect()`, restore the original, and
// emit 'data' on the fake socket with the chunks as strings (the package sets
// the socket's encoding to utf-8, so a real socket hands it strings decoded by
// a StringDecoder; we do the same, and that decoding is counted in its time).
// It emits each message through process.nextTick ('managerevent' for events,
// 'response' for responses), so the bench yields to the event loop after each
// chunk to let those run and to count them.
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AmiParser } from '../src/telephony/ami/parser.js';

const require = createRequire(import.meta.url);

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const file = arg('file', 'fixtures/ami/queue-session.txt');
const targetMb = Number(arg('mb', '50'));
const chunkSize = Number(arg('chunk', '65536'));
const only = arg('only', '');

function input(): { chunks: Buffer[]; bytes: number; messages: number } {
  const raw = fs.readFileSync(file);
  const bannerEnd = raw.indexOf('\r\n') + 2;
  const banner = raw.subarray(0, bannerEnd);
  const body = raw.subarray(bannerEnd);
  const reps = Math.ceil((targetMb * 1024 * 1024) / body.length);
  const all = Buffer.concat([banner, ...Array<Buffer>(reps).fill(body)]);
  let messages = 0;
  for (let i = all.indexOf('\r\n\r\n'); i >= 0; i = all.indexOf('\r\n\r\n', i + 4)) messages++;
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += chunkSize) chunks.push(all.subarray(i, i + chunkSize));
  return { chunks, bytes: all.length, messages };
}

interface Result {
  parser: string;
  seconds: number;
  mbPerSec: number;
  messagesPerSec: number;
  messages: number;
  events: number;
  errors: number;
  heapDeltaMb: number;
  rssPeakMb: number;
}

const mb = (n: number) => n / 1024 / 1024;

async function runOurs(chunks: Buffer[], bytes: number): Promise<Result> {
  let messages = 0;
  let events = 0;
  let errors = 0;
  const p = new AmiParser({
    onMessage: (m) => {
      messages++;
      if (m.type === 'event') events++;
    },
    onError: () => errors++,
  });
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let rssPeak = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < chunks.length; i++) {
    p.push(chunks[i]!);
    if ((i & 63) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }
  p.end();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const heap1 = process.memoryUsage().heapUsed;
  return { parser: 'pult AmiParser', seconds: s, mbPerSec: mb(bytes) / s, messagesPerSec: messages / s, messages, events, errors, heapDeltaMb: mb(heap1 - heap0), rssPeakMb: mb(Math.max(rssPeak, process.memoryUsage.rss())) };
}

async function runAsteriskManager(chunks: Buffer[], bytes: number): Promise<Result> {
  const net = require('node:net') as { createConnection: unknown };
  const Manager = require('asterisk-manager') as (port?: number) => EventEmitter & { connect: (port: number, host: string) => void };
  const fake = Object.assign(new EventEmitter(), {
    readyState: 'open',
    setKeepAlive: () => undefined,
    setNoDelay: () => undefined,
    setEncoding: () => undefined,
    write: () => true,
    end: () => undefined,
  });
  const original = net.createConnection;
  net.createConnection = () => fake;
  const manager = Manager();
  manager.connect(0, '127.0.0.1');
  net.createConnection = original;
  let messages = 0;
  let events = 0;
  manager.on('managerevent', () => (messages++, events++));
  manager.on('response', () => messages++);
  const decoder = new StringDecoder('utf8');
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let rssPeak = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < chunks.length; i++) {
    fake.emit('data', decoder.write(chunks[i]!));
    // Let its process.nextTick emits run (a socket would yield between chunks too).
    await new Promise<void>((r) => setImmediate(r));
    if ((i & 63) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }
  await new Promise<void>((r) => setImmediate(r));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const heap1 = process.memoryUsage().heapUsed;
  return { parser: 'npm asterisk-manager 0.2.0', seconds: s, mbPerSec: mb(bytes) / s, messagesPerSec: messages / s, messages, events, errors: 0, heapDeltaMb: mb(heap1 - heap0), rssPeakMb: mb(Math.max(rssPeak, process.memoryUsage.rss())) };
}

async function child(which: string): Promise<void> {
  const { chunks, bytes } = input();
  // Warm-up on a slice, then the measured run.
  const warm = chunks.slice(0, Math.min(chunks.length, 16));
  if (which === 'ours') {
    await runOurs(warm, 0);
    console.log(JSON.stringify(await runOurs(chunks, bytes)));
  } else {
    console.log(JSON.stringify(await runAsteriskManager(chunks, bytes)));
  }
}

async function main(): Promise<void> {
  if (only) return child(only);
  const { bytes, messages } = input();
  console.log(`input: ${file} repeated to ${mb(bytes).toFixed(1)} MB (${messages.toLocaleString('en')} messages), chunks of ${chunkSize} bytes, Node ${process.version}`);
  const results: Result[] = [];
  for (const which of ['ours', 'asterisk-manager']) {
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--only', which, '--file', file, '--mb', String(targetMb), '--chunk', String(chunkSize)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${which} run failed: ${r.stderr}`);
    results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Result);
  }
  console.log('');
  console.log('parser                       MB/s   messages/s   messages   events     errors  time s  heap Δ MB  RSS peak MB');
  for (const r of results) {
    console.log(
      `${r.parser.padEnd(27)} ${r.mbPerSec.toFixed(1).padStart(6)} ${Math.round(r.messagesPerSec).toLocaleString('en').padStart(12)} ${r.messages.toLocaleString('en').padStart(10)} ${r.events.toLocaleString('en').padStart(8)} ${String(r.errors).padStart(8)} ${r.seconds.toFixed(2).padStart(7)} ${r.heapDeltaMb.toFixed(1).padStart(10)} ${r.rssPeakMb.toFixed(0).padStart(12)}`,
    );
  }
  const [a, b] = results;
  if (a && b) console.log(`\npult parser is ${(a.mbPerSec / b.mbPerSec).toFixed(1)}× the throughput of asterisk-manager's on these bytes.`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
