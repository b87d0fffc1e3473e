// Demo data loaded on the first start of an empty database: one management
// company, an emergency line on a documented DID, an overflow group with a
// documented mobile number, and people — nobody logged in, so a call to the
// demo DID overflows to the mobile after the line's overflow timeout.
import type { Db } from '../../store/db.js';
import type { AuthService } from '../auth/service.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';

export interface DemoOptions {
  password: string;
  did: string;
  mobile: string;
  overflowAfterSec: number;
  ringTimeoutSec: number;
  overflowTimeoutSec: number;
  /** Both lines: goodbye and a callback task after this long unanswered (default 300). */
  maxWaitSec?: number;
  /** Both lines: ring a mobile that did not take the call again after this long (default 15). */
  mobileRetrySec?: number;
  /** Both lines: callbacks due N min after the call, N attempts, N s apart (defaults 10, 3, 120). */
  callback?: { dueMin: number; attempts: number; retrySec: number };
  /** Both lines: waiting callers hear their place and "press 1" every N s; 0 = off (default 30). */
  announceEverySec?: number;
}

export function isEmpty(db: Db): boolean {
  return (db.prepare('SELECT count(*) FROM users').pluck().get() as number) === 0;
}

export function seedDemo(db: Db, auth: AuthService, lines: LineRepository, operators: OperatorService, o: DemoOptions): void {
  db.transaction(() => {
    const tenant = Number(db.prepare('INSERT INTO tenants (name) VALUES (?)').run('УК «Северный квартал»').lastInsertRowid);
    const tenant2 = Number(db.prepare('INSERT INTO tenants (name) VALUES (?)').run('ТСЖ «Рассвет»').lastInsertRowid);
    auth.createUser({ login: 'admin', password: o.password, role: 'admin', fullName: 'Администратор' });
    auth.createUser({ login: 'supervisor', password: o.password, role: 'supervisor', fullName: 'Старший диспетчер Смирнова О. В.', tenantIds: [tenant, tenant2] });
    const op1 = auth.createUser({ login: 'operator', password: o.password, role: 'operator', fullName: 'Диспетчер Иванова А. П.', tenantIds: [tenant, tenant2] });
    operators.create(op1.id, { extension: '1001', deviceKind: 'webrtc' });
    const op2 = auth.createUser({ login: 'operator2', password: o.password, role: 'operator', fullName: 'Диспетчер Петров С. И.', tenantIds: [tenant] });
    operators.create(op2.id, { extension: '1002', deviceKind: 'webrtc' });
    const mobile = auth.createUser({ login: 'mobile', password: o.password, role: 'overflow', fullName: 'Дежурный мастер Кузнецов Д. А.', mobileNumber: o.mobile, tenantIds: [tenant] });
    const group = lines.createOverflowGroup({ name: 'Дежурные мобильные', mode: 'sequential', timeoutSec: o.overflowTimeoutSec, members: [{ position: 1, number: o.mobile, userId: mobile.id }] });
    lines.create({
      name: 'Аварийная линия',
      tenantId: tenant,
      dids: [o.did],
      ringTimeoutSec: o.ringTimeoutSec,
      overflowAfterSec: o.overflowAfterSec,
      overflowGroupId: group.id,
      maxWaitSec: o.maxWaitSec ?? 300,
      mobileRetrySec: o.mobileRetrySec ?? 15,
      callbackDueMin: o.callback?.dueMin, callbackAttempts: o.callback?.attempts, callbackRetrySec: o.callback?.retrySec, announceEverySec: o.announceEverySec,
      priority: 10, // emergencies before planned work
      slThresholdSec: 20,
      waitTreatment: 'ringback',
      workingHours: null,
      isDefault: true,
    });
    lines.create({
      name: 'Плановые работы',
      tenantId: tenant2,
      dids: [o.did.slice(0, -1) + String((Number(o.did.slice(-1)) + 1) % 10)],
      ringTimeoutSec: o.ringTimeoutSec,
      overflowAfterSec: o.overflowAfterSec * 2,
      overflowGroupId: group.id,
      maxWaitSec: o.maxWaitSec ?? 300,
      mobileRetrySec: o.mobileRetrySec ?? 15,
      callbackDueMin: o.callback?.dueMin, callbackAttempts: o.callback?.attempts, callbackRetrySec: o.callback?.retrySec, announceEverySec: o.announceEverySec,
      slThresholdSec: 60,
      waitTreatment: 'moh',
      workingHours: { mon: ['08:00', '20:00'], tue: ['08:00', '20:00'], wed: ['08:00', '20:00'], thu: ['08:00', '20:00'], fri: ['08:00', '20:00'], sat: null, sun: null },
      isDefault: false,
    });
  })();
}
