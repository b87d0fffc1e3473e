// Benchmark: ramps concurrent inbound calls through the real Asterisk and
// Pult, and prints calls per second sustained, p50/p95/p99 from call arrival
// to the operator's phone ringing, lost calls, and Pult's CPU and memory.
//
//   npm run bench:calls -- [--steps 5,10,20,40] [--talk 3] [--operators 40]
//
// Uses its own state folder (var/bench) and the test rig's ports; the
// simulator Asterisk plays carrier, callers and the operators' desk phones
// (which answer after 200 ms). Everything stays on loopback and stops itself.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvFile } from '../src/config/index.js';
import { SimController } from './lib/sim-controller.js';
import { api, login, startPultProcess } from './lib/pult-process.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '5,10,20,40' }, talk: { type: 'string', default: '3' }, operators: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' } } });
const steps = values.steps.split(',').map(Number);
const talkMs = Number(values.talk) * 1000;
const opCount = Number(values.operators);
const rounds = Number(values.rounds);

const repo = path.resolve(import.meta.dirname, '..');
const stateDir = path.join(repo, 'var', 'bench');
const rig = { PULT_STATE_DIR: stateDir, PULT_SIP_PORT: '5360', PULT_ASTERISK_HTTP_PORT: '8388', PULT_AMI_PORT: '5338', PULT_SIM_SIP_PORT: '5360', PULT_SIM_HTTP_PORT: '8389', PULT_TRUNK_PEER: '127.0.0.2:5360', PULT_ASTERISK_VERBOSE: '0' };
const sh = (name: string, cmd: string) => execFileSync('bash', [path.join(repo, 'scripts/asterisk', `${name}.sh`), cmd], { env: { ...process.env, ...rig }, stdio: 'inherit' });

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
function procStats(pid: number): { cpuSec: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuSec: ticks / 100, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

sh('pbx', 'start');
sh('sim', 'start');
const secrets = readEnvFile(path.join(stateDir, 'secrets.env'));
const db = path.join(stateDir, 'bench.sqlite');
for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
const pult = await startPultProcess({
  PULT_HTTP_PORT: '8390', PULT_STATE_DIR: stateDir, PULT_DB: db, PULT_RECORDINGS_DIR: path.join(stateDir, 'recordings'),
  PULT_ARI_URL: `http://127.0.0.1:${rig.PULT_ASTERISK_HTTP_PORT}`, PULT_ARI_PASSWORD: secrets.PULT_ARI_PASSWORD ?? '',
  PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '15', PULT_WRAPUP_SEC: '0', PULT_LOG_LEVEL: 'warn',
}, 'bench-calls');
const sim = new SimController({ url: `http://127.0.0.1:${rig.PULT_SIM_HTTP_PORT}`, user: 'sim', password: secrets.PULT_SIM_ARI_PASSWORD ?? '' });
await sim.start();

try {
  const admin = await login(pult.url, 'admin', 'demo');
  for (let i = 0; i < opCount; i++) {
    const ext = String(2001 + i);
    const r = await api(pult.url, 'POST', '/api/operators', { login: `bench${ext}`, password: 'bench-pass', fullName: `Bench ${ext}`, extension: ext, deviceKind: 'sip', staticContact: `sip:${ext}@127.0.0.3:${rig.PULT_SIM_SIP_PORT}`, tenantIds: [1] }, admin);
    if (r.status !== 201) throw new Error(`operator ${ext}: ${r.status} ${JSON.stringify(r.body)}`);
    const tok = await login(pult.url, `bench${ext}`, 'bench-pass');
    await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, tok);
  }
  sim.on('*', { action: 'answer', afterMs: 200, tone: 'tone:1000' });
  console.log(`operators: ${opCount} desk phones answering after 200 ms; talk ${talkMs / 1000} s; ${rounds} rounds per step`);
  console.log('concurrent | calls | calls/s | ring p50 ms | p95 | p99 | lost | pult cpu % | pult rss MB');

  let placedTotal = 0;
  for (const conc of steps) {
    const before = procStats(pult.proc.pid!);
    const t0 = Date.now();
    const ringDelays: number[] = [];
    let placed = 0;
    for (let round = 0; round < rounds; round++) {
      const legs: { id: string; at: number }[] = [];
      const seenIncoming = new Set([...sim.channels.values()].filter((c) => c.role === 'incoming').map((c) => c.id));
      for (let i = 0; i < conc; i++) {
        const at = Date.now();
        legs.push({ id: await sim.call('74950000001', `7916${String(placedTotal + placed).padStart(7, '0')}`), at });
        placed++;
      }
      // Each caller's arrival → the first desk phone ringing for it (matched in order of arrival).
      await sim.until(() => [...sim.channels.values()].filter((c) => c.role === 'incoming' && !seenIncoming.has(c.id)).length >= conc, 30_000, `${conc} operator phones ringing`);
      const rings = [...sim.channels.values()].filter((c) => c.role === 'incoming' && !seenIncoming.has(c.id)).sort((a, b) => a.createdAt - b.createdAt);
      legs.forEach((l, i) => ringDelays.push(rings[i]!.createdAt - l.at));
      await new Promise((r) => setTimeout(r, talkMs));
      await Promise.all(legs.map((l) => sim.hangup(l.id)));
      await sim.until(() => legs.every((l) => sim.channels.get(l.id)?.endedAt), 20_000, 'callers hung up');
    }
    const secs = (Date.now() - t0) / 1000;
    placedTotal += placed;
    await new Promise((r) => setTimeout(r, 1500));
    const after = procStats(pult.proc.pid!);
    const list = await api<{ items: { outcome: string | null }[] }>(pult.url, 'GET', `/api/calls?limit=1000`, undefined, admin);
    const ended = list.body.items.filter((c) => c.outcome !== null).length;
    const cb = await api<{ items: unknown[] }>(pult.url, 'GET', '/api/callbacks', undefined, admin);
    const answered = list.body.items.filter((c) => c.outcome === 'answered' || c.outcome === 'overflowed-answered').length;
    const lost = placedTotal - (answered + cb.body.items.length);
    console.log(
      [conc, placed, (placed / secs).toFixed(2), pct(ringDelays, 50).toFixed(0), pct(ringDelays, 95).toFixed(0), pct(ringDelays, 99).toFixed(0), lost, (((after.cpuSec - before.cpuSec) / secs) * 100).toFixed(1), after.rssMb.toFixed(0)]
        .map(String)
        .join(' | '),
      ended < placedTotal ? `(${placedTotal - ended} not yet ended)` : '',
    );
  }
  console.log(`pult peak RSS ${procStats(pult.proc.pid!).hwmMb.toFixed(0)} MB`);
} finally {
  await sim.stop();
  await pult.kill();
  sh('sim', 'stop');
  sh('pbx', 'stop');
}
