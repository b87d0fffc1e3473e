// Lines (queues): which DIDs they answer, how long to ring, when to
// overflow and to whom.
import { stmt } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import { workingHoursSchema, type Holiday, type WorkingHours } from '../../domain/working-hours.js';
import type { EntryMenu } from '../../domain/entry-menu.js';

export interface OverflowGroup {
  id: number;
  name: string;
  mode: 'sequential' | 'simultaneous';
  timeoutSec: number;
  members: { position: number; number: string; userId: number | null }[];
}

export interface Line {
  id: number;
  name: string;
  tenantId: number | null;
  dids: string[];
  ringTimeoutSec: number;
  overflowAfterSec: number;
  overflowGroupId: number | null;
  /** Nobody took the call within this long: goodbye and a callback task (default 300, the 5-minute rule). */
  maxWaitSec: number;
  /** Higher is served first (emergency before planned); default 0. */
  priority: number;
  /** A mobile that did not take the call is rung again after this long while the caller waits; default 15. */
  mobileRetrySec: number;
  /** A callback task is due this long after the caller's first call (default 10, the 10-minute rule). */
  callbackDueMin: number;
  /** Numbers Pult dials for a task before leaving it to people (default 3). */
  callbackAttempts: number;
  /** No automatic attempt sooner than this after the last one (default 120). */
  callbackRetrySec: number;
  /** Waiting callers hear their place and "press 1 for a callback" this often; 0 = never (default 30). */
  announceEverySec: number;
  slThresholdSec: number;
  waitTreatment: 'ringback' | 'moh';
  workingHours: WorkingHours | null;
  /** Dates that override the week: closed, or shortened hours (set through setHolidays). */
  holidays: Holiday[];
  isDefault: boolean;
  /** Outbound calls of this line leave through this SIP trunk (null: the PBX's default trunk). */
  trunkId: number | null;
  /** The number shown on this line's outbound calls (null: the trunk's, else the line's first DID). */
  outboundCallerId: string | null;
}

interface LineRow {
  id: number; name: string; tenant_id: number | null; ring_timeout_sec: number; overflow_after_sec: number; overflow_group_id: number | null;
  max_wait_sec: number; priority: number; mobile_retry_sec: number; callback_due_min: number; callback_attempts: number; callback_retry_sec: number; announce_every_sec: number; sl_threshold_sec: number; wait_treatment: 'ringback' | 'moh'; working_hours: string | null; is_default: number;
  trunk_id: number | null; outbound_caller_id: string | null;
}

type LineDefaults = 'priority' | 'mobileRetrySec' | 'callbackDueMin' | 'callbackAttempts' | 'callbackRetrySec' | 'announceEverySec' | 'trunkId' | 'outboundCallerId' | 'holidays';
export type LinePatch = Partial<Pick<Line, 'name' | 'tenantId' | 'dids' | 'ringTimeoutSec' | 'overflowAfterSec' | 'overflowGroupId' | 'maxWaitSec' | 'priority' | 'slThresholdSec' | 'waitTreatment' | 'announceEverySec' | 'workingHours' | 'trunkId' | 'outboundCallerId'>>;
export type NewLine = Omit<Line, 'id' | LineDefaults> & Partial<Pick<Line, LineDefaults>>;

export class LineRepository {
  /** Lines change rarely and only through this class: read them once. */
  private cache = new Map<number, Line>();

  constructor(private readonly db: Db) {}

