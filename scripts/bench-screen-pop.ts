// Benchmark: time from a call reaching Asterisk (the carrier's INVITE is
// sent) to `call.offered` received by the operator's socket.io client,
// p50/p95/p99, with 1 and with 20 calls arriving at once.
//
//   npm run bench:screen-pop -- [--concurrency 1,20] [--rounds 10]
//
// The npm script runs the compiled server (`npm run build`, PULT_SERVER=build), as `npm start` does;
// `tsx scripts/bench-screen-pop.ts` without PULT_SERVER runs the sources through tsx.
// Operators are desk phones on the simulator that never answer (the card is
// what is measured); each call is hung up after its card arrived.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { CallCard, ServerToClientEvents } from '../src/realtime/contract.js';
import { percentile, procStats, startBenchRig } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '1,20' }, rounds: { type: 'string', default: '10' } } });
const levels = values.concurrency.split(',').map(Number);
const rounds = Number(values.rounds);
const maxConc = Math.max(...levels);

// The operators' desk phones never answer (the card is what is measured) and
// every caller hangs up after their card: without these two, each abandoned
// call becomes a callback task Pult dials to the (never answering) operators,
// who are then auto-paused for missing offers, and later callers find nobody.
const rig = await startBenchRig({ operators: maxConc, env: { PULT_CALLBACK_AUTO: 'off', PULT_AUTO_PAUSE_AFTER_MISSED: '0' } });
const sockets: Socket<ServerToClientEvents>[] = [];
try {
  const cards = new Map<string, number>(); // caller number → when its card arrived
  for (const op of rig.operators) {
    const s: Socket<ServerToClientEvents> = io(rig.pult.url, { auth: { token: op.token }, transports: ['websocket'] });
    s.on('call.offered', (card: CallCard) => cards.set(card.caller, Date.now()));
    sockets.push(s);
  }
  await Promise.all(sockets.map((s) => (s.connected ? null : new Promise((r) => s.once('connect', () => r(null))))));
  rig.sim.on('*', { action: 'ignore' });
  console.log(`${rig.operators.length} operators with sockets; ${rounds} rounds per level`);
  console.log('"PBX" = from the channel creation on the PBX (Asterisk timestamp); "carrier" = from the simulator sending the call');
  console.log('"pult CPU/call" = the Pult process\'s CPU time over the level divided by its calls (arrival, card, hang-up): less sensitive to a busy machine than the delays');
  console.log('concurrent | calls | PBX → card p50 ms | p95 | p99 | max | carrier → card p50 | p95 | missing | pult CPU/call ms | PBX CPU/call ms | pult rss MB | load avg (1 min)');
  let n = 0;
  for (const conc of levels) {
    const delays: number[] = [];
    const fromCarrier: number[] = [];
    const measured: { caller: string; atPbx: number; got: number }[] = [];
    let missing = 0;
    const cpuBefore = procStats(rig.pult.proc.pid!).cpuSec;
    const pbxCpuBefore = procStats(rig.pbxPid).cpuSec;
    for (let round = 0; round < rounds; round++) {
      const placed = await Promise.all(
        Array.from({ length: conc }, async () => {
          const caller = `7915${String(++n).padStart(7, '0')}`;
          const at = Date.now();
          const id = await rig.sim.call('74950000001', caller);
          return { caller, at, id };
        }),
      );
      const deadline = Date.now() + 10_000;
      // Both ends of each measurement: the card, and the PBX's own timestamp (its observer's event can come after a fast card).
      while (Date.now() < deadline && placed.some((p) => !cards.has(p.caller) || !rig.pbxArrivals.has(p.caller))) await new Promise((r) => setTimeout(r, 5));
      for (const p of placed) {
        const got = cards.get(p.caller);
        const atPbx = rig.pbxArrivals.get(p.caller);
        if (got === undefined || atPbx === undefined) missing++;
        else {
          delays.push(got - atPbx);
          fromCarrier.push(got - p.at);
          measured.push({ caller: p.caller, atPbx, got });
        }
      }
      await Promise.all(placed.map((p) => rig.sim.hangup(p.id)));
      await new Promise((r) => setTimeout(r, 700)); // operators back to available
    }
    const f = (x: number) => x.toFixed(1);
    const after = procStats(rig.pult.proc.pid!);
    const cpuPerCall = ((after.cpuSec - cpuBefore) * 1000) / (conc * rounds);
    const pbxCpuPerCall = ((procStats(rig.pbxPid).cpuSec - pbxCpuBefore) * 1000) / (conc * rounds);
    const phases = splitPhases(measured);
    console.log([conc, delays.length + missing, f(percentile(delays, 50)), f(percentile(delays, 95)), f(percentile(delays, 99)), f(Math.max(...delays)), f(percentile(fromCarrier, 50)), f(percentile(fromCarrier, 95)), missing, f(cpuPerCall), f(pbxCpuPerCall), after.rssMb.toFixed(0), loadavg()[0]!.toFixed(1)].join(' | '));
    if (phases) console.log(`   phases p50/p95 ms: channel created → StasisStart ${phases.pbx}; StasisStart → read by Pult ${phases.transport}; read by Pult → card at the client ${phases.pult}`);
  }
} finally {
  for (const s of sockets) s.close();
  await rig.stop();
}

/**
 * Where each delay went, from Pult's "call arrived" log lines (pbxMs: the
 * channel's creation to the PBX's StasisStart; transportMs: StasisStart to
 * Pult reading it): the rest, up to the card at the client, is Pult's.
 */
function splitPhases(measured: { caller: string; atPbx: number; got: number }[]): { pbx: string; transport: string; pult: string } | null {
  const arrived = new Map<string, { pbxMs: number; transportMs: number }>();
  for (const line of readFileSync(rig.pult.logFile, 'utf8').split('\n')) {
    if (!line.includes('"call arrived"')) continue;
    const e = JSON.parse(line) as { caller?: string; pbxMs?: number | null; transportMs?: number | null };
    if (e.caller && typeof e.pbxMs === 'number' && typeof e.transportMs === 'number') arrived.set(e.caller, { pbxMs: e.pbxMs, transportMs: e.transportMs });
  }
  const pbx: number[] = [];
  const transport: number[] = [];
  const pult: number[] = [];
  for (const m of measured) {
    const a = arrived.get(m.caller);
    if (!a) continue;
    pbx.push(a.pbxMs);
    transport.push(a.transportMs);
    pult.push(m.got - (m.atPbx + a.pbxMs + a.transportMs));
  }
  if (pult.length === 0) return null;
  const pp = (xs: number[]) => `${percentile(xs, 50).toFixed(0)}/${percentile(xs, 95).toFixed(0)}`;
  return { pbx: pp(pbx), transport: pp(transport), pult: pp(pult) };
}
