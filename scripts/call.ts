// Places a demo inbound call through the simulated carrier:
//   npm run call -- <DID> <caller number> [--hold 20] [--mobile answer|ignore] [--answer-after 3]
// The caller plays a 440 Hz tone; if the call overflows to a mobile, the
// simulated mobile answers after a few seconds and plays a 1 kHz tone.
// Prints what happens, then the call as Pult logged it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvFile } from '../src/config/index.js';
import { SimController } from './lib/sim-controller.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    hold: { type: 'string', default: '20' },
    mobile: { type: 'string', default: 'answer' },
    'answer-after': { type: 'string', default: '3' },
  },
});
const [did, caller] = positionals;
if (!did || !caller || !/^\d{3,15}$/.test(did) || !/^\+?\d{3,15}$/.test(caller)) {
  console.error('usage: npm run call -- <DID digits> <caller number> [--hold SEC] [--mobile answer|ignore] [--answer-after SEC]');
  process.exit(2);
}
const holdSec = Number(values.hold);
const repo = path.resolve(import.meta.dirname, '..');
const stateDir = process.env.PULT_STATE_DIR ?? path.join(repo, 'var');

execFileSync('bash', [path.join(repo, 'scripts/asterisk/sim.sh'), 'start'], { stdio: 'inherit' });
const secrets = { ...readEnvFile(path.join(stateDir, 'secrets.env')), ...process.env };
const sim = new SimController({ url: `http://127.0.0.1:${process.env.PULT_SIM_HTTP_PORT ?? '8089'}`, user: 'sim', password: secrets.PULT_SIM_ARI_PASSWORD ?? '' });
await sim.start();
sim.on('*', values.mobile === 'ignore' ? { action: 'ignore' } : { action: 'answer', afterMs: Number(values['answer-after']) * 1000, tone: 'tone:1000' });

const t0 = Date.now();
const at = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
const seen = new Set<string>();
const leg = await sim.call(did, caller.replace(/^\+/, ''));
console.log(`${at()} calling ${did} from ${caller}`);
const report = setInterval(() => {
  const c = sim.channels.get(leg);
  const once = (key: string, when: unknown, text: string) => {
    if (!when || seen.has(key)) return;
    seen.add(key);
    console.log(`${at()} ${text}`);
  };
  once('answered', c?.answeredAt, 'the PBX connected the caller');
  for (const inc of sim.channels.values()) {
    if (inc.role !== 'incoming') continue;
    once(`${inc.id}:ring`, true, `${inc.exten} is ringing (overflow to a mobile or a desk phone)`);
    once(`${inc.id}:ans`, inc.answeredAt, `${inc.exten} answered`);
    once(`${inc.id}:end`, inc.endedAt, `${inc.exten} hung up`);
  }
}, 100);
const hangupTimer = setTimeout(() => void sim.hangup(leg), holdSec * 1000);
await sim.until(() => Boolean(sim.channels.get(leg)?.endedAt), (holdSec + 600) * 1000, 'the call to end');
clearTimeout(hangupTimer);
clearInterval(report);
console.log(`${at()} call over`);

const base = `http://127.0.0.1:${process.env.PULT_HTTP_PORT ?? '8080'}`;
try {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: process.env.PULT_DEMO_PASSWORD ?? 'demo' }) });
  const { token } = (await login.json()) as { token: string };
  await new Promise((r) => setTimeout(r, 1500));
  const calls = (await (await fetch(`${base}/api/calls?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] };
  console.log('Pult logged:', JSON.stringify(calls.items[0], null, 2));
} catch (err) {
  console.log(`(could not read the call log from ${base}: ${(err as Error).message})`);
}
await sim.stop();