  create(l: NewLine): Line {
    const id = this.db.transaction(() => {
      const info = stmt(this.db, 
          `INSERT INTO lines (name, tenant_id, ring_timeout_sec, overflow_after_sec, overflow_group_id, max_wait_sec, priority, mobile_retry_sec, sl_threshold_sec, wait_treatment, working_hours, is_default,
                              callback_due_min, callback_attempts, callback_retry_sec, announce_every_sec, trunk_id, outbound_caller_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(l.name, l.tenantId, l.ringTimeoutSec, l.overflowAfterSec, l.overflowGroupId, l.maxWaitSec, l.priority ?? 0, l.mobileRetrySec ?? 15, l.slThresholdSec, l.waitTreatment, l.workingHours ? JSON.stringify(l.workingHours) : null, l.isDefault ? 1 : 0,
          l.callbackDueMin ?? 10, l.callbackAttempts ?? 3, l.callbackRetrySec ?? 120, l.announceEverySec ?? 30, l.trunkId ?? null, l.outboundCallerId ?? null);
      const lineId = Number(info.lastInsertRowid);
      const did = stmt(this.db, 'INSERT INTO line_dids (did, line_id) VALUES (?, ?)');
      for (const d of l.dids) did.run(d, lineId);
      if (l.holidays?.length) this.setHolidays(lineId, l.holidays);
      return lineId;
    })();
    this.cache.clear();
    return this.get(id)!;
  }

  /** Changes a line's settings and (when given) replaces its numbers; the cache is dropped so the next call sees the change. */
  update(id: number, p: LinePatch): Line | null {
    const cols: [keyof LinePatch, string][] = [['name', 'name'], ['tenantId', 'tenant_id'], ['ringTimeoutSec', 'ring_timeout_sec'], ['overflowAfterSec', 'overflow_after_sec'], ['overflowGroupId', 'overflow_group_id'],
      ['maxWaitSec', 'max_wait_sec'], ['priority', 'priority'], ['slThresholdSec', 'sl_threshold_sec'], ['waitTreatment', 'wait_treatment'], ['announceEverySec', 'announce_every_sec'], ['workingHours', 'working_hours'],
      ['trunkId', 'trunk_id'], ['outboundCallerId', 'outbound_caller_id']];
    const set = cols.filter(([k]) => p[k] !== undefined);
    const found = this.db.transaction(() => {
      if (!stmt(this.db, 'SELECT 1 FROM lines WHERE id = ?').get(id)) return false;
      if (set.length) {
        const values = set.map(([k]) => (k === 'workingHours' ? (p.workingHours ? JSON.stringify(p.workingHours) : null) : (p[k] as string | number | null)));
        stmt(this.db, `UPDATE lines SET ${set.map(([, c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
      }
      if (p.dids) {
        stmt(this.db, 'DELETE FROM line_dids WHERE line_id = ?').run(id);
        const did = stmt(this.db, 'INSERT INTO line_dids (did, line_id) VALUES (?, ?)');
        for (const d of p.dids) did.run(d, id);
      }
      return true;
    })();
    this.cache.clear();
    return found ? this.get(id) : null;
  }

  /** Replaces a line's holidays (sorted by date); the cache is dropped so the next call sees them. */
  setHolidays(id: number, holidays: readonly Holiday[]): Holiday[] {
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM line_holidays WHERE line_id = ?').run(id);
      const add = stmt(this.db, 'INSERT INTO line_holidays (line_id, day, opens, closes, note) VALUES (?, ?, ?, ?, ?)');
      for (const h of holidays) add.run(id, h.date, h.hours?.[0] ?? null, h.hours?.[1] ?? null, h.note);
    })();
    this.cache.clear();
    return this.holidays(id);
  }

  holidays(id: number): Holiday[] {
    const rows = stmt(this.db, 'SELECT day, opens, closes, note FROM line_holidays WHERE line_id = ? ORDER BY day').all(id) as { day: string; opens: string | null; closes: string | null; note: string }[];
    return rows.map((r) => ({ date: r.day, hours: r.opens !== null && r.closes !== null ? [r.opens, r.closes] : null, note: r.note }));
  }

  /** The line that answers a number now, other than `exceptLineId` (for a uniqueness check). */
  didOwner(did: string, exceptLineId: number | null): number | null {
    return (stmt(this.db, 'SELECT line_id FROM line_dids WHERE did = ? AND line_id IS NOT ?').pluck().get(did, exceptLineId) as number | undefined) ?? null;
  }

  get(id: number): Line | null {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = stmt(this.db, 'SELECT * FROM lines WHERE id = ?').get(id) as LineRow | undefined;
    const line = row ? this.toLine(row) : null;
    if (line) this.cache.set(id, line);
    return line;
  }

  /** Every line, through the same cache as get() (the card asks for this on every call). */
  list(): Line[] {
    return (stmt(this.db, 'SELECT id FROM lines ORDER BY id').pluck().all() as number[]).map((id) => this.get(id)!);
  }

  findByDid(did: string): Line | null {
    const row = stmt(this.db, 'SELECT l.* FROM lines l JOIN line_dids d ON d.line_id = l.id WHERE d.did = ?').get(did) as LineRow | undefined;
    return row ? this.toLine(row) : null;
  }

  defaultLine(): Line | null {
    const row = stmt(this.db, 'SELECT * FROM lines WHERE is_default = 1 ORDER BY id LIMIT 1').get() as LineRow | undefined;
    return row ? this.toLine(row) : null;
  }

  /** The line's entry menu, or null when calls to it go straight to the queue. */
  entryMenu(lineId: number): EntryMenu | null {
    const m = stmt(this.db, 'SELECT prompt, timeout_sec AS timeoutSec FROM line_entry_menus WHERE line_id = ?').get(lineId) as { prompt: string; timeoutSec: number } | undefined;
    if (!m) return null;
    const options = stmt(this.db, 'SELECT digit, target_line_id AS lineId FROM line_entry_menu_options WHERE line_id = ? ORDER BY digit').all(lineId) as EntryMenu['options'];
    return { prompt: JSON.parse(m.prompt) as string[], timeoutSec: m.timeoutSec, options };
  }

  /** Sets (or with null removes) the line's entry menu; checked by the caller (domain/entry-menu.ts). */
  setEntryMenu(lineId: number, menu: EntryMenu | null): void {
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM line_entry_menus WHERE line_id = ?').run(lineId);
      if (!menu) return;
      stmt(this.db, 'INSERT INTO line_entry_menus (line_id, prompt, timeout_sec) VALUES (?, ?, ?)').run(lineId, JSON.stringify(menu.prompt), menu.timeoutSec);
      const opt = stmt(this.db, 'INSERT INTO line_entry_menu_options (line_id, digit, target_line_id) VALUES (?, ?, ?)');
      for (const o of menu.options) opt.run(lineId, o.digit, o.lineId);
    })();
  }

