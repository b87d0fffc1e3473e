// Benchmark: the wallboard's realtime push under load. A Pult server (in a
// child process, no Asterisk: the PBX address points nowhere) with N
// supervisor and M operator socket.io clients connected; the child stores
// call rows and emits call events on the CallEvents bus at R new calls per
// second (each then answered, abandoned or overflowed to a mobile, then
// ended) for S seconds. Each supervisor socket holds its board as the page
// does: the `wallboard.snapshot` at connect, then every `wallboard.patch`
// applied to it (a patch that does not apply is a resync, counted).
// Measured: from a call's arrival event to the first moment the patched
// board on each supervisor socket includes it (its `total.offered`),
// p50/p95/p99 over every supervisor socket and call; the bytes pushed; and
// the server's memory. Loopback only; stops by itself.
//
//   npm run bench:wallboard -- [--supervisors 100] [--operators 400] [--rate 20] [--seconds 30]
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/realtime/contract.js';
import type { WallboardSnapshot } from '../src/features/wallboard/contract.js';
import { applyWallboardPatch } from '../src/features/wallboard/patch.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({
  options: {
    supervisors: { type: 'string', default: '100' },
    operators: { type: 'string', default: '400' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '30' },
    server: { type: 'boolean', default: false },
  },
});

type Msg =
  | { type: 'ready'; url: string; supervisors: { token: string; scope: string }[]; operators: string[] }
  | { type: 'arrived'; k: number; lineId: number; at: number }
  | { type: 'mem'; rssMb: number; heapMb: number; maxRssMb: number; maxHeapMb: number; calls: number; events: number }
  | { type: 'go' }
  | { type: 'stop' };

