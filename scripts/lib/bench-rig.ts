// The benchmark rig: the PBX and the simulator in var/bench on their own
// loopback ports, a Pult server process on a fresh database, and N desk-phone
// operators logged in and available.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readEnvFile } from '../../src/config/index.js';
import { SimController } from './sim-controller.js';
import { AriClient } from '../../src/telephony/ari/client.js';
import { silentLogger } from '../../src/log.js';
import { api, login, startPultProcess, type PultProcess } from './pult-process.js';

const repo = path.resolve(import.meta.dirname, '../..');
export const benchStateDir = path.join(repo, 'var', 'bench');
/** PULT_TEST_PORT_OFFSET shifts the rig's ports too (two checkouts benchmarking on one machine). */
const offset = Number(process.env.PULT_TEST_PORT_OFFSET ?? 0);
const p = (n: number) => String(n + offset);
const rigEnv = { PULT_STATE_DIR: benchStateDir, PULT_SIP_PORT: p(5360), PULT_ASTERISK_HTTP_PORT: p(8388), PULT_AMI_PORT: p(5338), PULT_SIM_SIP_PORT: p(5360), PULT_SIM_HTTP_PORT: p(8389), PULT_TRUNK_PEER: `127.0.0.2:${p(5360)}`, PULT_ASTERISK_VERBOSE: '0' };
const sh = (name: string, cmd: string) => execFileSync('bash', [path.join(repo, 'scripts/asterisk', `${name}.sh`), cmd], { env: { ...process.env, ...rigEnv }, stdio: 'inherit' });

export interface BenchRig {
  /** When each caller number's channel was created on the PBX (Asterisk's own clock, ms). */
  pbxArrivals: Map<string, number>;
  pult: PultProcess;
  /** The PBX's Asterisk process (its CPU per call tells what Pult's requests and the observer cost it). */
  pbxPid: number;
  sim: SimController;
  admin: string;
  operators: { userId: number; ext: string; token: string }[];
  stop(): Promise<void>;
}

export async function startBenchRig(o: { operators: number; env?: Record<string, string> }): Promise<BenchRig> {
  sh('pbx', 'start');
  sh('sim', 'start');
  const secrets = readEnvFile(path.join(benchStateDir, 'secrets.env'));
  const db = path.join(benchStateDir, 'bench.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const pult = await startPultProcess({
    PULT_HTTP_PORT: p(8390), PULT_STATE_DIR: benchStateDir, PULT_DB: db, PULT_RECORDINGS_DIR: path.join(benchStateDir, 'recordings'),
    PULT_ARI_URL: `http://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}`, PULT_ARI_PASSWORD: secrets.PULT_ARI_PASSWORD ?? '',
    PULT_OVERFLOW_AFTER_SEC: '60', PULT_RING_TIMEOUT_SEC: '15', PULT_WRAPUP_SEC: '0', PULT_LOG_LEVEL: 'info', ...o.env,
  }, 'bench');
  const sim = new SimController({ url: `http://127.0.0.1:${rigEnv.PULT_SIM_HTTP_PORT}`, user: 'sim', password: secrets.PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();
  // Observe the PBX itself: a second ARI app subscribed to all channels.
  const pbxArrivals = new Map<string, number>();
  const observer = new AriClient({ url: `http://127.0.0.1:${rigEnv.PULT_ASTERISK_HTTP_PORT}`, user: 'pult', password: secrets.PULT_ARI_PASSWORD ?? '', app: 'bench-observer', logger: silentLogger, subscribeAll: true });
  observer.onEvent((raw) => {
    const e = raw as { type?: string; channel?: { caller?: { number?: string }; creationtime?: string; name?: string } };
    if (e.type === 'ChannelCreated' && e.channel?.name?.startsWith('PJSIP/carrier') && e.channel.caller?.number && e.channel.creationtime) {
      pbxArrivals.set(e.channel.caller.number, Date.parse(e.channel.creationtime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
    }
  });
  observer.start();
  const admin = await login(pult.url, 'admin', 'demo');
  const operators: BenchRig['operators'] = [];
  for (let i = 0; i < o.operators; i++) {
    const ext = String(2001 + i);
    const r = await api<{ operator: { userId: number } }>(pult.url, 'POST', '/api/operators', { login: `bench${ext}`, password: 'bench-pass', fullName: `Bench ${ext}`, extension: ext, deviceKind: 'sip', staticContact: `sip:${ext}@127.0.0.3:${rigEnv.PULT_SIM_SIP_PORT}`, tenantIds: [1, 2] }, admin);
    if (r.status !== 201) throw new Error(`operator ${ext}: ${r.status} ${JSON.stringify(r.body)}`);
    const token = await login(pult.url, `bench${ext}`, 'bench-pass');
    await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, token);
    operators.push({ userId: r.body.operator.userId, ext, token });
  }
  const pbxPid = Number(readFileSync(path.join(benchStateDir, 'asterisk-pbx', 'run', 'instance.pid'), 'utf8').trim());
  return {
    pbxArrivals, pult, pbxPid, sim, admin, operators,
    async stop() {
      await observer.stop();
      await sim.stop();
      await pult.kill();
      sh('sim', 'stop');
      sh('pbx', 'stop');
    },
  };
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export function procStats(pid: number): { cpuSec: number; rssMb: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuSec: ticks / 100, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}
