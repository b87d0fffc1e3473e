// Issue 13, item 2: what Pult pushes to Asterisk for a trunk (pure), the
// registration states read over AMI, and outbound calls leaving through the
// line's trunk with the line's caller id (fake PBX).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trunkIdOf, trunkObjects } from '../../src/telephony/ari/trunks.js';
import { registrationStates } from '../../src/telephony/ami/registrations.js';
import { AmiMessage } from '../../src/telephony/ami/parser.js';
import type { OriginateRequest, TrunkSpec } from '../../src/telephony/ports.js';
import { routingHarness } from '../support/routing-harness.js';
import { attachCallbacks } from '../../src/features/callbacks/index.js';
import { TrunkRepository } from '../../src/features/trunks/repository.js';
import { outboundRouter } from '../../src/features/trunks/outbound-route.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/clock.js';
import { openDb } from '../../src/store/db.js';
import { AuditLog } from '../../src/features/audit/repository.js';
import { TrunkService } from '../../src/features/trunks/service.js';

const spec: TrunkSpec = {
  id: 3, mode: 'register', host: 'sip.carrier.example', port: 5070, transport: 'udp', codecs: ['alaw', 'g722'],
  username: 'pult1', password: 's3cret', authUsername: null, realm: null, didSource: 'ruri',
};
const byType = (objs: ReturnType<typeof trunkObjects>) => Object.fromEntries(objs.map((o) => [o.type, o.fields]));

describe('trunk objects pushed over ARI', () => {
  it('a registering trunk: auth, aor, endpoint, then a registration whose line parameter leads calls to the endpoint', () => {
    const objs = trunkObjects(spec);
    expect(objs.map((o) => o.type)).toEqual(['auth', 'aor', 'endpoint', 'registration']);
    const o = byType(objs);
    expect(o.auth).toEqual({ auth_type: 'userpass', username: 'pult1', password: 's3cret' });
    expect(o.aor).toMatchObject({ contact: 'sip:sip.carrier.example:5070' });
    expect(o.endpoint).toMatchObject({ transport: 'transport-udp', context: 'from-carrier', allow: 'alaw,g722', aors: 'trunk-3', outbound_auth: 'trunk-3', direct_media: 'no' });
    expect(o.registration).toMatchObject({
      server_uri: 'sip:sip.carrier.example:5070', client_uri: 'sip:pult1@sip.carrier.example:5070', contact_user: 'pult1',
      outbound_auth: 'trunk-3', line: 'yes', endpoint: 'trunk-3', transport: 'transport-udp',
    });
    expect(o.identify).toBeUndefined();
  });

  it('the digest user and realm when they differ from the login; TLS in every URI; the DID from the To header', () => {
    const o = byType(trunkObjects({ ...spec, authUsername: 'digest-user', realm: 'carrier.example', transport: 'tls', didSource: 'to' }));
    expect(o.auth).toEqual({ auth_type: 'userpass', username: 'digest-user', password: 's3cret', realm: 'carrier.example' });
    expect(o.aor!.contact).toBe('sip:sip.carrier.example:5070;transport=tls');
    expect(o.registration!.server_uri).toBe('sip:sip.carrier.example:5070;transport=tls');
    expect(o.endpoint).toMatchObject({ transport: 'transport-tls', context: 'from-trunk-to' });
  });

  it('an IP-identified trunk: no auth, no registration; identified by its host (IPv6 in brackets in URIs)', () => {
    const objs = trunkObjects({ ...spec, mode: 'ip', host: '2001:db8::5', username: null, password: null, didSource: 'diversion' });
    expect(objs.map((o) => o.type)).toEqual(['aor', 'endpoint', 'identify']);
    const o = byType(objs);
    expect(o.identify).toEqual({ endpoint: 'trunk-3', match: '2001:db8::5' });
    expect(o.aor!.contact).toBe('sip:[2001:db8::5]:5070');
    expect(o.endpoint).toMatchObject({ context: 'from-trunk-diversion' });
    expect(o.endpoint!.outbound_auth).toBeUndefined();
  });

  it('object names map back to trunk ids; others are not ours', () => {
    expect(trunkIdOf('trunk-12')).toBe(12);
    expect(trunkIdOf('carrier')).toBeNull();
    expect(trunkIdOf('trunk-1x')).toBeNull();
  });
});

describe('registration states from AMI', () => {
  const detail = (name: string, status: string) => new AmiMessage('event', { Event: 'OutboundRegistrationDetail', ObjectName: name, Status: status });
  it('maps each of our registrations to registered / rejected / unregistered and ignores the rest', () => {
    const states = registrationStates([
      detail('trunk-1', 'Registered'), detail('trunk-2', 'Rejected'), detail('trunk-3', 'Unregistered'), detail('other', 'Registered'),
      new AmiMessage('event', { Event: 'AuthDetail', ObjectName: 'trunk-4' }),
    ]);
    expect([...states]).toEqual([[1, 'registered'], [2, 'rejected'], [3, 'unregistered']]);
  });
});

