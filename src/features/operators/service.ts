// Operators: their SIP device, their presence and what the system has them
// doing. State lives in the database so a restart keeps the room as it was.
import { stmt } from '../../store/db.js';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import { canTakeCall, effectiveState, type Activity, type OperatorState, type Presence } from '../../domain/operator-state.js';
import type { EndpointSpec } from '../../telephony/ports.js';

export interface Operator {
  userId: number;
  login: string;
  fullName: string;
  extension: string;
  deviceKind: 'webrtc' | 'sip';
  staticContact: string | null;
  presence: Presence;
  pauseReason: string | null;
  activity: Activity;
  activityCallId: string | null;
  state: OperatorState;
  /** Management companies whose lines this operator answers. */
  tenantIds: number[];
  stateSince: string;
  idleSince: string;
  wrapupUntil: string | null;
}

interface Row {
  user_id: number; login: string; full_name: string; extension: string; sip_password: string; device_kind: 'webrtc' | 'sip';
  static_contact: string | null; presence: Presence; pause_reason: string | null; activity: Activity; activity_call_id: string | null;
  state_since: string; idle_since: string; wrapup_until: string | null;
}

const select = `SELECT o.*, u.login, u.full_name FROM operators o JOIN users u ON u.id = o.user_id`;

export class OperatorService extends EventEmitter<{ changed: [Operator] }> {
  constructor(private readonly db: Db, private readonly clock: Clock) {
    super();
  }

