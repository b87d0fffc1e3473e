// Records a raw AMI byte stream from a real Asterisk into a fixture file.
//
//   tsx scripts/ami-capture.ts --out fixtures/ami/queue-session.txt [--scenario queue|idle] [--seconds N]
//
// Connects to the PBX's AMI over plain TCP, logs in, and appends every byte
// Asterisk sends (banner, responses, events) to --out exactly as received.
// With --scenario queue (the default) it also drives calls through the
// capture queue: the simulator Asterisk (its ARI, as scripts/lib/sim-controller.ts
// does) places calls to extension 7001 of the PBX, whose capture dialplan runs
// Queue(capture-q); the simulator answers or ignores the member's leg (5001).
// Needs the capture rig: fixtures/ami/README.md.
//
// Environment: PULT_STATE_DIR (for secrets.env), PULT_AMI_PORT, PULT_AMI_USER,
// PULT_AMI_PASSWORD, PULT_SIM_HTTP_PORT, PULT_SIM_ARI_USER, PULT_SIM_ARI_PASSWORD.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AmiParser, formatAmiMessage, type AmiMessage } from '../src/telephony/ami/parser.js';
import { SimController } from './lib/sim-controller.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

function secrets(): Record<string, string> {
  const file = path.join(process.env.PULT_STATE_DIR ?? 'var', 'secrets.env');
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(?:export )?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}

const env = (k: string, def?: string): string => {
  const v = process.env[k] ?? secrets()[k] ?? def;
  if (v === undefined) throw new Error(`${k} is not set (environment or $PULT_STATE_DIR/secrets.env)`);
  return v;
};

const out = arg('out', 'fixtures/ami/queue-session.txt');
const scenario = arg('scenario', 'queue');
const seconds = Number(arg('seconds', '10'));
const amiPort = Number(env('PULT_AMI_PORT', '5038'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class RawAmi {
  private socket!: net.Socket;
  private file: number;
  private seq = 0;
  private waiters: { test: (m: AmiMessage) => boolean; resolve: (m: AmiMessage) => void }[] = [];
  readonly seen: AmiMessage[] = [];
  bytes = 0;
  private parser = new AmiParser({
    onMessage: (m) => {
      this.seen.push(m);
      for (const w of [...this.waiters]) {
        if (!w.test(m)) continue;
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(m);
      }
    },
    onError: (e) => console.error('parse error in the capture (kept in the file):', e),
  });

  constructor(outFile: string) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    this.file = fs.openSync(outFile, 'w');
  }

  async connect(port: number): Promise<void> {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk: Buffer) => {
      fs.writeSync(this.file, chunk); // the raw bytes, as received
      this.bytes += chunk.length;
      this.parser.push(chunk);
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  /** Sends an action; resolves with its response (the raw stream keeps everything). */
  async action(fields: Record<string, string | undefined>): Promise<AmiMessage> {
    const id = `capture-${++this.seq}`;
    const p = this.waitFor((m) => m.type === 'response' && m.get('ActionID') === id, 10_000, `response to ${fields.Action}`);
    this.socket.write(formatAmiMessage({ ...fields, ActionID: id }));
    return p;
  }

  waitFor(test: (m: AmiMessage) => boolean, ms: number, what: string): Promise<AmiMessage> {
    const already = this.seen.find(test);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const w = {
        test,
        resolve: (m: AmiMessage) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  event(name: string, extra: (m: AmiMessage) => boolean = () => true, ms = 20_000): Promise<AmiMessage> {
    const since = this.seen.length;
    return this.waitFor((m) => this.seen.indexOf(m) >= since - 1 && m.event === name && extra(m), ms, name);
  }

  async close(): Promise<void> {
    this.socket.end();
    await new Promise((r) => this.socket.once('close', r));
    fs.closeSync(this.file);
  }
}

async function main(): Promise<void> {
  const ami = new RawAmi(out);
  await ami.connect(amiPort);
  const login = await ami.action({ Action: 'Login', Username: env('PULT_AMI_USER', 'pult'), Secret: env('PULT_AMI_PASSWORD'), Events: 'on' });
  if (login.get('Response') !== 'Success') throw new Error(`login refused: ${login.get('Message')}`);
  await ami.waitFor((m) => m.event === 'FullyBooted', 5000, 'FullyBooted');
  await ami.action({ Action: 'CoreSettings' });
  await ami.action({ Action: 'QueueStatus' });
  await ami.waitFor((m) => m.event === 'QueueStatusComplete', 5000, 'QueueStatusComplete');
  await ami.action({ Action: 'QueueSummary' });
  await ami.action({ Action: 'Command', Command: 'queue show' });

  if (scenario === 'idle') {
    await sleep(seconds * 1000);
  } else {
    const sim = new SimController({ url: `http://127.0.0.1:${env('PULT_SIM_HTTP_PORT', '8089')}`, user: env('PULT_SIM_ARI_USER', 'sim'), password: env('PULT_SIM_ARI_PASSWORD') });
    await sim.start();
    try {
      // The member's state interface is Custom:agent1: moving it gives QueueMemberStatus.
      await ami.action({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:agent1)', Value: 'NOT_INUSE' });
      await sleep(300);

      console.log('1. queue call, the agent answers after 1 s and hangs up after 2.5 s');
      sim.on('5001', { action: 'answer', afterMs: 1000, hangupAfterMs: 2500 });
      await sim.call('7001', '79161234567');
      await ami.event('AgentComplete');
      await sleep(500);

      console.log('2. queue call, the agent does not answer, the caller gives up');
      sim.on('5001', { action: 'ignore' });
      const abandoned = await sim.call('7001', '79161234568');
      await ami.event('AgentRingNoAnswer');
      await ami.action({ Action: 'QueueStatus', Queue: 'capture-q' }); // with a QueueEntry
      await ami.waitFor((m) => m.event === 'QueueStatusComplete' && m.get('ActionID') !== 'capture-4', 5000, 'QueueStatusComplete');
      await sleep(1500);
      await sim.hangup(abandoned);
      await ami.event('QueueCallerAbandon');
      await sleep(500);

      console.log('3. pause and unpause the member');
      await ami.action({ Action: 'QueuePause', Queue: 'capture-q', Interface: 'PJSIP/5001@carrier', Paused: 'true', Reason: 'обед' });
      await ami.event('QueueMemberPause');
      await ami.action({ Action: 'QueueStatus', Queue: 'capture-q' });
      await sleep(300);
      await ami.action({ Action: 'QueuePause', Interface: 'PJSIP/5001@carrier', Paused: 'false' });
      await sleep(300);

      console.log('4. device state changes: unavailable, back to not in use');
      await ami.action({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:agent1)', Value: 'UNAVAILABLE' });
      await sleep(300);
      await ami.action({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:agent1)', Value: 'NOT_INUSE' });
      await sleep(300);

      console.log('5. a plain call (no queue): answer, wait 2 s, hang up');
      const plain = await sim.call('7002', '79161234569');
      await ami.event('Hangup', (m) => m.get('Exten') === '7002' || m.get('CallerIDNum') === '79161234569', 15_000);
      await sim.hangup(plain);
      await sleep(1000);
      await ami.action({ Action: 'QueueSummary' });
    } finally {
      await sim.hangupAll();
      await sim.stop();
    }
  }
  await ami.action({ Action: 'Logoff' });
  await ami.close();
  const counts = new Map<string, number>();
  for (const m of ami.seen) if (m.event) counts.set(m.event, (counts.get(m.event) ?? 0) + 1);
  console.log(`wrote ${ami.bytes} bytes, ${ami.seen.length} messages to ${out}`);
  console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' '));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
