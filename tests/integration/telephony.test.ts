// The telephony core against the real thing: a real Asterisk 22 with the
// project's dialplan/, real SIP calls with audio from the simulator Asterisk
// (carrier, callers, desk phones, mobiles), and the Pult server as a process.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { portOffset, repo, rigEnv, stateDir } from './env.js';
import { execFileSync } from 'node:child_process';
import { readWavInfo } from '../../src/features/recordings/wav.js';
import { deskOperator as provisionDeskOperator, pultRigEnv, setState as setOperatorState, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8290 + portOffset);

interface CallItem {
  id: string; from: string; to: string; outcome: string | null; state: string; answeredBy: number | null; answeredVia: string | null;
  talkSec: number | null; waitSec: number | null; recordingUrl: string | null; recording: { state: string; durationSec: number | null } | null;
  overflowReason: string | null; line: { name: string } | null;
}

let pult: PultProcess | null = null;
let admin = '';

function pultEnv(name: string): Record<string, string> {
  return {
    ...pultRigEnv(name, HTTP_PORT),
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_OVERFLOW_AFTER_SEC: '4',
    PULT_RING_TIMEOUT_SEC: '5',
    PULT_OVERFLOW_TIMEOUT_SEC: '6',
    PULT_WRAPUP_SEC: '1',
    PULT_LOG_LEVEL: 'debug',
  };
}

async function start(name: string, extra: Record<string, string> = {}): Promise<void> {
  pult = await startPultProcess({ ...pultEnv(name), ...extra }, `telephony-${name}`);
  admin = await login(pult.url, 'admin', 'demo');
}

async function calls(): Promise<CallItem[]> {
  const r = await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin);
  return r.body.items;
}

const deskOperator = (loginName: string, ext: string) => provisionDeskOperator(pult!.url, admin, loginName, ext);
const setState = (token: string, state: 'available' | 'offline') => setOperatorState(pult!.url, token, state);

