// Calls the dialplan fallback takes while Pult is down (dialplan/extensions.conf
// [pult-fallback] + [pult-fallback-log]) reach the call log, the recordings and
// the callback list once Pult is back, once each, however often it restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SimController } from '../../scripts/lib/sim-controller.js';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { pbxAriUrl, portOffset, secrets, simAriUrl, stateDir } from './env.js';
import { readWavInfo } from '../../src/features/recordings/wav.js';
import { sleep, waitFor } from './helpers.js';
import { loadConfig } from '../../src/config/index.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8295 + portOffset);
const db = path.join(stateDir, 'pult-fallback-import.sqlite');
// Where Pult reads the PBX's fallback log by default: the rig's sandbox (scripts/asterisk/instance.sh).
const fallbackLog = loadConfig({ PULT_STATE_DIR: stateDir, PULT_ARI_PASSWORD: 'unused-here' }).fallbackCdrFile;

interface CallItem {
  id: string; from: string; outcome: string | null; state: string; answeredVia: string | null; talkSec: number | null;
  recordingUrl: string | null; recording: { state: string; durationSec: number | null } | null; line: { name: string } | null;
}

let sim: SimController;
let pult: PultProcess | null = null;

async function startPult(): Promise<{ url: string; admin: string }> {
  const s = secrets();
  pult = await startPultProcess({
    PULT_HTTP_PORT: HTTP_PORT,
    PULT_STATE_DIR: stateDir,
    PULT_FALLBACK_CDR_FILE: fallbackLog, // test servers import none unless told (scripts/lib/pult-process.ts)
    PULT_DB: db,
    PULT_RECORDINGS_DIR: path.join(stateDir, 'recordings-fallback-import'),
    PULT_ARI_URL: pbxAriUrl,
    PULT_ARI_PASSWORD: s.PULT_ARI_PASSWORD ?? '',
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_LOG_LEVEL: 'debug',
  }, 'fallback-import');
  return { url: pult.url, admin: await login(pult.url, 'admin', 'demo') };
}

async function callsFrom(url: string, admin: string, caller: string): Promise<CallItem[]> {
  const r = await api<{ items: CallItem[] }>(url, 'GET', '/api/calls?limit=500', undefined, admin);
  return r.body.items.filter((c) => c.from === caller);
}

async function tasksFor(url: string, admin: string, caller: string): Promise<{ reason: string; callerNumber: string }[]> {
  const r = await api<{ items: { reason: string; callerNumber: string }[] }>(url, 'GET', '/api/callbacks?limit=200', undefined, admin);
  return r.body.items.filter((t) => t.callerNumber === caller);
}

beforeAll(async () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  rmSync(fallbackLog, { force: true }); // earlier runs' lines (their recordings were moved away)
  sim = new SimController({ url: simAriUrl, user: 'sim', password: secrets().PULT_SIM_ARI_PASSWORD ?? '' });
  await sim.start();
});
afterAll(async () => {
  await sim.hangupAll();
  await pult?.kill();
  await sim.stop();
});

describe('fallback calls are imported when Pult is back', () => {
  it('a call the mobile answered and one the caller abandoned appear once each, with the recording and the callback task', async () => {
    // Unique callers: no call of another test or run can pass for one of these.
    const suffix = String(Date.now()).slice(-6);
    const answeredCaller = `7916${suffix}1`.slice(0, 11);
    const abandonedCaller = `7916${suffix}2`.slice(0, 11);
    expect(answeredCaller).not.toBe(abandonedCaller);

    // Pult is down: Stasis fails and the dialplan fallback rings the mobile.
    sim.on(MOBILE, { action: 'answer', afterMs: 300, tone: 'tone:1000', hangupAfterMs: 2500 });
    const first = await sim.call(DID, answeredCaller);
    await sim.until(() => sim.incoming(MOBILE).some((c) => c.answeredAt), 15_000, 'the mobile to answer the fallback call');
    await sim.until(() => sim.channels.get(first)?.endedAt != null, 15_000, 'the answered fallback call to end');

    sim.on(MOBILE, { action: 'ignore' });
    const ringingBefore = sim.incoming(MOBILE).length;
    const second = await sim.call(DID, abandonedCaller);
    await sim.until(() => sim.incoming(MOBILE).length > ringingBefore, 15_000, 'the mobile to ring for the second call');
    await sleep(1000);
    await sim.hangup(second); // the caller gives up while the mobile rings
    await sim.until(() => sim.channels.get(second)?.endedAt != null, 15_000, 'the abandoned call to end');
    await sleep(1500); // the hangup handler writes its line, MixMonitor closes the file

    // Pult comes back.
    let { url, admin } = await startPult();
    const answered = await waitFor('the answered fallback call in the log', async () => {
      const [c] = await callsFrom(url, admin, answeredCaller);
      return c?.recording?.state === 'stored' ? c : null;
    }, 30_000);
    expect(answered.outcome).toBe('overflowed-answered');
    expect(answered.answeredVia).toBe('mobile');
    expect(answered.state).toBe('ended');
    expect(answered.line?.name).toBeTruthy();
    expect(answered.talkSec).toBeGreaterThan(0);
    expect(answered.recording!.durationSec).toBeGreaterThan(1);

    const [abandoned, ...moreAbandoned] = await callsFrom(url, admin, abandonedCaller);
    expect(moreAbandoned).toEqual([]);
    expect(abandoned?.outcome).toBe('abandoned');
    expect(await tasksFor(url, admin, abandonedCaller)).toMatchObject([{ reason: 'abandoned' }]);
    expect(await tasksFor(url, admin, answeredCaller)).toEqual([]);

    // The recording plays, in parts too.
    const full = await fetch(url + answered.recordingUrl!, { headers: { authorization: `Bearer ${admin}` } });
    expect(full.status).toBe(200);
    const body = Buffer.from(await full.arrayBuffer());
    expect(readWavInfo(body).durationSec).toBeGreaterThan(1);
    const part = await fetch(url + answered.recordingUrl!, { headers: { authorization: `Bearer ${admin}`, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\//);
    expect(Buffer.from(await part.arrayBuffer()).length).toBe(100);

    // Another restart (and so another ARI connect): nothing is imported twice.
    await pult!.kill();
    ({ url, admin } = await startPult());
    await waitFor('ARI connected again', async () => {
      const h = await api<{ pbx?: { connected?: boolean } }>(url, 'GET', '/api/health');
      return h.body.pbx?.connected ?? false;
    }, 30_000);
    expect(await callsFrom(url, admin, answeredCaller)).toHaveLength(1);
    expect(await callsFrom(url, admin, abandonedCaller)).toHaveLength(1);
    expect(await tasksFor(url, admin, abandonedCaller)).toHaveLength(1);
  }, 120_000);
});
