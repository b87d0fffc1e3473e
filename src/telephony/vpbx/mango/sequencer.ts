// Mango delivers /events/call out of order; each carries `seq`. Mango's own
// examples number seq per LEG (call_id): the IVR leg 100:500:256 has seq 1, 2
// and the employee leg 100:500:257 of the same entry starts again at 1. So the
// order kept here is per (entry_id, call_id); legs of one entry are
// independent (compare their timestamps if needed).
//
// MangoSequencer is pure and synchronous: no timers, the caller passes `now`
// (ms) to push() and calls flushDue(now) from its own timer — nextDueAt()
// says when. push() returns what may be released at once:
// - the expected seq (1 for a new leg, then last released + 1) releases it
//   and any buffered successors;
// - a later seq waits up to `holdMs` for the gap to fill; when the wait ends,
//   flushDue releases the leg's buffered events in seq order, skipping the gap;
// - a seq that was already released (a redelivery) is dropped;
// - a seq below the expected one that was never released (it arrived after
//   its gap was given up) is released at once: late beats lost, and
//   consumers dedupe by eventKey anyway.
// Legs idle for `idleMs` are forgotten by flushDue.

export interface Sequenced<T> { entryId: string; callId: string; seq: number; item: T }

interface Leg<T> {
  next: number;
  released: Set<number>;
  buffered: Map<number, { item: T; deadline: number }>;
  lastSeen: number;
}

export interface MangoSequencerOptions {
  /** How long a later event waits for a missing earlier one. Default 2000 ms. */
  holdMs?: number;
  /** A leg with no event for this long is forgotten. Default 1 hour. */
  idleMs?: number;
}

export class MangoSequencer<T> {
  private readonly legs = new Map<string, Leg<T>>();
  private readonly holdMs: number;
  private readonly idleMs: number;

  constructor(opts: MangoSequencerOptions = {}) {
    this.holdMs = opts.holdMs ?? 2000;
    this.idleMs = opts.idleMs ?? 3_600_000;
  }

  push(ev: Sequenced<T>, now: number): T[] {
    const key = JSON.stringify([ev.entryId, ev.callId]);
    let leg = this.legs.get(key);
    if (!leg) {
      leg = { next: 1, released: new Set(), buffered: new Map(), lastSeen: now };
      this.legs.set(key, leg);
    }
    leg.lastSeen = now;
    if (leg.released.has(ev.seq) || leg.buffered.has(ev.seq)) return [];
    if (ev.seq < leg.next) {
      leg.released.add(ev.seq);
      return [ev.item];
    }
    if (ev.seq > leg.next) {
      leg.buffered.set(ev.seq, { item: ev.item, deadline: now + this.holdMs });
      return [];
    }
    leg.released.add(ev.seq);
    leg.next = ev.seq + 1;
    return [ev.item, ...this.drainContiguous(leg)];
  }

  /** Releases legs whose oldest buffered event has waited `holdMs`; forgets idle legs. */
  flushDue(now: number): T[] {
    const out: T[] = [];
    for (const [key, leg] of this.legs) {
      const deadlines = [...leg.buffered.values()].map((b) => b.deadline);
      if (deadlines.length > 0 && Math.min(...deadlines) <= now) {
        const seqs = [...leg.buffered.keys()].sort((a, b) => a - b);
        for (const s of seqs) {
          out.push(leg.buffered.get(s)!.item);
          leg.released.add(s);
        }
        leg.buffered.clear();
        leg.next = seqs[seqs.length - 1]! + 1;
      }
      if (leg.buffered.size === 0 && now - leg.lastSeen >= this.idleMs) this.legs.delete(key);
    }
    return out;
  }

  /** When flushDue next has something to release (ms), or null. */
  nextDueAt(): number | null {
    let due: number | null = null;
    for (const leg of this.legs.values()) {
      for (const b of leg.buffered.values()) due = due === null ? b.deadline : Math.min(due, b.deadline);
    }
    return due;
  }

  /** Legs currently tracked (for tests and metrics). */
  get size(): number {
    return this.legs.size;
  }

  private drainContiguous(leg: Leg<T>): T[] {
    const out: T[] = [];
    for (let b = leg.buffered.get(leg.next); b; b = leg.buffered.get(leg.next)) {
      out.push(b.item);
      leg.buffered.delete(leg.next);
      leg.released.add(leg.next);
      leg.next += 1;
    }
    return out;
  }
}

/**
 * For a batch already in hand (e.g. a replay): grouped by entry, legs in the
 * order of their earliest timestamp, each leg's events in seq order.
 */
export function sortMangoBatch<T extends { entry_id: string; call_id: string; seq: number; timestamp: number }>(events: readonly T[]): T[] {
  const legStart = new Map<string, number>();
  for (const e of events) {
    const k = JSON.stringify([e.entry_id, e.call_id]);
    legStart.set(k, Math.min(legStart.get(k) ?? Infinity, e.timestamp));
  }
  const startOf = (e: T) => legStart.get(JSON.stringify([e.entry_id, e.call_id]))!;
  return [...events].sort((a, b) =>
    a.entry_id.localeCompare(b.entry_id) || startOf(a) - startOf(b) || a.call_id.localeCompare(b.call_id) || a.seq - b.seq);
}
