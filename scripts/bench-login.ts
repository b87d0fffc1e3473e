// Login throttling under a password-guessing attack: an in-process Pult on a
// temporary database (demo logins), one attacker address guessing `admin`'s
// password as fast as it can, a second attacker spraying many logins, and a
// legitimate user logging in from a third address every 250 ms. Prints how many
// guesses the server actually checked, how the attacker was slowed, and what
// the legitimate user saw. Loopback only; stops by itself.
//
//   npm run bench:login -- [--seconds 20] [--concurrency 8]
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { startPult } from '../src/app.js';
import { silentLogger } from '../src/log.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '8' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-login-'));
const pult = await startPult(loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' }), { logger: silentLogger });

/** POST /api/auth/login from a chosen loopback source address. */
function attempt(from: string, login: string, password: string): Promise<{ status: number; retryAfter: number | null; ms: number }> {
  const body = JSON.stringify({ login, password });
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: pult.port, method: 'POST', path: '/api/auth/login', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: ra ? Number(ra) : null, ms: performance.now() - t0 });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Tally { sent: number; checked: number; throttled: number; firstThrottleAt: number | null; maxRetryAfter: number; ok: number }
const tally = (): Tally => ({ sent: 0, checked: 0, throttled: 0, firstThrottleAt: null, maxRetryAfter: 0, ok: 0 });
const start = performance.now();
const until = start + seconds * 1000;

async function attacker(t: Tally, from: string, loginFor: (i: number) => string): Promise<void> {
  let i = 0;
  while (performance.now() < until) {
    const r = await attempt(from, loginFor(i), `guess-${i++}`);
    t.sent++;
    if (r.status === 401) t.checked++;
    else if (r.status === 429) {
      t.throttled++;
      t.firstThrottleAt ??= (performance.now() - start) / 1000;
      t.maxRetryAfter = Math.max(t.maxRetryAfter, r.retryAfter ?? 0);
    } else if (r.status === 200) t.ok++;
  }
}

const guess = tally();
const spray = tally();
const legitMs: number[] = [];
let legitOk = 0;
let legitRefused = 0;
const legit = (async () => {
  while (performance.now() < until) {
    const r = await attempt('127.0.0.7', 'operator', 'demo');
    legitMs.push(r.ms);
    if (r.status === 200) legitOk++;
    else legitRefused++;
    await new Promise((res) => setTimeout(res, 250));
  }
})();
const logins = ['admin', 'supervisor', 'operator2', 'mobile', 'ivanov', 'petrov', 'root', 'dispatcher'];
await Promise.all([
  ...Array.from({ length: concurrency }, () => attacker(guess, '127.0.0.5', () => 'admin')),
  ...Array.from({ length: concurrency }, (_, k) => attacker(spray, '127.0.0.6', (i) => logins[(i + k) % logins.length]!)),
  legit,
]);

const row = (name: string, t: Tally) =>
  `${name.padEnd(34)} ${String(t.sent).padStart(7)} ${String(t.checked).padStart(8)} ${String(t.throttled).padStart(7)} ${(t.checked / (seconds / 60)).toFixed(1).padStart(12)} ${(t.firstThrottleAt === null ? '-' : t.firstThrottleAt.toFixed(2)).padStart(10)} ${String(t.maxRetryAfter).padStart(8)}  ${t.ok}`;
console.log(`\n${seconds} s, ${concurrency} parallel requests per attacker, loopback`);
console.log(`${'attack'.padEnd(34)} ${'sent'.padStart(7)} ${'checked'.padStart(8)} ${'429'.padStart(7)} ${'checked/min'.padStart(12)} ${'1st 429 s'.padStart(10)} ${'max R-A'.padStart(8)}  guessed`);
console.log(row('one address → admin', guess));
console.log(row('one address → 8 logins (spray)', spray));
console.log(`legitimate user (another address): ${legitOk} logged in, ${legitRefused} refused; login p50/p95/p99 ${percentile(legitMs, 50).toFixed(1)} / ${percentile(legitMs, 95).toFixed(1)} / ${percentile(legitMs, 99).toFixed(1)} ms`);
const mem = process.memoryUsage();
console.log(`server RSS ${(mem.rss / 1048576).toFixed(0)} MB, heap ${(mem.heapUsed / 1048576).toFixed(0)} MB`);
await pult.stop();
