// The wallboard socket sends the whole board once, then only what changed
// (`wallboard.patch`, versioned); a client that missed a patch gets the whole
// board again on `wallboard.resync`. Probed from outside: HTTP and socket.io.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { openSocket, sleep, until, type Client } from '../support/security-probes.js';
import { applyWallboardPatch } from '../../src/features/wallboard/patch.js';
import type { WallboardPatch, WallboardSnapshot } from '../../src/features/wallboard/contract.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
const sockets: Client[] = [];

/** The board without what moves with the clock alone (time, seconds in a state / waiting, longest wait, chart). */
function still(b: WallboardSnapshot): unknown {
  const figs = <T extends { longestWaitSec: number }>(f: T) => ({ ...f, longestWaitSec: 0 });
  return {
    ...b, at: '', version: 0, chart: [],
    total: figs(b.total), lines: b.lines.map(figs), tenants: b.tenants.map(figs),
    operators: b.operators.map((o) => ({ ...o, stateSinceSec: 0 })),
    waitingCalls: b.waitingCalls.map((c) => ({ ...c, waitSec: 0 })),
  };
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
});
afterAll(async () => {
  for (const c of sockets) c.close();
  await s.stop();
});

describe('wallboard push: snapshot, then patches', () => {
  it('an operator going available arrives as a patch with that operator only, and the patched board equals a fresh one', async () => {
    const supervisor = await login(s.url, 'supervisor', 'demo');
    const operator = await login(s.url, 'operator', 'demo');
    const me = (await api<{ user?: { id: number }; id?: number }>(s.url, 'GET', '/api/me', undefined, operator)).body;
    const operatorId = me.user?.id ?? me.id!;
    const snaps: WallboardSnapshot[] = [];
    const patches: WallboardPatch[] = [];
    await openSocket(s.url, supervisor, sockets, (c) => {
      c.on('wallboard.snapshot', (x) => snaps.push(x));
      c.on('wallboard.patch', (p) => patches.push(p));
    });
    const first = await until('the snapshot on connect', () => snaps[0]);
    expect(typeof first.version).toBe('number');
    await sleep(400); // a patch the connect may have triggered
    let board = patches.reduce<WallboardSnapshot>((b, p) => applyWallboardPatch(b, p)!, first);
    const seen = patches.length;

    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'available' }, operator)).status).toBe(200);
    const patch = await until('the patch for the operator', () => patches.slice(seen).find((p) => p.operators));
    expect(patch.from).toBe(board.version);
    expect(patch.operators!.upsert!.map((o) => o.userId)).toEqual([operatorId]);
    expect(patch.operators!.upsert![0]!.state).toBe('available');
    expect(patch.waitingCalls).toBeUndefined();
    expect(patch.callbacks).toBeUndefined();
    expect(patch.lines).toBeUndefined();
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(first).length / 2);
    expect(snaps).toHaveLength(1); // no whole board pushed again

    for (const p of patches.slice(seen)) board = applyWallboardPatch(board, p)!;
    expect(board.operators.find((o) => o.userId === operatorId)!.state).toBe('available');
    const fresh = (await api<WallboardSnapshot>(s.url, 'GET', '/api/wallboard', undefined, supervisor)).body;
    expect(still(board)).toEqual(still(fresh));
  });

  it('a client holding another version cannot apply a patch; resync sends the whole board with the current version', async () => {
    const supervisor = await login(s.url, 'supervisor', 'demo');
    const operator = await login(s.url, 'operator2', 'demo');
    const snaps: WallboardSnapshot[] = [];
    const patches: WallboardPatch[] = [];
    const c = await openSocket(s.url, supervisor, sockets, (x) => {
      x.on('wallboard.snapshot', (b) => snaps.push(b));
      x.on('wallboard.patch', (p) => patches.push(p));
    });
    const first = await until('the snapshot on connect', () => snaps[0]);
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'available' }, operator)).status).toBe(200);
    const p = await until('a patch', () => patches.find((x) => x.operators));
    expect(applyWallboardPatch({ ...first, version: -1 }, p)).toBeNull(); // missed one: not applied
    c.emit('wallboard.resync');
    const again = await until('the snapshot on resync', () => snaps[1]);
    expect(again.version).toBe(patches.at(-1)!.version);
    expect(again.operators.some((o) => o.state === 'available')).toBe(true);
  });

  it('operators get neither snapshots nor patches', async () => {
    const operator = await login(s.url, 'operator', 'demo');
    let got = 0;
    await openSocket(s.url, operator, sockets, (c) => {
      c.on('wallboard.snapshot', () => got++);
      c.on('wallboard.patch', () => got++);
    });
    expect((await api(s.url, 'POST', '/api/operators/me/state', { state: 'paused', reason: 'обед' }, operator)).status).toBe(200);
    await sleep(500);
    expect(got).toBe(0);
  });
});
