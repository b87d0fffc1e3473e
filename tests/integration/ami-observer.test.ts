// AMI observer mode against a real Asterisk 22 running its own app_queue:
// Pult does not control the calls, it reads the AMI. A PBX of its own (state
// var/test-ami, its own ports, so the shared rig is not touched) runs the
// project's dialplan/ plus a queue `support` whose member is the desk phone
// 1001 on the simulator; the simulator places real calls into the queue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { readEnvFile } from '../../src/config/index.js';
import type { CallCard, ServerToClientEvents } from '../../src/realtime/contract.js';
import { repo } from './env.js';
import { sleep, waitFor } from './helpers.js';

const stateDir = path.join(repo, 'var', 'test-ami');
const templates = path.join(stateDir, 'templates');
const rig: Record<string, string> = {
  PULT_STATE_DIR: stateDir,
  PULT_SIP_PORT: '5560',
  PULT_ASTERISK_HTTP_PORT: '8588',
  PULT_AMI_PORT: '5538',
  PULT_SIM_SIP_PORT: '5560',
  PULT_SIM_HTTP_PORT: '8589',
  PULT_TRUNK_PEER: '127.0.0.2:5560',
  PULT_ASTERISK_VERBOSE: '3',
  PULT_TEMPLATES_DIR: templates,
};
const HTTP_PORT = '8293';
const QUEUE_EXTEN = '7001';
const monitorDir = path.join(stateDir, 'asterisk-pbx', 'spool', 'monitor');

// The queue of an "existing" Asterisk: one static member, the desk phone 1001
// reached through the trunk (the simulator answers or ignores it), with a
// custom device state so the member is not "in use" by the caller's own trunk
// channel; the queue records the bridged call with MixMonitor.
const queuesConf = `; Written by tests/integration/ami-observer.test.ts (not Pult's PBX config).
[general]
persistentmembers = no

[support]
strategy = ringall
timeout = 5
retry = 1
wrapuptime = 0
ringinuse = no
autopause = no
announce-frequency = 0
announce-holdtime = no
monitor-format = wav
member => PJSIP/1001@carrier,0,Operator 1001,Custom:op1001
`;
const queueDialplan = `; Written by tests/integration/ami-observer.test.ts: calls to ${QUEUE_EXTEN} go to the queue.
[from-carrier]
exten => ${QUEUE_EXTEN},1,NoOp(AMI observer test: queue call from \${CALLERID(num)})
 same => n,Answer()
 same => n,Queue(support,,,,30)
 same => n,Hangup()
`;

const script = (name: string) => path.join(repo, 'scripts', 'asterisk', `${name}.sh`);
function asterisk(name: 'pbx' | 'sim', ...args: string[]): string {
  return execFileSync('bash', [script(name), ...args], { env: { ...process.env, ...rig }, encoding: 'utf8', timeout: 1_200_000 });
}

interface CallItem {
  id: string; from: string; to: string; outcome: string | null; state: string; answeredBy: number | null; answeredVia: string | null;
  talkSec: number | null; recording: { state: string; durationSec: number | null } | null;
}

let sim: SimController;
let pult: PultProcess;
let admin = '';
let operatorToken = '';
let operatorId = 0;
let socket: Socket<ServerToClientEvents>;
const cards: CallCard[] = [];

const callsFrom = async (from: string) => (await api<{ items: CallItem[] }>(pult.url, 'GET', '/api/calls', undefined, admin)).body.items.filter((c) => c.from === from);

