// SIP trunks configured in Pult, against the real Asterisk (issue 13, item 2
// and its Proof): the simulator's second carrier requires registration with
// digest authentication and sends calls only to a registered contact.
// Before the trunk exists its calls do not reach Pult; with a wrong password
// health shows «rejected»; with the right one «registered», and a call to
// the DID reaches an operator's phone with audio both ways. A line using the
// trunk sends its callbacks out through it, with the line's caller id.
import { describe, expect, it } from 'vitest';
import { api, login, startPultProcess, type PultProcess } from '../../scripts/lib/pult-process.js';
import { pbxAriUrl, portOffset, rigEnv, secrets, simRegisteringCarrier } from './env.js';
import { deskOperator, pultRigEnv, setState, sleep, useSim, waitFor } from './helpers.js';

const DID = '74950000001';
const MOBILE = '79990000001';
const HTTP_PORT = String(8320 + portOffset);

interface CallItem { id: string; from: string; state: string; outcome: string | null; direction: string; answeredBy: number | null }
interface Health { pbx: { connected: boolean }; trunks: { id: number; name: string; mode: string; state: string }[] }

let pult: PultProcess | null = null;
let admin = '';

const sim = useSim(async () => {
  await pult?.kill();
  pult = null;
});

async function start(name: string): Promise<void> {
  pult = await startPultProcess({
    ...pultRigEnv(`trunks-${name}`, HTTP_PORT),
    PULT_DEMO_DATA: 'on',
    PULT_DEMO_DID: DID,
    PULT_DEMO_MOBILE: MOBILE,
    PULT_OVERFLOW_AFTER_SEC: '60',
    PULT_RING_TIMEOUT_SEC: '15',
    PULT_MAX_WAIT_SEC: '120',
    PULT_WRAPUP_SEC: '1',
    // Registration states are read over the PBX's AMI.
    PULT_AMI_PORT: rigEnv.PULT_AMI_PORT!,
    PULT_AMI_PASSWORD: secrets().PULT_AMI_PASSWORD ?? '',
    PULT_LOG_LEVEL: 'debug',
  }, `trunks-${name}`);
  admin = await login(pult.url, 'admin', 'demo');
  await waitFor('Pult connected to the PBX', async () => (await api<Health>(pult!.url, 'GET', '/api/health')).body.pbx.connected, 30_000);
  // Trunks an earlier Pult left on the PBX are removed on connect (this database has none).
  await waitFor('no stale trunk on the PBX', async () => !(await pbxGet<{ resource: string }[]>('/endpoints/PJSIP')).some((e) => e.resource.startsWith('trunk-')), 30_000);
}

const calls = async () => (await api<{ items: CallItem[] }>(pult!.url, 'GET', '/api/calls', undefined, admin)).body.items;
const trunkState = async (id: number) => (await api<Health>(pult!.url, 'GET', '/api/health')).body.trunks.find((t) => t.id === id)?.state;
/** A read from the PBX's own ARI. */
async function pbxGet<T>(p: string): Promise<T> {
  const r = await fetch(`${pbxAriUrl}/ari${p}`, { headers: { authorization: `Basic ${Buffer.from(`pult:${secrets().PULT_ARI_PASSWORD ?? ''}`).toString('base64')}` } });
  return (await r.json()) as T;
}
/** The PBX's channels, to see which endpoint a leg went through. */
const pbxChannelNames = async () => (await pbxGet<{ name: string }[]>('/channels')).map((c) => c.name);

/** A call from the registering carrier: null when the simulator could not even place it (no registered contact). */
async function carrierCall(caller: string): Promise<string | null> {
  return sim.call(DID, caller, 'tone:440', 'pult-reg').then((id) => id, () => null);
}