/** RMS level of 16-bit PCM in a WAV, 0..32767. */
function rms(buf: Buffer): number {
  const info = readWavInfo(buf);
  const start = buf.length - info.dataBytes;
  let sum = 0;
  const n = Math.floor(info.dataBytes / 2);
  for (let i = 0; i < n; i++) {
    const s = buf.readInt16LE(start + i * 2);
    sum += s * s;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const r = await fetch(pult!.url + url, { headers: { authorization: `Bearer ${admin}`, ...headers } });
  return { status: r.status, body: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

// Each test sees only its own calls and leaves nothing behind: a caller left
// in the app would be adopted by the next server (as it should be in production).
const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

const neededModules = [
  'res_ari.so', 'res_ari_channels.so', 'res_ari_bridges.so', 'res_ari_recordings.so', 'res_ari_asterisk.so', 'res_ari_events.so',
  'res_stasis.so', 'res_stasis_recording.so', 'res_stasis_snoop.so', 'res_stasis_playback.so', 'res_stasis_answer.so', 'app_stasis.so',
  'res_pjsip.so', 'res_pjsip_session.so', 'chan_pjsip.so', 'res_pjsip_transport_websocket.so', 'res_http_websocket.so', 'res_srtp.so',
  'res_rtp_asterisk.so', 'res_sorcery_memory.so', 'app_mixmonitor.so', 'app_dial.so', 'res_musiconhold.so', 'codec_ulaw.so',
  'codec_alaw.so', 'format_wav.so', 'app_queue.so', 'res_manager_devicestate.so',
];

describe('Asterisk', () => {
  it('runs every module the product needs, without load errors', () => {
    const shown = execFileSync('bash', [path.join(repo, 'scripts/asterisk/pbx.sh'), 'cli', 'module show'], { env: { ...process.env, ...rigEnv }, encoding: 'utf8' });
    const running = new Set(shown.split('\n').filter((l) => /\bRunning\b/.test(l)).map((l) => l.trim().split(/\s+/)[0]));
    expect(neededModules.filter((m) => !running.has(m))).toEqual([]);
    const log = readFileSync(path.join(stateDir, 'asterisk-pbx', 'log', 'console.log'), 'utf8');
    expect(log).not.toMatch(/Error loading module|Declined to load/);
  });
});

describe('inbound calls through the real Asterisk', () => {
  it('an operator answers on their phone: audio both ways, recorded, in the call log', async () => {
    await start('answered');
    const op = await deskOperator('desk1', '1101');
    sim.on('1101', { action: 'answer', afterMs: 500, tone: 'tone:1000' });
    await setState(op.token, 'available');

    const callerLeg = await sim.call(DID, '79161234567');
    await sim.until(() => sim.incoming('1101').some((c) => c.answeredAt), 15_000, 'operator phone to answer');
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.answeredAt), 5000, 'caller leg answered');
    await sleep(3000);
    const callerRtp = await sim.rtpStats(callerLeg);
    const opLeg = sim.incoming('1101')[0]!.id;
    const opRtp = await sim.rtpStats(opLeg);
    expect(callerRtp!.rxPackets).toBeGreaterThan(50); // the caller hears the operator
    expect(callerRtp!.txPackets).toBeGreaterThan(50);
    expect(opRtp!.rxPackets).toBeGreaterThan(50); // the operator hears the caller
    await sim.hangup(callerLeg);

    const call = await waitFor('call ended with a stored recording', async () => {
      const c = (await calls())[0];
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    });
    expect(call).toMatchObject({ from: '79161234567', to: DID, outcome: 'answered', answeredBy: op.id, answeredVia: 'console' });
    expect(call.line?.name).toBe('Аварийная линия');
    expect(call.talkSec!).toBeGreaterThan(2.5);
    expect(Math.abs(call.recording!.durationSec! - call.talkSec!)).toBeLessThan(1.5);

    const file = await download(call.recordingUrl!);
    expect(file.status).toBe(200);
    expect(file.headers.get('accept-ranges')).toBe('bytes');
    expect(rms(file.body)).toBeGreaterThan(500); // tones from both sides, not silence
    const part = await download(call.recordingUrl!, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.body.length).toBe(100);
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\//);

    // The operator is in wrap-up, then available again.
    const me = await waitFor('operator available after wrap-up', async () => {
      const r = await api<{ operator: { state: string } }>(pult!.url, 'GET', '/api/operators/me', undefined, op.token);
      return r.body.operator.state === 'available' ? r.body.operator : null;
    }, 5000);
    expect(me.state).toBe('available');
  });

  it('with nobody logged in the call overflows to the mobile, which answers; recorded', async () => {
    await start('overflow');
    sim.on(MOBILE, { action: 'answer', afterMs: 500, tone: 'tone:1000', hangupAfterMs: 3000 });
    const callerLeg = await sim.call(DID, '79162223344');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.endedAt), 20_000, 'mobile to answer and hang up');
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.endedAt), 5000, 'caller hung up by the PBX');
    const call = await waitFor('overflowed call with recording', async () => {
      const c = (await calls())[0];
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    });
    expect(call).toMatchObject({ outcome: 'overflowed-answered', answeredVia: 'mobile', overflowReason: 'no-operators' });
    expect(call.talkSec!).toBeGreaterThan(2);
    const file = await download(call.recordingUrl!);
    expect(rms(file.body)).toBeGreaterThan(500);
  });

  it('an operator who does not answer: ring timeout, then overflow after the line timeout', async () => {
    await start('ring-timeout');
    const op = await deskOperator('desk2', '1102');
    await setState(op.token, 'available');
    sim.on('1102', { action: 'ignore' });
    sim.on(MOBILE, { action: 'answer', afterMs: 300, hangupAfterMs: 1500 });
    await sim.call(DID, '79163334455');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.endedAt), 25_000, 'overflow mobile answered');
    const call = await waitFor('ended', async () => ((await calls())[0]?.state === 'ended' ? (await calls())[0] : null));
    expect(call).toMatchObject({ outcome: 'overflowed-answered', overflowReason: 'timeout' });
    expect(call.waitSec!).toBeGreaterThan(3.5);
    expect(sim.incoming('1102').length).toBeGreaterThanOrEqual(1);
  });

  it('nobody answers anywhere: at the line\'s maximum wait the caller hears a goodbye, a callback task is left', async () => {
    // The mobile is tried again and again while the caller waits (issue 15); only the maximum wait ends it.
    await start('unanswered', { PULT_MAX_WAIT_SEC: '12' });
    sim.on(MOBILE, { action: 'ignore' });
    const callerLeg = await sim.call(DID, '79164445566');
    await sim.until(() => Boolean(sim.channels.get(callerLeg)?.endedAt), 30_000, 'PBX to end the call');
    const caller = sim.channels.get(callerLeg)!;
    expect(caller.answeredAt).not.toBeNull(); // answered to play the goodbye
    const call = (await calls())[0]!;
    expect(call.outcome).toBe('unanswered');
    const tasks = await api<{ items: { callId: string; reason: string; callerNumber: string }[] }>(pult!.url, 'GET', '/api/callbacks?status=pending', undefined, admin);
    expect(tasks.body.items).toEqual([expect.objectContaining({ callId: call.id, reason: 'unanswered', callerNumber: '79164445566' })]);
  });

  it('a caller who hangs up while waiting is abandoned and gets a callback task', async () => {
    // Pult would dial the task back at once (the operator is free): this test is about the abandon only.
    await start('abandoned', { PULT_CALLBACK_AUTO: 'off' });
    const op = await deskOperator('desk3', '1103');
    await setState(op.token, 'available');
    sim.on('1103', { action: 'ignore' });
    const callerLeg = await sim.call(DID, '79165556677');
    await sim.until(() => sim.incoming('1103').length > 0, 10_000, 'operator phone ringing');
    await sleep(1000);
    await sim.hangup(callerLeg);
    await sim.until(() => sim.incoming('1103').every((c) => c.endedAt), 5000, 'operator phone to stop ringing');
    const call = await waitFor('abandoned', async () => ((await calls())[0]?.outcome === 'abandoned' ? (await calls())[0] : null));
    expect(call.waitSec!).toBeGreaterThan(0.5);
    const tasks = await api<{ items: { reason: string }[] }>(pult!.url, 'GET', '/api/callbacks', undefined, admin);
    expect(tasks.body.items.map((t) => t.reason)).toEqual(['abandoned']);
    const me = await api<{ operator: { state: string } }>(pult!.url, 'GET', '/api/operators/me', undefined, op.token);
    expect(me.body.operator.state).toBe('available');
  });

  it('the server killed while one call is up and one waits: both are handled after restart, nothing counted twice', async () => {
    await start('restart');
    const op = await deskOperator('desk4', '1104');
    await setState(op.token, 'available');
    sim.on('1104', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on(MOBILE, { action: 'answer', afterMs: 300, tone: 'tone:700' });
    const upLeg = await sim.call(DID, '79166667788');
    await sim.until(() => sim.incoming('1104').some((c) => c.answeredAt), 10_000, 'first call answered');
    await sleep(500);
    const waitLeg = await sim.call(DID, '79167778899');
    await waitFor('second call waiting', async () => (await calls()).find((c) => c.from === '79167778899' && c.state === 'waiting'));

    await pult!.kill('SIGKILL');
    await sleep(1000);
    pult = await startPultProcess({ ...pultEnv('restart-unused'), PULT_DB: path.join(stateDir, 'pult-restart.sqlite'), PULT_RECORDINGS_DIR: path.join(stateDir, 'recordings-restart') }, 'telephony-restart');
    admin = await login(pult.url, 'admin', 'demo');

    // The call that was up is still up; the waiting one is re-adopted and overflows to the mobile.
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 20_000, 'waiting call overflowed to mobile after restart');
    expect(sim.channels.get(upLeg)!.endedAt).toBeNull();
    const rtp = await sim.rtpStats(upLeg);
    expect(rtp!.rxPackets).toBeGreaterThan(50);
    await sleep(1000);
    await sim.hangup(upLeg);
    await sim.hangup(waitLeg);
    const all = await waitFor('both calls ended with recordings', async () => {
      const cs = await calls();
      return cs.length === 2 && cs.every((c) => c.state === 'ended' && c.recording?.state === 'stored') ? cs : null;
    });
    const byCaller = new Map(all.map((c) => [c.from, c]));
    expect(byCaller.get('79166667788')).toMatchObject({ outcome: 'answered', answeredBy: op.id });
    expect(byCaller.get('79167778899')).toMatchObject({ outcome: 'overflowed-answered', answeredVia: 'mobile' });
    const tasks = await api<{ items: unknown[] }>(pult!.url, 'GET', '/api/callbacks', undefined, admin);
    expect(tasks.body.items).toHaveLength(0);
  });
});