describe('outbound calls leave through the line\'s trunk', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T09:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function harness(o: { trunk: boolean; outboundCallerId?: string | null; trunkCallerId?: string | null }) {
    let route: ReturnType<typeof outboundRouter> | null = null;
    const h = routingHarness({ overflowGroupId: null }, 'sequential', { trunkOf: (lineId) => route!(lineId).trunk });
    const trunks = new TrunkRepository(h.db);
    const t = trunks.create({ name: 'МТС', mode: 'ip', host: '10.0.0.5', port: 5060, transport: 'udp', codecs: ['alaw'], username: null, password: null, authUsername: null, realm: null, callerId: o.trunkCallerId ?? null, didSource: 'ruri' }, new Date().toISOString());
    if (o.trunk) h.lines.update(h.line.id, { trunkId: t.id, outboundCallerId: o.outboundCallerId ?? null });
    route = outboundRouter({ line: (id) => h.lines.get(id), trunk: (id) => trunks.get(id), defaultTrunk: 'carrier' });
    const cb = attachCallbacks({ db: h.db, pbx: h.pbx, router: h.router, calls: h.calls, lines: h.lines, operators: h.operators, recordings: h.recordings, events: h.events, clock: systemClock, logger: silentLogger },
      { trunkEndpoint: 'carrier', route, auto: false, urgentSec: 120, tickMs: 3_600_000 });
    return { ...h, cb, trunkId: t.id };
  }

  async function clickToCall(h: ReturnType<typeof harness>): Promise<OriginateRequest> {
    const a = h.addOperator('a', '1001');
    const started = await h.router.run('test-call', async () => h.cb.outbound.start({ userId: a, number: '79161234567', taskId: null, lineId: h.line.id }));
    expect(started).toHaveProperty('callId');
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId);
    await h.settle();
    return h.pbx.lastOriginate()!;
  }

  it('the line\'s trunk and outbound caller id', async () => {
    const h = harness({ trunk: true, outboundCallerId: '74951112233', trunkCallerId: '74950000000' });
    expect(await clickToCall(h)).toMatchObject({ endpoint: `PJSIP/79161234567@trunk-${h.trunkId}`, callerId: '74951112233' });
  });

  it('the trunk\'s caller id when the line has none', async () => {
    const h = harness({ trunk: true, trunkCallerId: '74950000000' });
    expect(await clickToCall(h)).toMatchObject({ endpoint: `PJSIP/79161234567@trunk-${h.trunkId}`, callerId: '74950000000' });
  });

  it('no trunk on the line: the default trunk and the line\'s first number, as before', async () => {
    const h = harness({ trunk: false, trunkCallerId: '74950000000' });
    expect(await clickToCall(h)).toMatchObject({ endpoint: 'PJSIP/79161234567@carrier', callerId: '74950000001' });
  });

  it('an overflow mobile of a line with a trunk is rung through that trunk', async () => {
    const h = harness({ trunk: true });
    const group = h.lines.createOverflowGroup({ name: 'g', mode: 'sequential', timeoutSec: 20, members: [{ position: 1, number: '79990000009', userId: null }] });
    h.lines.update(h.line.id, { overflowGroupId: group.id });
    h.pbx.inbound('c1', '74950000001', '79161112233');
    await h.settle();
    expect(h.pbx.lastOriginate()).toMatchObject({ endpoint: `PJSIP/79990000009@trunk-${h.trunkId}`, callerId: '79161112233' });
  });
});

describe('pushing trunks to the PBX', () => {
  it('on (re)connect every trunk is pushed again and the PBX\'s trunks Pult no longer knows are removed', async () => {
    const db = openDb(':memory:');
    const repo = new TrunkRepository(db);
    const t = repo.create({ name: 'МТС', mode: 'ip', host: '10.0.0.5', port: 5060, transport: 'udp', codecs: ['alaw'], username: null, password: null, authUsername: null, realm: null, callerId: null, didSource: 'ruri' }, '2026-11-23T09:00:00Z');
    const done: string[] = [];
    const pbx = {
      connected: true,
      upsertTrunk: async (s: TrunkSpec, o: { restartRegistration: boolean }) => void done.push(`put ${s.id} ${o.restartRegistration}`),
      deleteTrunk: async (id: number) => void done.push(`delete ${id}`),
      provisionedIds: async () => [t.id, 7],
    };
    const service = new TrunkService({ repo, audit: new AuditLog(db, systemClock), clock: systemClock, logger: silentLogger, pbx, registrations: null });
    await service.resync();
    expect(done).toEqual(['delete 7', `put ${t.id} false`]);
    // No AMI: a registering trunk's state is unknown, an ip trunk has none.
    expect(service.health()).toEqual([{ id: t.id, name: 'МТС', mode: 'ip', state: 'not-applicable' }]);
  });
});
