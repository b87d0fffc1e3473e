// Builds the routing core on an in-memory database and a fake PBX.
import { afterEach, beforeEach, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/store/db.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { AuthService } from '../../src/features/auth/service.js';
import { OperatorService } from '../../src/features/operators/service.js';
import { LineRepository, type NewLine } from '../../src/features/lines/repository.js';
import { CallRepository } from '../../src/features/calls/repository.js';
import { RecordingService } from '../../src/features/recordings/service.js';
import { CallRouter, type RouterOptions } from '../../src/features/routing/router.js';
import { Resync } from '../../src/features/routing/resync.js';
import { CallEvents } from '../../src/telephony/events.js';
import { ExternalCallService } from '../../src/features/external-calls/service.js';
import type { VpbxAccount } from '../../src/features/external-calls/accounts.js';
import { FakePbx } from './fake-pbx.js';

/** Fake timers and Date (not promises, so `settle()` still works) for every test of the file, from 2026-11-23 09:00 UTC. */
export function useRoutingClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T09:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

export function routingHarness(lineOverrides: Partial<NewLine> = {}, groupMode: 'sequential' | 'simultaneous' = 'sequential', routerOverrides: Partial<RouterOptions> = {}) {
  const db = openDb(':memory:');
  const pbx = new FakePbx();
  const auth = new AuthService(db, systemClock, 12);
  const operators = new OperatorService(db, systemClock);
  const lines = new LineRepository(db);
  const calls = new CallRepository(db);
  const events = new CallEvents();
  const seen: { type: string; payload: unknown }[] = [];
  for (const type of ['call.arrived', 'call.offered', 'call.answered', 'call.ended', 'call.overflowed', 'callback.created', 'recording.ready'] as const) {
    events.on(type, (p: unknown) => seen.push({ type, payload: p }));
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-rec-'));
  const recordings = new RecordingService(pbx, calls, dir, events, systemClock, silentLogger, [10, 10]);
  const router = new CallRouter(db, pbx, calls, lines, operators, recordings, events, systemClock, silentLogger, { trunkEndpoint: 'carrier', timeZone: 'Europe/Moscow', wrapupSec: 5, retryCooldownMs: 1000, ...routerOverrides });
  const resync = new Resync(pbx, router, calls, lines, operators, recordings, systemClock, silentLogger, { app: 'pult', trunkEndpoint: 'carrier', fallbackTimeoutSec: 30 });

  const tenant = Number(db.prepare("INSERT INTO tenants (name) VALUES ('УК Тест')").run().lastInsertRowid);
  const mobileUser = auth.createUser({ login: 'm1', password: 'secret1', role: 'overflow', fullName: 'Мобильный 1', mobileNumber: '79990000001', tenantIds: [tenant] });
  const group = lines.createOverflowGroup({ name: 'mobiles', mode: groupMode, timeoutSec: 20, members: [{ position: 1, number: '79990000001', userId: mobileUser.id }, { position: 2, number: '79990000002', userId: null }] });
  const line = lines.create({ name: 'Аварийная', tenantId: tenant, dids: ['74950000001'], ringTimeoutSec: 15, overflowAfterSec: 30, overflowGroupId: group.id, maxWaitSec: 300, slThresholdSec: 20, waitTreatment: 'ringback', workingHours: null, isDefault: true, ...lineOverrides });

  const addOperator = (login: string, ext: string, available = true) => {
    const u = auth.createUser({ login, password: 'secret1', role: 'operator', fullName: login, tenantIds: [tenant] });
    operators.create(u.id, { extension: ext, deviceKind: 'sip', staticContact: `sip:${ext}@127.0.0.3:5060` });
    if (available) operators.setPresence(u.id, 'available');
    return u.id;
  };

  // A cloud PBX's webhooks, as the webhook routes apply them (no ARI involved).
  const externalCalls = new ExternalCallService(db, calls, lines, recordings, events, systemClock, silentLogger);
  const vpbxAccount: VpbxAccount = { id: 1, vendor: 'itoolabs', name: 'ВАТС', tenantId: tenant, account: 'vats.test', secrets: {}, lineId: line.id, timeZone: 'Europe/Moscow' };
  /** A cloud-PBX call rings in (itoolabs INCOMING): an open call Pult only observes. */
  const webhookCall = (externalId: string, caller = '79165550000') => {
    externalCalls.apply(vpbxAccount, [{ kind: 'call.incoming', source: 'itoolabs:vats.test', externalId, caller, did: '74950000001', at: new Date().toISOString() }]);
    return calls.byCallerChannel(`ext:itoolabs:vats.test:${externalId}`)!;
  };

  /** Lets queued routing work finish (several rounds: handlers enqueue more). */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await router.idle();
  };

  return { db, pbx, auth, operators, lines, calls, events, seen, router, resync, recordings, line, group, tenant, mobileUser, addOperator, settle, webhookCall };
}
