// Benchmark: ramps concurrent inbound calls through the real Asterisk and
// Pult, and prints calls per second sustained, p50/p95/p99 from call arrival
// to the operator's phone ringing, lost calls, and Pult's CPU and memory.
//
//   npm run bench:calls -- [--steps 5,10,20,40] [--talk 3] [--operators 40]
//
// Uses its own state folder (var/bench) and the test rig's ports; the
// simulator Asterisk plays carrier, callers and the operators' desk phones
// (which answer after 200 ms). Everything stays on loopback and stops itself.
import { parseArgs } from 'node:util';
import { api } from './lib/pult-process.js';
import { percentile as pct, procStats, startBenchRig } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '5,10,20,40' }, talk: { type: 'string', default: '3' }, operators: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' } } });
const steps = values.steps.split(',').map(Number);
const talkMs = Number(values.talk) * 1000;
const opCount = Number(values.operators);
const rounds = Number(values.rounds);

const rig = await startBenchRig({ operators: opCount });
const { pult, sim, admin } = rig;
try {
  sim.on('*', { action: 'answer', afterMs: 200, tone: 'tone:1000' });
  console.log(`operators: ${opCount} desk phones answering after 200 ms; talk ${talkMs / 1000} s; ${rounds} rounds per step`);
  console.log('ring = from the call\'s channel created on the PBX to the INVITE reaching the operator\'s phone');
  console.log('concurrent | calls | calls/s | ring p50 ms | p95 | p99 | lost | pult cpu % | pult rss MB');

  let placedTotal = 0;
  for (const conc of steps) {
    const before = procStats(pult.proc.pid!);
    const t0 = Date.now();
    const ringDelays: number[] = [];
    let placed = 0;
    for (let round = 0; round < rounds; round++) {
      // A burst: N callers dial at once.
      const legs = await Promise.all(
        Array.from({ length: conc }, async () => {
          const caller = `7916${String(placedTotal + placed++).padStart(7, '0')}`;
          return { caller, id: await sim.call('74950000001', caller) };
        }),
      );
      const ringing = (caller: string) => [...sim.channels.values()].find((c) => c.role === 'incoming' && c.callerNumber === caller);
      await sim.until(() => legs.every((l) => ringing(l.caller)), 30_000, `${conc} operator phones ringing`);
      // Arrival = the call's channel created on the PBX; ringing = the INVITE reached the operator's phone.
      for (const l of legs) {
        const arrived = rig.pbxArrivals.get(l.caller);
        if (arrived !== undefined) ringDelays.push(ringing(l.caller)!.createdAt - arrived);
      }
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
    // GET /api/callbacks is paged: walk every page.
    const cb = { body: { items: [] as unknown[] } };
    for (let before: number | null = null, first = true; first || before !== null; first = false) {
      const page: { body: { items: unknown[]; next: number | null } } = await api(pult.url, 'GET', `/api/callbacks?limit=500${before !== null ? `&before=${before}` : ''}`, undefined, admin);
      cb.body.items.push(...page.body.items);
      before = page.body.next;
    }
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
  await rig.stop();
}
