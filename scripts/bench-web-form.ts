// The residents' web form under load: an in-process Pult on a temporary
// database (demo data), `--n` form submissions (JSON, no photos) sent by
// `--concurrency` clients, then the status page of each created request.
// Each submission is a whole request registration (ticket, channel, thread,
// first message, hashed token, pipeline start, request.changed). The limits
// per address are raised for the run. Prints p50/p95/p99 latency, throughput
// and the server's memory.
//
//   npm run bench:web-form -- [--n 2000] [--concurrency 16]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const n = Number(values.n);
const concurrency = Number(values.concurrency);

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-web-form-'));
const pult = await startPult(loadConfig({
  PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on',
  PULT_WEB_FORM_PER_IP_HOUR: '10000', PULT_WEB_FORM_PER_ADDRESS_HOUR: '10000', PULT_WEB_SEARCH_PER_IP_MIN: '100000',
}), { logger: silentLogger });
const base = `http://127.0.0.1:${pult.port}`;

const buildings = (await (await fetch(`${base}/api/public/web/1/buildings?q=${encodeURIComponent('Ленина')}`)).json()) as { items: { id: number }[] };
const categories = ((await (await fetch(`${base}/api/public/web/1`)).json()) as { categories: { id: number; emergency: boolean }[] }).categories.filter((c) => !c.emergency);

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

async function run<T>(count: number, one: (i: number) => Promise<T>): Promise<{ ms: number[]; wall: number; values: T[] }> {
  const ms: number[] = [];
  const values: T[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const r = await timed(() => one(i));
      ms.push(r.ms);
      values[i] = r.value;
    }
  }));
  return { ms, wall: performance.now() - t0, values };
}

const submit = (i: number) => fetch(`${base}/api/public/web/1/requests`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ buildingId: buildings.items[i % buildings.items.length]!.id, flat: String(1 + (i % 90)), categoryId: categories[i % categories.length]!.id, description: `Заявка номер ${i}: не работает освещение в подъезде`, name: 'Житель', phone: `7916${String(1000000 + i).slice(-7)}` }),
}).then(async (r) => {
  if (r.status !== 201) throw new Error(`form: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { statusUrl: string }).statusUrl;
});

const report = (what: string, r: { ms: number[]; wall: number }) => {
  const s = [...r.ms].sort((a, b) => a - b);
  console.log(`${what}: n=${s.length} concurrency=${concurrency}  p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  p99 ${percentile(s, 99).toFixed(1)} ms  throughput ${(s.length / (r.wall / 1000)).toFixed(0)}/s`);
};

const rssBefore = process.memoryUsage().rss;
const created = await run(n, submit);
report('web form → request', created);
const status = await run(n, (i) => fetch(`${base}${created.values[i]}`.replace('/s/', '/api/public/status/')).then((r) => { if (r.status !== 200) throw new Error(`status: ${r.status}`); return r.arrayBuffer(); }));
report('status page (API)  ', status);
const mem = process.memoryUsage();
console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MB (+${((mem.rss - rssBefore) / 2 ** 20).toFixed(0)} MB during the run), heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`);
await pult.stop();