beforeAll(async () => {
  // The PBX's templates: the product's dialplan/ (unchanged) plus the queue overlay.
  rmSync(templates, { recursive: true, force: true });
  mkdirSync(templates, { recursive: true });
  for (const f of readdirSync(path.join(repo, 'dialplan'))) if (f.endsWith('.conf')) copyFileSync(path.join(repo, 'dialplan', f), path.join(templates, f));
  writeFileSync(path.join(templates, 'queues.conf'), queuesConf);
  writeFileSync(path.join(templates, 'extensions-queue.conf'), queueDialplan);
  appendFileSync(path.join(templates, 'extensions.conf'), '\n#include "extensions-queue.conf"\n');

  asterisk('pbx', 'stop');
  asterisk('sim', 'stop');
  asterisk('pbx', 'start');
  asterisk('sim', 'start');
  rmSync(monitorDir, { recursive: true, force: true });
  mkdirSync(monitorDir, { recursive: true });
  asterisk('pbx', 'cli', 'devstate change Custom:op1001 NOT_INUSE');

  const s = readEnvFile(path.join(stateDir, 'secrets.env'));
  sim = new SimController({ url: `http://127.0.0.1:${rig.PULT_SIM_HTTP_PORT}`, user: 'sim', password: s.PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();

  const db = path.join(stateDir, 'pult.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  pult = await startPultProcess({
    PULT_HTTP_PORT: HTTP_PORT,
    PULT_STATE_DIR: stateDir,
    PULT_DB: db,
    PULT_RECORDINGS_DIR: path.join(stateDir, 'recordings'),
    PULT_MODE: 'ami-observer',
    PULT_AMI_HOST: '127.0.0.1',
    PULT_AMI_PORT: rig.PULT_AMI_PORT!,
    PULT_AMI_USER: 'pult',
    PULT_AMI_PASSWORD: s.PULT_AMI_PASSWORD ?? '',
    PULT_AMI_QUEUE_LINES: 'support=1',
    PULT_AMI_MONITOR_DIR: monitorDir,
    PULT_SHORT_ABANDON_SEC: '1',
    PULT_DEMO_ACCOUNTS: '10',
    PULT_LOG_LEVEL: 'debug',
  }, 'ami-observer');
  admin = await login(pult.url, 'admin', 'demo');
  operatorToken = await login(pult.url, 'operator', 'demo');
  const me = await api<{ operator: { userId: number; extension: string } }>(pult.url, 'GET', '/api/operators/me', undefined, operatorToken);
  expect(me.body.operator.extension).toBe('1001');
  operatorId = me.body.operator.userId;
  socket = connect(pult.url, { auth: { token: operatorToken }, transports: ['websocket'], reconnection: false });
  await new Promise((r) => socket.once('connect', () => r(null)));
  socket.on('call.offered', (c) => cards.push(c));
}, 240_000);

afterAll(async () => {
  socket?.close();
  await sim?.hangupAll().catch(() => undefined);
  await sim?.stop();
  await pult?.kill();
  if (process.env.PULT_KEEP_RIG === '1') return;
  asterisk('sim', 'stop');
  asterisk('pbx', 'stop');
});

beforeEach(() => {
  sim.on('*', { action: 'ignore' });
  sim.channels.clear();
});

describe('AMI observer mode with a real app_queue', () => {
  it('health shows the AMI connection; the member device makes the operator available', async () => {
    const h = await api<{ pbx: { connected: boolean }; mode: string; ami: { connected: boolean; port: number } }>(pult.url, 'GET', '/api/health');
    expect(h.body).toMatchObject({ mode: 'ami-observer', pbx: { connected: true }, ami: { connected: true, port: 5538 } });
    await waitFor('operator available from the queue member state', async () => {
      const r = await api<{ operator: { presence: string } }>(pult.url, 'GET', '/api/operators/me', undefined, operatorToken);
      return r.body.operator.presence === 'available';
    });
  });

  it('a queue call answered at the member desk phone: the card pops, the call is logged answered with its recording', async () => {
    sim.on('1001', { action: 'answer', afterMs: 800, tone: 'tone:1000', hangupAfterMs: 2500 });
    await sim.call(QUEUE_EXTEN, '79161230001');
    const card = await waitFor('card on the operator socket', async () => cards.find((c) => c.caller === '79161230001'), 20_000);
    expect(card).toMatchObject({ via: 'console', did: QUEUE_EXTEN, line: { id: 1 } });
    const call = await waitFor('answered call with its recording', async () => {
      const c = (await callsFrom('79161230001'))[0];
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    }, 30_000);
    expect(call).toMatchObject({ outcome: 'answered', answeredBy: operatorId, answeredVia: 'console' });
    expect(call.talkSec).toBeGreaterThanOrEqual(1);
    expect(call.recording!.durationSec).toBeGreaterThan(1);
    const rec = await fetch(`${pult.url}/api/calls/${call.id}/recording`, { headers: { authorization: `Bearer ${admin}` } });
    expect(rec.status).toBe(200);
    expect((await rec.arrayBuffer()).byteLength).toBeGreaterThan(8000);
  });

  it('a caller who gives up in the queue is abandoned on the wallboard, with a callback task', async () => {
    sim.on('1001', { action: 'ignore' });
    const caller = await sim.call(QUEUE_EXTEN, '79161230002');
    await waitFor('call waiting in Pult', async () => (await callsFrom('79161230002'))[0]?.state === 'waiting');
    await sleep(2500);
    await sim.hangup(caller);
    const call = await waitFor('abandoned call', async () => {
      const c = (await callsFrom('79161230002'))[0];
      return c?.state === 'ended' ? c : null;
    });
    expect(call.outcome).toBe('abandoned');
    const wb = await api<{ lines: { abandoned: number; answered: number }[]; callbacks: { callId: string }[] }>(pult.url, 'GET', '/api/wallboard', undefined, admin);
    expect(wb.body.lines[0]).toMatchObject({ abandoned: 1, answered: 1 });
    expect(wb.body.callbacks.map((c) => c.callId)).toContain(call.id);
  });

  it("the operator's Pause in Pult pauses the queue member (QueuePause), Ready unpauses it", async () => {
    const r = await api(pult.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'обед' }, operatorToken);
    expect(r.status).toBe(200);
    await waitFor('member paused in Asterisk', async () => /paused/i.test(asterisk('pbx', 'cli', 'queue show support')));
    expect(asterisk('pbx', 'cli', 'queue show support')).toContain('обед');
    await api(pult.url, 'POST', '/api/operators/me/state', { state: 'available' }, operatorToken);
    await waitFor('member unpaused in Asterisk', async () => !/paused/i.test(asterisk('pbx', 'cli', 'queue show support')));
    const me = await api<{ operator: { presence: string } }>(pult.url, 'GET', '/api/operators/me', undefined, operatorToken);
    expect(me.body.operator.presence).toBe('available');
  });
});