describe('blind transfer', () => {
  it('an operator hands the caller to another operator: the first leg goes, the second joins, audio and recording go on', async () => {
    await start('transfer');
    const first = await deskOperator('desk7', '1107');
    const second = await deskOperator('desk8', '1108');
    sim.on('1107', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on('1108', { action: 'answer', afterMs: 800, tone: 'tone:700' });
    await setState(first.token, 'available');
    const callerLeg = await sim.call(DID, '79161234567');
    await sim.until(() => sim.incoming('1107').some((c) => c.answeredAt), 10_000, 'first operator answered');
    await sleep(1000);
    const call = (await calls())[0]!;
    const bad = await api(pult!.url, 'POST', `/api/calls/${call.id}/transfer`, { target: '79035550000' }, second.token);
    expect(bad.status).toBe(409); // only the operator talking can transfer
    const r = await api<{ target: string }>(pult!.url, 'POST', `/api/calls/${call.id}/transfer`, { target: '1108' }, first.token);
    expect(r.status).toBe(202);
    await sim.until(() => sim.incoming('1107').every((c) => c.endedAt), 5000, 'first operator released');
    await sim.until(() => sim.incoming('1108').some((c) => c.answeredAt), 10_000, 'second operator answered');
    const before = (await sim.rtpStats(callerLeg))!.rxPackets;
    await sleep(1500);
    expect((await sim.rtpStats(callerLeg))!.rxPackets - before).toBeGreaterThan(40); // the caller hears the second operator
    expect(sim.channels.get(callerLeg)!.endedAt).toBeNull();
    await sim.hangup(callerLeg);
    const ended = await waitFor('transferred call ended with recording', async () => {
      const c = (await calls())[0];
      return c?.state === 'ended' && c.recording?.state === 'stored' ? c : null;
    });
    expect(ended).toMatchObject({ outcome: 'answered', answeredBy: first.id });
    const detail = await api<{ transferTarget: string; offers: { target: string; result: string }[] }>(pult!.url, 'GET', `/api/calls/${call.id}`, undefined, admin);
    expect(detail.body.transferTarget).toBe('1108');
    expect(detail.body.offers.map((o) => [o.target, o.result])).toEqual([['PJSIP/1107', 'answered'], ['PJSIP/1108', 'answered']]);
  });
});

describe('bad input and failures', () => {
  it('a call to an unknown DID goes to the default line and reaches a human', async () => {
    await start('unknown-did');
    sim.on(MOBILE, { action: 'answer', afterMs: 300, hangupAfterMs: 1000 });
    await sim.call('74959999999', '79168889900');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 15_000, 'mobile answered');
    const call = await waitFor('ended', async () => ((await calls())[0]?.state === 'ended' ? (await calls())[0] : null));
    expect(call).toMatchObject({ to: '74959999999', outcome: 'overflowed-answered' });
    expect(readFileSync(pult!.logFile, 'utf8')).toMatch(/call to an unknown DID; routed to the default line/);
  });

  it('an operator whose softphone is not registered: the offer fails, logged, and the call still reaches the mobile', async () => {
    await start('originate-fails');
    const tok = await login(pult!.url, 'operator', 'demo'); // demo operator 1001: WebRTC, not registered
    await setState(tok, 'available');
    sim.on(MOBILE, { action: 'answer', afterMs: 300, hangupAfterMs: 1000 });
    await sim.call(DID, '79169990011');
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 20_000, 'mobile answered');
    const call = await waitFor('ended', async () => ((await calls())[0]?.state === 'ended' ? (await calls())[0] : null));
    expect(call.outcome).toBe('overflowed-answered');
    const detail = await api<{ offers: { targetKind: string; result: string }[] }>(pult!.url, 'GET', `/api/calls/${call.id}`, undefined, admin);
    const opOffers = detail.body.offers.filter((o) => o.targetKind === 'operator');
    expect(opOffers.length).toBeGreaterThan(0);
    expect(opOffers.every((o) => o.result !== 'answered')).toBe(true);
  });

  it('with Pult down, the dialplan fallback still puts the caller through to the overflow mobile', async () => {
    sim.on(MOBILE, { action: 'answer', afterMs: 300, hangupAfterMs: 1000 });
    const before = sim.incoming(MOBILE).length;
    await sim.call(DID, '79160001122');
    await sim.until(() => sim.incoming(MOBILE).length > before && sim.incoming(MOBILE).at(-1)!.answeredAt !== null, 15_000, 'fallback to the mobile');
  });
});