  createOverflowGroup(g: Omit<OverflowGroup, 'id'>): OverflowGroup {
    const id = this.db.transaction(() => {
      const info = stmt(this.db, 'INSERT INTO overflow_groups (name, mode, timeout_sec) VALUES (?, ?, ?)').run(g.name, g.mode, g.timeoutSec);
      const gid = Number(info.lastInsertRowid);
      const m = stmt(this.db, 'INSERT INTO overflow_members (group_id, position, number, user_id) VALUES (?, ?, ?, ?)');
      for (const member of g.members) m.run(gid, member.position, member.number, member.userId);
      return gid;
    })();
    return this.overflowGroup(id)!;
  }

  overflowGroup(id: number): OverflowGroup | null {
    const g = stmt(this.db, 'SELECT * FROM overflow_groups WHERE id = ?').get(id) as { id: number; name: string; mode: 'sequential' | 'simultaneous'; timeout_sec: number } | undefined;
    if (!g) return null;
    const members = stmt(this.db, 'SELECT position, number, user_id AS userId FROM overflow_members WHERE group_id = ? ORDER BY position').all(id) as OverflowGroup['members'];
    return { id: g.id, name: g.name, mode: g.mode, timeoutSec: g.timeout_sec, members };
  }

  listOverflowGroups(): OverflowGroup[] {
    return (stmt(this.db, 'SELECT id FROM overflow_groups ORDER BY id').pluck().all() as number[]).map((id) => this.overflowGroup(id)!);
  }

  /** Replaces a group's settings and members; null when there is no such group. */
  updateOverflowGroup(id: number, g: Omit<OverflowGroup, 'id'>): OverflowGroup | null {
    const found = this.db.transaction(() => {
      if (stmt(this.db, 'UPDATE overflow_groups SET name = ?, mode = ?, timeout_sec = ? WHERE id = ?').run(g.name, g.mode, g.timeoutSec, id).changes === 0) return false;
      stmt(this.db, 'DELETE FROM overflow_members WHERE group_id = ?').run(id);
      const m = stmt(this.db, 'INSERT INTO overflow_members (group_id, position, number, user_id) VALUES (?, ?, ?, ?)');
      for (const member of g.members) m.run(id, member.position, member.number, member.userId);
      return true;
    })();
    this.cache.clear();
    return found ? this.overflowGroup(id) : null;
  }

  /** Lines that overflow to a group (a group in use cannot be deleted). */
  linesOfGroup(groupId: number): number[] {
    return stmt(this.db, 'SELECT id FROM lines WHERE overflow_group_id = ? ORDER BY id').pluck().all(groupId) as number[];
  }

  deleteOverflowGroup(id: number): boolean {
    return stmt(this.db, 'DELETE FROM overflow_groups WHERE id = ?').run(id).changes > 0;
  }

  /** All mobile numbers of all overflow groups, for the dialplan fallback. */
  allOverflowNumbers(): string[] {
    return stmt(this.db, 'SELECT DISTINCT number FROM overflow_members ORDER BY group_id, position').pluck().all() as string[];
  }

  private toLine(r: LineRow): Line {
    const dids = stmt(this.db, 'SELECT did FROM line_dids WHERE line_id = ? ORDER BY did').pluck().all(r.id) as string[];
    return {
      id: r.id,
      name: r.name,
      tenantId: r.tenant_id,
      dids,
      ringTimeoutSec: r.ring_timeout_sec,
      overflowAfterSec: r.overflow_after_sec,
      overflowGroupId: r.overflow_group_id,
      maxWaitSec: r.max_wait_sec,
      priority: r.priority,
      mobileRetrySec: r.mobile_retry_sec,
      callbackDueMin: r.callback_due_min,
      callbackAttempts: r.callback_attempts,
      callbackRetrySec: r.callback_retry_sec,
      announceEverySec: r.announce_every_sec,
      slThresholdSec: r.sl_threshold_sec,
      waitTreatment: r.wait_treatment,
      workingHours: r.working_hours ? workingHoursSchema.parse(JSON.parse(r.working_hours)) : null,
      holidays: this.holidays(r.id),
      isDefault: r.is_default === 1,
      trunkId: r.trunk_id,
      outboundCallerId: r.outbound_caller_id,
    };
  }
}