// ---------------------------------------------------------------- server side
async function server(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.js');
  const { startPult } = await import('../src/app.js');
  const { silentLogger } = await import('../src/log.js');
  const { hashPassword } = await import('../src/features/auth/passwords.js');
  const { CallRepository } = await import('../src/features/calls/repository.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-bench-wall-'));
  const config = loadConfig({ PULT_STATE_DIR: dir, PULT_HTTP_PORT: '0', PULT_ARI_URL: 'http://127.0.0.1:9', PULT_ARI_PASSWORD: 'bench-password', PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0', PULT_LOG_LEVEL: 'error' });
  const pult = await startPult(config, { logger: silentLogger });
  const db = pult.db;
  const calls = new CallRepository(db);
  const send = (m: Msg) => process.send!(m);

  // People: sessions written directly (logging 500 people in through scrypt would take most of a minute).
  const hash = hashPassword('bench-pass');
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 3600_000).toISOString();
  const addUser = (login: string, role: string, tenants: number[]) => {
    const id = Number(db.prepare('INSERT INTO users (login, password_hash, role, full_name, created_at) VALUES (?, ?, ?, ?, ?)').run(login, hash, role, `Bench ${login}`, now).lastInsertRowid);
    for (const t of tenants) db.prepare('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)').run(id, t);
    const token = randomBytes(32).toString('base64url');
    db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(createHash('sha256').update(token).digest('hex'), id, now, expires);
    return { id, token };
  };
  const nSup = Number(values.supervisors);
  const nOps = Number(values.operators);
  const scopes = [{ role: 'admin', tenants: [], scope: 'all' }, { role: 'supervisor', tenants: [1], scope: '1' }, { role: 'supervisor', tenants: [2], scope: '2' }];
  const supervisors: { token: string; scope: string }[] = [];
  const operatorTokens: string[] = [];
  const operatorIds: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < nSup; i++) {
      const s = scopes[i % scopes.length]!;
      supervisors.push({ token: addUser(`bsup${i}`, s.role, s.tenants).token, scope: s.scope });
    }
    for (let i = 0; i < nOps; i++) {
      const u = addUser(`bop${i}`, 'operator', i % 2 ? [1, 2] : [1]);
      db.prepare(`INSERT INTO operators (user_id, extension, sip_password, device_kind, presence, state_since, idle_since) VALUES (?, ?, 'x', 'sip', 'available', ?, ?)`).run(u.id, String(30000 + i), now, now);
      operatorTokens.push(u.token);
      operatorIds.push(u.id);
    }
  })();
  send({ type: 'ready', url: `http://127.0.0.1:${pult.port}`, supervisors, operators: operatorTokens });

  let maxRss = 0;
  let maxHeap = 0;
  let emitted = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    maxHeap = Math.max(maxHeap, m.heapUsed);
  }, 250);
  const events = pult.events;
  const emit: typeof events.emit = (...a) => (emitted++, events.emit(...a));
  const later = (ms: number, fn: () => void) => setTimeout(fn, ms);
  const rnd = (a: number, b: number) => a + Math.random() * (b - a);
  const iso = () => new Date().toISOString();

  let k = 0;
  let gen: NodeJS.Timeout | null = null;
  const startLoad = () => {
    const rate = Number(values.rate);
    const total = rate * Number(values.seconds);
    const startAt = Date.now();
    // Paced by the clock (not by the interval's drift): call k is due at startAt + k / rate.
    gen = setInterval(() => {
      while (k < total && Date.now() >= startAt + (k * 1000) / rate) {
        const id = randomBytes(16).toString('hex');
        const lineId = (k % 2) + 1;
        const n = ++k;
        calls.create({ id, lineId, did: `7495000000${lineId}`, callerNumber: `7916${String(n).padStart(7, '0')}`, callerName: null, callerChannelId: `bench-${id}`, arrivedAt: iso() });
        const at = Date.now();
        emit('call.arrived', { callId: id, lineId, did: '', caller: '', at: iso() });
        send({ type: 'arrived', k: n, lineId, at });
        const r = Math.random();
        const op = operatorIds[n % operatorIds.length]!;
        if (r < 0.7) {
          later(rnd(1000, 6000), () => {
            if (calls.connect(id, { bridgeId: `${id}-b`, answeredAt: iso(), answeredBy: op, answeredVia: 'console', answeredChannelId: `${id}-o1`, answeredNumber: '3000' })) {
              emit('call.answered', { callId: id, userId: op, via: 'console', at: iso() });
              later(rnd(3000, 10000), () => calls.end(id, { endedAt: iso(), outcome: 'answered', endReason: 'caller hung up' }) && emit('call.ended', { callId: id, outcome: 'answered', reason: '', at: iso() }));
            }
          });
        } else if (r < 0.85) {
          later(rnd(1000, 10000), () => {
            if (calls.end(id, { endedAt: iso(), outcome: 'abandoned', endReason: 'caller hung up while waiting' })) {
              emit('call.ended', { callId: id, outcome: 'abandoned', reason: '', at: iso() });
              emit('callback.created', { callId: id, caller: '', reason: 'abandoned', at: iso() });
            }
          });
        } else {
          later(3000, () => {
            if (calls.markOverflow(id, iso(), 'timeout')) emit('call.overflowed', { callId: id, reason: 'timeout', at: iso() });
            later(2000, () => {
              if (calls.connect(id, { bridgeId: `${id}-b`, answeredAt: iso(), answeredBy: null, answeredVia: 'mobile', answeredChannelId: `${id}-m1`, answeredNumber: '79990000001' })) {
                emit('call.answered', { callId: id, userId: null, via: 'mobile', at: iso() });
                later(5000, () => calls.end(id, { endedAt: iso(), outcome: 'overflowed-answered', endReason: 'mobile hung up' }) && emit('call.ended', { callId: id, outcome: 'overflowed-answered', reason: '', at: iso() }));
              }
            });
          });
        }
      }
    }, 10);
  };

  process.on('message', (m: Msg) => {
    if (m.type === 'go') startLoad();
    if (m.type === 'stop') {
      if (gen) clearInterval(gen);
      clearInterval(sample);
      const mem = process.memoryUsage();
      send({ type: 'mem', rssMb: mem.rss / 2 ** 20, heapMb: mem.heapUsed / 2 ** 20, maxRssMb: Math.max(maxRss, mem.rss) / 2 ** 20, maxHeapMb: Math.max(maxHeap, mem.heapUsed) / 2 ** 20, calls: k, events: emitted });
      void pult.stop().finally(() => process.exit(0));
    }
  });
}