describe('a registering SIP trunk configured through the API', () => {
  it('no trunk: the carrier\'s call never reaches Pult; wrong password: rejected; right one: registered, and the call reaches the operator with audio', async () => {
    await start('register');
    const op = await deskOperator(pult!.url, admin, 'desk41', '1141');
    sim.on('1141', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    await setState(pult!.url, op.token, 'available');

    // Before: the carrier has nowhere to send the call.
    const before = await carrierCall('79161140001');
    if (before) await sim.until(() => Boolean(sim.channels.get(before)?.endedAt), 15_000, 'the carrier\'s call to fail');
    expect(before ? sim.channels.get(before)!.answeredAt : null).toBeNull();
    expect(sim.incoming('1141')).toHaveLength(0);
    expect(await calls()).toHaveLength(0);

    // A wrong password: the carrier refuses the registration, health says so.
    const created = await api<{ trunk: { id: number; state: string }; provisioned: boolean }>(pult!.url, 'POST', '/api/trunks', {
      name: 'Симулятор (регистрация)', mode: 'register', host: simRegisteringCarrier.host, port: simRegisteringCarrier.port,
      username: simRegisteringCarrier.username, password: 'wrong-password', codecs: ['ulaw', 'alaw'],
    }, admin);
    expect(created.status).toBe(201);
    expect(created.body.provisioned).toBe(true);
    const id = created.body.trunk.id;
    await waitFor('health to show the trunk rejected', async () => (await trunkState(id)) === 'rejected', 30_000);
    const refused = await carrierCall('79161140002');
    if (refused) await sim.until(() => Boolean(sim.channels.get(refused)?.endedAt), 15_000, 'the carrier\'s call to fail');
    expect(await calls()).toHaveLength(0);

    // The right password: registered, and the carrier's call reaches the operator.
    expect((await api(pult!.url, 'PATCH', `/api/trunks/${id}`, { password: simRegisteringCarrier.password }, admin)).status).toBe(200);
    await waitFor('health to show the trunk registered', async () => (await trunkState(id)) === 'registered', 30_000);
    const list = await api<{ items: { id: number; state: string }[] }>(pult!.url, 'GET', '/api/trunks', undefined, admin);
    expect(list.body.items.find((t) => t.id === id)!.state).toBe('registered');

    const leg = await carrierCall('79161140003');
    expect(leg).not.toBeNull();
    await sim.until(() => sim.incoming('1141').some((c) => c.answeredAt), 20_000, 'the operator to answer the carrier\'s call');
    const call = await waitFor('the call connected in Pult', async () => (await calls()).find((c) => c.from === '79161140003' && c.state === 'connected'), 15_000);
    expect(call).toMatchObject({ answeredBy: op.id, direction: 'inbound' });
    expect((await pbxChannelNames()).some((n) => n.startsWith(`PJSIP/trunk-${id}-`))).toBe(true); // it came in through the trunk
    await sleep(3000);
    expect((await sim.rtpStats(leg!))!.rxPackets).toBeGreaterThan(50); // the caller hears the operator
    expect((await sim.rtpStats(sim.incoming('1141')[0]!.id))!.rxPackets).toBeGreaterThan(50); // and the operator the caller
    await sim.hangup(leg!);
    await waitFor('the call ended answered', async () => (await calls()).find((c) => c.id === call.id && c.state === 'ended' && c.outcome === 'answered'), 15_000);

    // Deleted: unregistered from the carrier, gone from health; the carrier's calls fail again.
    expect((await api(pult!.url, 'DELETE', `/api/trunks/${id}`, undefined, admin)).status).toBe(204);
    expect((await api<Health>(pult!.url, 'GET', '/api/health')).body.trunks).toEqual([]);
    const after = await waitFor('the carrier to refuse calls again', async () => {
      const l = await carrierCall('79161140004');
      if (!l) return 'refused';
      await sim.until(() => Boolean(sim.channels.get(l)?.endedAt || sim.channels.get(l)?.answeredAt), 15_000, 'the call to end or be answered');
      return sim.channels.get(l)!.answeredAt ? null : 'failed';
    }, 30_000);
    expect(after).toBeTruthy();
    expect((await calls()).filter((c) => c.from === '79161140004')).toHaveLength(0);
  });

  it('a line using the trunk: its callbacks leave through the trunk showing the line\'s outbound caller id', async () => {
    await start('outbound');
    const op = await deskOperator(pult!.url, admin, 'desk42', '1142');
    const created = await api<{ trunk: { id: number } }>(pult!.url, 'POST', '/api/trunks', {
      name: 'Симулятор', mode: 'register', host: simRegisteringCarrier.host, port: simRegisteringCarrier.port,
      username: simRegisteringCarrier.username, password: simRegisteringCarrier.password,
    }, admin);
    const id = created.body.trunk.id;
    await waitFor('the trunk registered', async () => (await trunkState(id)) === 'registered', 30_000);
    expect((await api(pult!.url, 'PATCH', '/api/lines/1', { trunkId: id, outboundCallerId: '74951112233' }, admin)).status).toBe(200);

    // A caller gives up waiting: a callback task, which Pult dials once the operator is free.
    const caller = '79161140010';
    const leg = await carrierCall(caller);
    await waitFor('the call waiting', async () => (await calls()).find((c) => c.from === caller && c.state !== 'ended'), 15_000);
    await sim.hangup(leg!);
    await waitFor('the call ended', async () => (await calls()).find((c) => c.from === caller && c.state === 'ended'), 15_000);
    sim.on('1142', { action: 'answer', afterMs: 300, tone: 'tone:1000' });
    sim.on(caller, { action: 'answer', afterMs: 1500, tone: 'tone:600' });
    await setState(pult!.url, op.token, 'available');
    await sim.until(() => sim.incoming(caller).length > 0, 30_000, 'Pult to dial the caller back');
    expect(sim.incoming(caller)[0]!.callerNumber).toBe('74951112233');
    await waitFor('the number leg on the trunk', async () => (await pbxChannelNames()).some((n) => n.startsWith(`PJSIP/trunk-${id}-`)), 10_000);
    await sim.until(() => sim.incoming(caller).some((c) => c.answeredAt), 20_000, 'the caller to answer');
    await waitFor('the callback connected', async () => (await calls()).find((c) => c.direction === 'outbound' && c.state === 'connected'), 15_000);
  });
});
