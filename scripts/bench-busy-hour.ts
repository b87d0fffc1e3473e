// Benchmark: a busy hour in a dispatch room, on the real Asterisk pair (the
// bench rig: scripts/lib/bench-rig.ts, its own ports). Desk-phone operators
// answer after a random delay and talk for a random time (wrap-up after
// each call); one overflow mobile takes one call at a time (busy otherwise);
// callers arrive at random (Poisson) on the emergency line and hang up when
// their patience runs out. Everything is drawn from a seeded generator.
//
//   npm run bench:busy-hour -- [--rate 9] [--minutes 3] [--operators 4] [--seed 1]
//     [--answer 1,4] [--talk 8,20] [--patience 20,90] [--mobile-answer 3,8] [--mobile-talk 10,25] [--wrapup 3]
//     [--callback-answer 0.9] [--callback-pickup 2,6] [--callback-retry 30] [--callback-phase 12]
//     (rate: calls per minute; ranges in seconds, drawn uniformly)
//
// Printed, from Pult's call log and callback list for this run's callers
// (each caller number calls once):
//   reached a human within 20 s — answered (console or mobile) with a wait ≤ 20 s, share of placed
//   abandon rate — callers who hung up before anyone answered, share of placed
//   lost callers — placed − (answered + callers with a callback task): must be 0
//   callers logged twice — caller numbers with more than one call record: must be 0
//   callbacks connected within 10 min — after the burst the operators stay on
//     duty and Pult dials the run's callback tasks itself (automatic callbacks);
//     a caller answers a callback with probability --callback-answer (each
//     attempt), after --callback-pickup seconds, and talks --talk; a task
//     counts when it is done as 'connected' within 10 minutes of its call's
//     arrival. Share of the callback tasks created in the run. The phase lasts
//     until every task is done or --callback-phase minutes have passed.
//     PULT_CALLBACK_RETRY_SEC is --callback-retry (default 30 s instead of the
//     product's 120 s, so a caller who did not pick up is tried again within
//     the phase); everything else is the product's default.
import { parseArgs } from 'node:util';
import { api } from './lib/pult-process.js';
import { percentile, procStats, startBenchRig } from './lib/bench-rig.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '9' },
    minutes: { type: 'string', default: '3' },
    operators: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    answer: { type: 'string', default: '1,4' },
    talk: { type: 'string', default: '8,20' },
    patience: { type: 'string', default: '20,90' },
    'mobile-answer': { type: 'string', default: '3,8' },
    'mobile-talk': { type: 'string', default: '10,25' },
    wrapup: { type: 'string', default: '3' },
    'callback-answer': { type: 'string', default: '0.9' },
    'callback-pickup': { type: 'string', default: '2,6' },
    'callback-retry': { type: 'string', default: '30' },
    'callback-phase': { type: 'string', default: '12' },
  },
});

const DID = '74950000001';
const MOBILE = '79990000001';
const range = (s: string): [number, number] => {
  const [a, b] = s.split(',').map(Number);
  return [a!, b ?? a!];
};

// mulberry32: a small seeded generator, so two runs offer the same calls.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(values.seed));
// Callbacks come at times the run decides: their own generator keeps the arrivals the same.
const callbackRandom = generator(Number(values.seed) + 7919);
const between = ([a, b]: [number, number]) => (a + random() * (b - a)) * 1000;

