// Wallboard deltas: what changed between two snapshots of one scope
// (server), and the same change applied to a held snapshot (browser page,
// bench, tests). Pure functions over the contract's types, no imports at
// run time: the browser bundle takes this file as it is.
import type { WallboardListPatch, WallboardPatch, WallboardScalarPart, WallboardSnapshot } from './contract.js';

type Lists = 'lines' | 'tenants' | 'operators' | 'waitingCalls' | 'callbacks';
type Row<L extends Lists> = WallboardSnapshot[L][number];
type Key = number | string;

const keyOf: { [L in Lists]: (r: Row<L>) => Key } = {
  lines: (r) => r.lineId,
  tenants: (r) => r.tenantId,
  operators: (r) => r.userId,
  waitingCalls: (r) => r.callId,
  callbacks: (r) => r.id,
};
const lists = Object.keys(keyOf) as Lists[];
const scalars: WallboardScalarPart[] = ['dayStart', 'timeZone', 'shortAbandonSec', 'definitions', 'total', 'commitments', 'chart'];

// Parsing ISO times is most of the cost of applying a patch (a board holds
// hundreds of operators, each re-aged on every patch): the same few strings
// come back patch after patch, so parse each once.
const parsed = new Map<string, number>();
function ms(t: Date | string): number {
  if (typeof t !== 'string') return t.getTime();
  let v = parsed.get(t);
  if (v === undefined) {
    if (parsed.size >= 10_000) parsed.clear();
    v = new Date(t).getTime();
    parsed.set(t, v);
  }
  return v;
}

/** Whole seconds an operator has been in their state at `at` (the server's and the page's one formula). */
export function stateSinceSec(since: string, at: Date | string): number {
  return Math.max(0, Math.floor((ms(at) - ms(since)) / 1000));
}

/** Whole seconds a call still waiting has waited at `at`. */
export function waitingSec(arrivedAt: string, at: Date | string): number {
  return Math.max(0, Math.floor((ms(at) - ms(arrivedAt)) / 1000));
}

/** A row as compared: without the seconds that only tick with the clock. */
function stable<L extends Lists>(list: L, r: Row<L>): string {
  if (list === 'operators') return JSON.stringify({ ...(r as Row<'operators'>), stateSinceSec: 0 });
  if (list === 'waitingCalls') return JSON.stringify({ ...(r as Row<'waitingCalls'>), waitSec: 0 });
  return JSON.stringify(r);
}

/** The compared form of each row of a snapshot, kept while the snapshot lives (the next diff's `prev`). */
const rowsSeen = new WeakMap<object, Map<Key, string>>();
function stableRows<L extends Lists>(list: L, rows: Row<L>[]): Map<Key, string> {
  let m = rowsSeen.get(rows);
  if (!m) {
    const key = keyOf[list] as (r: Row<L>) => Key;
    m = new Map(rows.map((r) => [key(r), stable(list, r)]));
    rowsSeen.set(rows, m);
  }
  return m;
}

function diffList<L extends Lists>(list: L, prev: Row<L>[], next: Row<L>[]): WallboardListPatch<Row<L>, Key> | undefined {
  const key = keyOf[list] as (r: Row<L>) => Key;
  const before = stableRows(list, prev);
  const after = stableRows(list, next);
  const upsert = next.filter((r) => before.get(key(r)) !== after.get(key(r)));
  const nextKeys = next.map(key);
  const present = new Set(nextKeys);
  const remove = prev.map(key).filter((k) => !present.has(k));
  const sameOrder = prev.length === next.length && prev.every((r, i) => key(r) === nextKeys[i]);
  if (!upsert.length && !remove.length && sameOrder) return undefined;
  const p: WallboardListPatch<Row<L>, Key> = {};
  if (upsert.length) p.upsert = upsert;
  if (remove.length) p.remove = remove;
  if (!sameOrder) p.order = nextKeys;
  return p;
}

/** The patch that turns `prev` (version `from`) into `next` (version `version`). */
export function diffWallboard(prev: WallboardSnapshot, next: WallboardSnapshot, from: number, version: number): WallboardPatch {
  const patch: WallboardPatch = { version, from, at: next.at };
  const set: Record<string, unknown> = {};
  for (const k of scalars) if (JSON.stringify(prev[k]) !== JSON.stringify(next[k])) set[k] = next[k];
  if (Object.keys(set).length) patch.set = set as WallboardPatch['set'];
  for (const l of lists) {
    const d = diffList(l, prev[l] as Row<typeof l>[], next[l] as Row<typeof l>[]);
    if (d) (patch as unknown as Record<string, unknown>)[l] = d;
  }
  return patch;
}

function applyList<L extends Lists>(list: L, rows: Row<L>[], p: WallboardListPatch<Row<L>, Key> | undefined): Row<L>[] {
  if (!p) return rows;
  const key = keyOf[list] as (r: Row<L>) => Key;
  const byKey = new Map(rows.map((r) => [key(r), r]));
  for (const r of p.upsert ?? []) byKey.set(key(r), r);
  for (const k of p.remove ?? []) byKey.delete(k);
  const order = p.order ?? rows.map(key).filter((k) => byKey.has(k));
  return order.map((k) => byKey.get(k)).filter((r): r is Row<L> => r !== undefined);
}

/**
 * The snapshot after `patch`, or null when `snap` is not the version the
 * patch starts from (the client then asks for a full snapshot).
 */
export function applyWallboardPatch(snap: WallboardSnapshot, patch: WallboardPatch): WallboardSnapshot | null {
  if (snap.version !== patch.from) return null;
  const next: WallboardSnapshot = { ...snap, ...patch.set, at: patch.at, version: patch.version };
  for (const l of lists) (next as unknown as Record<string, unknown>)[l] = applyList(l, snap[l] as Row<typeof l>[], patch[l] as WallboardListPatch<Row<typeof l>, Key> | undefined);
  // Re-aged from the patch's time; a row whose seconds did not move stays the same object.
  next.operators = next.operators.map((o) => {
    const sec = stateSinceSec(o.stateSince, patch.at);
    return sec === o.stateSinceSec ? o : { ...o, stateSinceSec: sec };
  });
  next.waitingCalls = next.waitingCalls.map((c) => {
    const sec = waitingSec(c.arrivedAt, patch.at);
    return sec === c.waitSec ? c : { ...c, waitSec: sec };
  });
  return next;
}
