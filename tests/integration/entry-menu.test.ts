// The per-line entry menu against the real Asterisk (issue 15, item 3): a
// call to a line with a menu is answered and hears the prompt (espeak-ng's
// pult/entry-menu); the caller's key moves it to the chosen line, where it
// is queued and offered like any call of that line; with no key it stays
// on the menu's own line after two tries.
import { describe, expect, it } from 'vitest';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { portOffset } from './env.js';
import { deskOperator, pultRigEnv, setState, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const HTTP_PORT = String(8300 + portOffset);

interface CallItem { id: string; from: string; state: string; outcome: string | null; answeredBy: number | null; line: { id: number; name: string } | null; entryMenu: { lineId: number; lineName: string; digit: string | null } | null }

let pult: PultProcess | null = null;

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

/** Pult with the demo data, a planned-work line of company 1, and a menu on the emergency line (1 → itself, 2 → planned). */
async function start(name: string, timeoutSec: number): Promise<{ admin: string; plannedId: number }> {
  pult = await startPultProcess({ ...pultRigEnv(`entry-menu-${name}`, HTTP_PORT), PULT_DEMO_DATA: 'on', PULT_DEMO_DID: DID, PULT_WRAPUP_SEC: '1', PULT_LOG_LEVEL: 'debug' }, `entry-menu-${name}`);
  const admin = await login(pult.url, 'admin', 'demo');
  const planned = await api<{ line: { id: number } }>(pult.url, 'POST', '/api/lines', { name: 'Плановые (меню)', tenantId: 1, priority: 0, announceEverySec: 0 }, admin);
  expect(planned.status).toBe(201);
  const menu = await api(pult.url, 'PUT', '/api/lines/1/entry-menu', { timeoutSec, options: [{ digit: '1', lineId: 1 }, { digit: '2', lineId: planned.body.line.id }] }, admin);
  expect(menu.status).toBe(200);
  return { admin, plannedId: planned.body.line.id };
}

/** The caller hears the menu, nobody has the call yet; key 2: offered to the operator on the planned line, bridged, logged. */
async function callAndPressTwo(admin: string, plannedId: number, opId: number, cards: { caller: string; line: { id: number; name: string } | null }[]): Promise<void> {
  const calls = async () => (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items;
  const caller = '79161140001';
  const leg = await sim.call(DID, caller);
  await sim.until(() => Boolean(sim.channels.get(leg)?.answeredAt), 20_000, 'the PBX to answer for the menu');
  await sleep(1500);
  expect((await sim.rtpStats(leg))!.rxPackets).toBeGreaterThan(20); // the caller hears the prompt
  // In the menu the call is nobody's yet: no operator rings, nothing in the log.
  expect(sim.incoming('1141')).toHaveLength(0);
  expect(cards).toHaveLength(0);
  expect((await calls()).filter((c) => c.from === caller)).toHaveLength(0);

  await sim.dtmf(leg, '2');
  await sim.until(() => sim.incoming('1141').some((c) => c.answeredAt), 20_000, 'the operator to answer the caller');
  const connected = await waitFor('the call connected', async () => (await calls()).find((c) => c.from === caller && c.state === 'connected'), 10_000);
  expect(connected).toMatchObject({ answeredBy: opId, line: { id: plannedId, name: 'Плановые (меню)' }, entryMenu: { lineId: 1, digit: '2' } });
  expect(cards).toEqual([expect.objectContaining({ caller, line: { id: plannedId, name: 'Плановые (меню)' } })]);
  // Bridged: the caller hears the operator's phone (its tone), the menu is over.
  await sleep(2500);
  const before = (await sim.rtpStats(leg))!.rxPackets;
  await sleep(1500);
  expect((await sim.rtpStats(leg))!.rxPackets - before).toBeGreaterThan(40);
  expect(sim.channels.get(leg)!.endedAt).toBeNull();
  await sim.hangup(leg);
  const ended = await waitFor('the call ended', async () => (await calls()).find((c) => c.from === caller && c.state === 'ended'), 10_000);
  expect(ended).toMatchObject({ outcome: 'answered', line: { id: plannedId } });
}

describe('entry menu through the real Asterisk', () => {
  it('the caller presses 2: the call goes to the planned line, is offered to an operator and logged with that line and the key', async () => {
    const { admin, plannedId } = await start('digit', 5);
    const op = await deskOperator(pult!.url, admin, 'desk41', '1141');
    sim.on('1141', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    // The operator's console: the screen pop must show the line the caller chose.
    const { io } = await import('socket.io-client');
    const socket = io(pult!.url, { auth: { token: op.token }, transports: ['websocket'] });
    const cards: { caller: string; line: { id: number; name: string } | null }[] = [];
    socket.on('call.offered', (card: { caller: string; line: { id: number; name: string } | null }) => cards.push(card));
    await new Promise((r) => socket.once('connect', () => r(null)));
    await setState(pult!.url, op.token, 'available');
    try {
      await callAndPressTwo(admin, plannedId, op.id, cards);
    } finally {
      socket.close();
    }
  });


  it('the caller presses nothing: after two tries the call stays on the menu\'s own line and is offered there', async () => {
    const { admin } = await start('no-digit', 1);
    const calls = async () => (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items;
    const op = await deskOperator(pult!.url, admin, 'desk42', '1142');
    sim.on('1142', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    await setState(pult!.url, op.token, 'available');

    const caller = '79161140002';
    const leg = await sim.call(DID, caller);
    await sim.until(() => Boolean(sim.channels.get(leg)?.answeredAt), 20_000, 'the PBX to answer for the menu');
    const answeredAt = Date.now();
    await sim.until(() => sim.incoming('1142').some((c) => c.answeredAt), 60_000, 'the operator to answer the caller');
    // Two prompts of about 6 s and two waits of 1 s came first.
    expect(Date.now() - answeredAt).toBeGreaterThan(10_000);
    const connected = await waitFor('the call connected', async () => (await calls()).find((c) => c.from === caller && c.state === 'connected'), 10_000);
    expect(connected).toMatchObject({ answeredBy: op.id, line: { id: 1 }, entryMenu: { lineId: 1, digit: null } });
  });
});