const ratePerMin = Number(values.rate);
const minutes = Number(values.minutes);
const answer = range(values.answer);
const talk = range(values.talk);
const patience = range(values.patience);
const mobileAnswer = range(values['mobile-answer']);
const mobileTalk = range(values['mobile-talk']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface CallItem { id: string; from: string; outcome: string | null; state: string; answeredVia: string | null; waitSec: number | null; direction: string; arrivedAt: string }
interface TaskItem { id: number; callId: string; callerNumber: string; reason: string; status: string; doneReason: string | null; doneAt: string | null; attempts: number }
const callbackAnswer = Number(values['callback-answer']);
const callbackPickup = range(values['callback-pickup']);

const rig = await startBenchRig({
  operators: Number(values.operators),
  // The product's defaults for the line, except the wrap-up the bench sets.
  env: { PULT_OVERFLOW_AFTER_SEC: '20', PULT_RING_TIMEOUT_SEC: '15', PULT_OVERFLOW_TIMEOUT_SEC: '30', PULT_MAX_WAIT_SEC: '300', PULT_WRAPUP_SEC: values.wrapup, PULT_DEMO_DID: DID, PULT_DEMO_MOBILE: MOBILE, PULT_CALLBACK_AUTO: 'on', PULT_CALLBACK_RETRY_SEC: values['callback-retry'] },
});
try {
  const { sim, pult, admin } = rig;
  for (const op of rig.operators) sim.on(op.ext, () => ({ action: 'answer', afterMs: between(answer), hangupAfterMs: between(talk), tone: 'tone:1000' }));
  // One mobile, one call at a time: busy while it talks.
  // A caller Pult calls back (any other number): picks up, or not, as drawn.
  sim.on('*', () => (callbackRandom() < callbackAnswer ? { action: 'answer', afterMs: (callbackPickup[0] + callbackRandom() * (callbackPickup[1] - callbackPickup[0])) * 1000, hangupAfterMs: between(talk), tone: 'tone:500' } : { action: 'ignore' }));
  sim.on(MOBILE, () => (sim.incoming(MOBILE).some((c) => c.answeredAt && !c.endedAt) ? { action: 'reject' } : { action: 'answer', afterMs: between(mobileAnswer), hangupAfterMs: between(mobileTalk), tone: 'tone:700' }));

  const total = Math.round(ratePerMin * minutes);
  const placed: { caller: string; id: string; at: number }[] = [];
  const runTag = String(Date.now() % 1_000_000).padStart(6, '0');
  console.log(`${rig.operators.length} desk-phone operators (answer ${answer.join('–')} s, talk ${talk.join('–')} s, wrap-up ${values.wrapup} s), 1 mobile (answer ${mobileAnswer.join('–')} s, talk ${mobileTalk.join('–')} s)`);
  console.log(`${ratePerMin} calls/min for ${minutes} min (${total} callers, patience ${patience.join('–')} s), seed ${values.seed}`);
  const t0 = Date.now();
  let due = 0;
  for (let i = 0; i < total; i++) {
    due += (-Math.log(1 - random()) * 60_000) / ratePerMin; // exponential gaps: Poisson arrivals
    const wait = t0 + due - Date.now();
    if (wait > 0) await sleep(wait);
    const caller = `7917${runTag}${String(i).padStart(3, '0')}`.slice(0, 13);
    const myPatience = between(patience);
    const id = await sim.call(DID, caller);
    placed.push({ caller, id, at: Date.now() });
    // A caller nobody answered within their patience hangs up.
    setTimeout(() => {
      const c = sim.channels.get(id);
      if (c && !c.answeredAt && !c.endedAt) void sim.hangup(id);
    }, myPatience);
  }
  console.log(`all ${placed.length} calls placed in ${((Date.now() - t0) / 1000).toFixed(0)} s; waiting for the last ones to finish`);
  await sim.until(() => placed.every((p) => sim.channels.get(p.id)?.endedAt), 15 * 60_000, 'every caller to hang up or be hung up');
  const callLog = async () => {
    const r = await api<{ items: CallItem[] }>(pult.url, 'GET', '/api/calls?limit=1000', undefined, admin);
    return r.body.items.filter((c) => placed.some((p) => p.caller === c.from));
  };
  // The callers' own calls (Pult's callbacks to them are outbound calls from the same number).
  const ended = async () => (await callLog()).filter((c) => c.direction === 'inbound');
  let log = await ended();
  for (let i = 0; i < 50 && log.some((c) => c.state !== 'ended'); i++) {
    await sleep(200);
    log = await ended();
  }
  const runTasks = async () => (await api<{ items: TaskItem[] }>(pult.url, 'GET', '/api/callbacks?limit=500', undefined, admin)).body.items
    .filter((t) => placed.some((p) => p.caller === t.callerNumber));
  const tasks = await runTasks();

  const perCaller = new Map<string, CallItem[]>();
  for (const c of log) perCaller.set(c.from, [...(perCaller.get(c.from) ?? []), c]);
  const answered = log.filter((c) => c.outcome === 'answered' || c.outcome === 'overflowed-answered');
  const onMobile = answered.filter((c) => c.outcome === 'overflowed-answered').length;
  const within20 = answered.filter((c) => (c.waitSec ?? Infinity) <= 20).length;
  const abandoned = log.filter((c) => c.outcome === 'abandoned').length;
  const unanswered = log.filter((c) => c.outcome === 'unanswered').length;
  const withTask = new Set(tasks.map((t) => t.callerNumber));
  const covered = new Set([...answered.map((c) => c.from), ...withTask]);
  const lost = placed.filter((p) => !covered.has(p.caller)).length;
  const twice = [...perCaller.values()].filter((cs) => cs.length > 1).length;
  const pct = (n: number) => `${((100 * n) / placed.length).toFixed(1)} %`;
  const waits = answered.map((c) => c.waitSec ?? 0);
  console.log(`placed ${placed.length}; answered ${answered.length} (${onMobile} on the mobile), abandoned ${abandoned}, unanswered ${unanswered}; callback tasks ${tasks.length}`);
  console.log(`reached a human within 20 s: ${within20}/${placed.length} = ${pct(within20)}; answer wait p50 ${percentile(waits, 50).toFixed(1)} s, p95 ${percentile(waits, 95).toFixed(1)} s`);
  console.log(`abandon rate: ${pct(abandoned)}`);
  console.log(`lost callers (placed − answered − with a callback task): ${lost}`);
  console.log(`callers logged twice: ${twice}`);

  // After the burst: operators stay on duty, Pult calls the callers back.
  const burstEnd = Date.now();
  const phaseMs = Number(values['callback-phase']) * 60_000;
  let final = await runTasks();
  while (final.some((t) => t.status !== 'done') && Date.now() - burstEnd < phaseMs) {
    await sleep(2000);
    final = await runTasks();
  }
  const arrived = new Map(log.map((c) => [c.id, Date.parse(c.arrivedAt)]));
  const connected = final.filter((t) => t.doneReason === 'connected' && t.doneAt);
  const delays = connected.map((t) => (Date.parse(t.doneAt!) - (arrived.get(t.callId) ?? NaN)) / 1000).filter((x) => !Number.isNaN(x));
  const in10 = delays.filter((d) => d <= 600).length;
  const outbound = (await callLog()).filter((c) => c.direction === 'outbound');
  const share = final.length ? `${((100 * in10) / final.length).toFixed(1)} %` : 'n/a (no callback tasks)';
  console.log(`callback phase: ${((Date.now() - burstEnd) / 1000).toFixed(0)} s after the burst; ${final.length} tasks, ${connected.length} connected, ${final.filter((t) => t.status !== 'done').length} still open; ${outbound.length} callback calls dialled`);
  console.log(`callbacks connected within 10 min of the call: ${in10}/${final.length} = ${share}; call → connected ${delays.length ? `p50 ${percentile(delays, 50).toFixed(0)} s, p95 ${percentile(delays, 95).toFixed(0)} s, max ${Math.max(...delays).toFixed(0)} s` : '-'}`);
  console.log(`pult: RSS ${procStats(pult.proc.pid!).rssMb.toFixed(0)} MB, CPU ${procStats(pult.proc.pid!).cpuSec.toFixed(1)} s`);
  process.exitCode = lost > 0 || twice > 0 ? 1 : 0;
} finally {
  await rig.stop();
}