// ---------------------------------------------------------------- client side
async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--server', ...process.argv.slice(2)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const hardStop = setTimeout(() => {
    console.error('bench did not finish in time; stopping');
    child.kill('SIGKILL');
    process.exit(2);
  }, (Number(values.seconds) + 120) * 1000);
  const next = <T extends Msg['type']>(type: T) => new Promise<Extract<Msg, { type: T }>>((resolve) => {
    const on = (m: Msg) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m as Extract<Msg, { type: T }>);
      }
    };
    child.on('message', on);
  });
  const arrivals: { k: number; lineId: number; at: number }[] = [];
  child.on('message', (m: Msg) => m.type === 'arrived' && arrivals.push(m));

  const ready = await next('ready');
  const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  // Per supervisor socket: when it first saw each scope-local call count.
  const seen: { scope: string; firstSeen: number[] }[] = [];
  const connectOne = (token: string, listen?: (s: Socket<ServerToClientEvents, ClientToServerEvents>) => void) => {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(ready.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(s);
    listen?.(s); // before connecting: the snapshot comes right at connect
    return new Promise<Socket<ServerToClientEvents, ClientToServerEvents>>((resolve, reject) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  };
  let snapshots = 0;
  let patches = 0;
  let resyncs = 0;
  let snapshotBytes = 0;
  let patchBytes = 0;
  const t0 = Date.now();
  for (const sup of ready.supervisors) {
    const rec = { scope: sup.scope, firstSeen: [] as number[] };
    seen.push(rec);
    let board: WallboardSnapshot | null = null;
    // The figure is read from the board as the socket holds it.
    const saw = (b: WallboardSnapshot) => {
      const at = Date.now();
      for (let i = rec.firstSeen.length; i < b.total.offered; i++) rec.firstSeen[i] = at;
    };
    await connectOne(sup.token, (s) => {
    s.on('wallboard.snapshot', (snap) => {
      snapshots++;
      if (snapshots % 50 === 1) snapshotBytes = JSON.stringify(snap).length; // sample the size
      board = snap;
      saw(board);
    });
    s.on('wallboard.patch', (p) => {
      patches++;
      if (patches % 50 === 0) patchBytes += JSON.stringify(p).length; // sampled below
      const next = board ? applyWallboardPatch(board, p) : null;
      if (!next) {
        resyncs++;
        s.emit('wallboard.resync');
        return;
      }
      board = next;
      saw(board);
    });
    });
  }
  await Promise.all(ready.operators.map((t) => connectOne(t)));
  console.log(`${ready.supervisors.length} supervisor + ${ready.operators.length} operator sockets connected in ${Date.now() - t0} ms; ${values.rate} calls/s for ${values.seconds} s`);

  child.send({ type: 'go' } satisfies Msg);
  await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000 + 3000));
  child.send({ type: 'stop' } satisfies Msg);
  const mem = await next('mem');
  for (const s of sockets) s.close();
  clearTimeout(hardStop);

  // Scope-local order of arrivals: the n-th call of a scope raises that scope's `offered` to n.
  const order: Record<string, number[]> = { all: [], '1': [], '2': [] };
  for (const a of arrivals.sort((x, y) => x.k - y.k)) {
    order.all!.push(a.at);
    order[String(a.lineId)]!.push(a.at);
  }
  const delays: number[] = [];
  let missing = 0;
  for (const r of seen) {
    const times = order[r.scope]!;
    times.forEach((emittedAt, i) => {
      const got = r.firstSeen[i];
      if (got === undefined) missing++;
      else delays.push(got - emittedAt);
    });
  }
  const f = (x: number) => x.toFixed(0);
  const sampled = Math.floor(patches / 50);
  console.log(`calls ${mem.calls}, call events ${mem.events}; received: ${snapshots} snapshots (~${(snapshotBytes / 1024).toFixed(1)} KB each), ${patches} patches (~${sampled ? (patchBytes / sampled / 1024).toFixed(2) : '?'} KB each), ${resyncs} resyncs`);
  console.log(`event → updated figure on a supervisor socket (${delays.length} samples, ${missing} missing): p50 ${f(percentile(delays, 50))} ms, p95 ${f(percentile(delays, 95))} ms, p99 ${f(percentile(delays, 99))} ms, max ${f(Math.max(...delays))} ms`);
  console.log(`server memory: RSS ${mem.rssMb.toFixed(0)} MB (max ${mem.maxRssMb.toFixed(0)} MB), heap ${mem.heapMb.toFixed(0)} MB (max ${mem.maxHeapMb.toFixed(0)} MB)`);
  await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  process.exit(missing > 0 ? 1 : 0);
}

if (values.server) void server();
else void main();
