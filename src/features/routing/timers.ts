// The router's per-call timers (overflow, maximum wait, mobile retries).
// A timer never runs its work directly: it queues it on the router's serial
// queue. All of a call's timers go at once when the call is answered or ends.
export type Enqueue = (what: string, fn: () => Promise<void> | void) => Promise<void>;

export class CallTimers {
  private timers = new Map<string, NodeJS.Timeout[]>();

  constructor(private readonly enqueue: Enqueue) {}

  arm(callId: string, delaySec: number, what: string, fn: () => Promise<void> | void): void {
    const t = setTimeout(() => void this.enqueue(what, fn), Math.max(0, delaySec) * 1000);
    const list = this.timers.get(callId) ?? [];
    list.push(t);
    this.timers.set(callId, list);
  }

  disarm(callId: string): void {
    this.timers.get(callId)?.forEach(clearTimeout);
    this.timers.delete(callId);
  }

  clear(): void {
    for (const ts of this.timers.values()) ts.forEach(clearTimeout);
    this.timers.clear();
  }
}