  create(userId: number, input: { extension: string; deviceKind: 'webrtc' | 'sip'; staticContact?: string | null; sipPassword?: string }): Operator {
    const now = this.clock.now().toISOString();
    stmt(this.db, 'INSERT INTO operators (user_id, extension, sip_password, device_kind, static_contact, state_since, idle_since) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(userId, input.extension, input.sipPassword ?? randomBytes(12).toString('base64url'), input.deviceKind, input.staticContact ?? null, now, now);
    return this.mustGet(userId);
  }

  /**
   * Creates the user (through `createUser`) and their operator row in one
   * transaction: if either insert fails (a taken login or extension), neither
   * stays. The caller maps constraint errors (uniqueViolation) to a 409.
   */
  createWithUser(createUser: () => { id: number }, input: { extension: string; deviceKind: 'webrtc' | 'sip'; staticContact?: string | null; sipPassword?: string }): Operator {
    return this.db.transaction(() => this.create(createUser().id, input))();
  }

  /**
   * Changes an operator's extension and device (a browser softphone, or a
   * desk phone that registers with its SIP account or sits at a fixed
   * contact); `resetSipPassword` gives the device a new SIP password. A
   * taken extension fails on the unique constraint (the caller maps it to 409).
   */
  updateDevice(userId: number, p: { extension?: string; deviceKind?: 'webrtc' | 'sip'; staticContact?: string | null; resetSipPassword?: boolean }, within?: (before: Operator, after: Operator) => void): Operator {
    const after = this.db.transaction(() => {
      const before = this.mustGet(userId);
      const kind = p.deviceKind ?? before.deviceKind;
      // A browser softphone always registers: no fixed contact.
      const contact = kind === 'webrtc' ? null : p.staticContact !== undefined ? p.staticContact : before.staticContact;
      stmt(this.db, 'UPDATE operators SET extension = ?, device_kind = ?, static_contact = ?, sip_password = CASE WHEN ? THEN ? ELSE sip_password END WHERE user_id = ?')
        .run(p.extension ?? before.extension, kind, contact, p.resetSipPassword ? 1 : 0, randomBytes(12).toString('base64url'), userId);
      const changed = this.mustGet(userId);
      within?.(before, changed);
      return changed;
    })();
    this.emit('changed', after); // after the commit
    return after;
  }

  list(): Operator[] {
    return this.withTenants(stmt(this.db, `${select} ORDER BY o.extension`).all() as Row[]);
  }

  get(userId: number): Operator | null {
    const row = stmt(this.db, `${select} WHERE o.user_id = ?`).get(userId) as Row | undefined;
    return row ? this.toOperator(row) : null;
  }

  mustGet(userId: number): Operator {
    const op = this.get(userId);
    if (!op) throw new Error(`operator ${userId} not found`);
    return op;
  }

  /** SIP credentials for the operator's own softphone (shown to that operator only). */
  sipCredentials(userId: number): { extension: string; password: string } | null {
    const row = stmt(this.db, 'SELECT extension, sip_password FROM operators WHERE user_id = ?').get(userId) as { extension: string; sip_password: string } | undefined;
    return row ? { extension: row.extension, password: row.sip_password } : null;
  }

  endpointSpecs(): EndpointSpec[] {
    return (stmt(this.db, `${select}`).all() as Row[]).map((r) => ({
      id: r.extension,
      password: r.sip_password,
      kind: r.device_kind,
      staticContact: r.static_contact,
      displayName: r.full_name,
    }));
  }

  /** Operators who can be offered a call now, for longest-idle routing. */
  takingCalls(): Operator[] {
    return this.withTenants((stmt(this.db, `${select} ORDER BY o.extension`).all() as Row[]).filter((r) => canTakeCall(r.presence, r.activity)));
  }

  /** How many operators serving this company (null = any) are logged in (any presence but offline). */
  loggedInCount(tenantId: number | null = null): number {
    if (tenantId === null) return stmt(this.db, "SELECT count(*) FROM operators WHERE presence <> 'offline'").pluck().get() as number;
    return stmt(this.db, "SELECT count(*) FROM operators o JOIN user_tenants ut ON ut.user_id = o.user_id WHERE o.presence <> 'offline' AND ut.tenant_id = ?")
      .pluck()
      .get(tenantId) as number;
  }

  setPresence(userId: number, presence: Presence, pauseReason: string | null = null): Operator {
    const now = this.clock.now().toISOString();
    const before = this.mustGet(userId);
    stmt(this.db, 
        `UPDATE operators SET presence = ?, pause_reason = ?,
           idle_since = CASE WHEN ? = 'available' AND presence <> 'available' THEN ? ELSE idle_since END
         WHERE user_id = ?`,
      )
      .run(presence, presence === 'paused' ? pauseReason : null, presence, now, userId);
    return this.touch(before, now);
  }

  setActivity(userId: number, activity: Activity, callId: string | null, wrapupUntil: string | null = null): Operator {
    const now = this.clock.now().toISOString();
    const before = this.mustGet(userId);
    stmt(this.db, 
        `UPDATE operators SET activity = ?, activity_call_id = ?, wrapup_until = ?,
           idle_since = CASE WHEN ? = 'idle' AND activity <> 'idle' THEN ? ELSE idle_since END
         WHERE user_id = ?`,
      )
      .run(activity, callId, wrapupUntil, activity, now, userId);
    return this.touch(before, now);
  }

  private touch(before: Operator, now: string): Operator {
    const after = this.mustGet(before.userId);
    if (after.state !== before.state || after.pauseReason !== before.pauseReason) {
      stmt(this.db, 'UPDATE operators SET state_since = ? WHERE user_id = ?').run(now, before.userId);
      after.stateSince = now;
    }
    this.emit('changed', after);
    return after;
  }

  /** Rows to operators with their companies, read in one query (the dispatcher asks on every round). */
  private withTenants(rows: Row[]): Operator[] {
    if (rows.length <= 1) return rows.map((r) => this.toOperator(r));
    const byUser = new Map<number, number[]>();
    for (const { userId, tenantId } of stmt(this.db, 'SELECT ut.user_id AS userId, ut.tenant_id AS tenantId FROM user_tenants ut JOIN operators o ON o.user_id = ut.user_id ORDER BY ut.tenant_id').all() as { userId: number; tenantId: number }[]) {
      const list = byUser.get(userId);
      if (list) list.push(tenantId);
      else byUser.set(userId, [tenantId]);
    }
    return rows.map((r) => toOperator(r, byUser.get(r.user_id) ?? []));
  }

  private toOperator(r: Row): Operator {
    return toOperator(r, stmt(this.db, 'SELECT tenant_id FROM user_tenants WHERE user_id = ? ORDER BY tenant_id').pluck().all(r.user_id) as number[]);
  }
}

function toOperator(r: Row, tenantIds: number[]): Operator {
  return {
    tenantIds,
    userId: r.user_id,
    login: r.login,
    fullName: r.full_name,
    extension: r.extension,
    deviceKind: r.device_kind,
    staticContact: r.static_contact,
    presence: r.presence,
    pauseReason: r.pause_reason,
    activity: r.activity,
    activityCallId: r.activity_call_id,
    state: effectiveState(r.presence, r.activity),
    stateSince: r.state_since,
    idleSince: r.idle_since,
    wrapupUntil: r.wrapup_until,
  };
}