describe('screen pop with the real Asterisk', () => {
  it('a call from a number in the directory pops the card with that account on the right operator’s socket, before the answer', async () => {
    await start('screen-pop');
    const { io } = await import('socket.io-client');
    const target = await deskOperator('desk5', '1105');
    const other = await deskOperator('desk6', '1106');
    sim.on('1105', { action: 'answer', afterMs: 1500, tone: 'tone:1000' });
    const cards: { who: string; card: { callId: string; caller: string; accounts: { accountNumber: string; address: string }[] }; at: number }[] = [];
    const socks = [
      { who: 'desk5', s: io(pult!.url, { auth: { token: target.token }, transports: ['websocket'] }) },
      { who: 'desk6', s: io(pult!.url, { auth: { token: other.token }, transports: ['websocket'] }) },
    ];
    const answeredAt: number[] = [];
    for (const { who, s } of socks) {
      s.on('call.offered', (card) => cards.push({ who, card, at: Date.now() }));
      s.on('call.answered', () => answeredAt.push(Date.now()));
    }
    await Promise.all(socks.map(({ s }) => new Promise((r) => s.once('connect', () => r(null)))));
    await setState(target.token, 'available'); // only desk5 takes calls; desk6 stays offline
    try {
      await sim.call(DID, '79161234567');
      await sim.until(() => sim.incoming('1105').some((c) => c.answeredAt), 15_000, 'operator answered');
      await waitFor('card and answer events', async () => cards.length > 0 && answeredAt.length > 0, 5000);
      expect(cards.map((c) => c.who)).toEqual(['desk5']);
      const card = cards[0]!.card;
      expect(card.caller).toBe('79161234567');
      expect(card.accounts.map((a) => a.accountNumber)).toContain('1000001');
      expect(cards[0]!.at).toBeLessThan(answeredAt[0]!); // on the screen before the answer
    } finally {
      for (const { s } of socks) s.close();
    }
  });
});
