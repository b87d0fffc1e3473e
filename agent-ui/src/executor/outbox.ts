// The offline queue of the executor's actions: each action is stored in
// localStorage with its idempotency key before it is sent, and re-sent with
// the same key until the server answers (applied, or refused with a reason).
// A retry after a lost answer is harmless: the server returns the first
// answer and applies nothing twice.
import { HttpError } from '../lib/api.ts';
import { retryable, xapi, type ActionBody, type ProposalItem } from './api.ts';

export type Entry =
  | { key: string; requestId: number; number: string; kind: 'action'; body: ActionBody; at: string }
  | { key: string; requestId: number; number: string; kind: 'proposal'; body: { text: string; items: ProposalItem[] }; at: string };
export type Outcome = { entry: Entry; ok: true } | { entry: Entry; ok: false; message: string };

/** Per user: another executor logging in on the same phone never sends someone else's actions. */
export const outboxKey = (userId: number) => `pult.x.outbox.${userId}`;

export class Outbox {
  private busy = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  private readonly storeKey: string;

  constructor(userId: number, private readonly onSettled: (o: Outcome) => void, private readonly onChange: (pending: number, offline: boolean) => void) {
    this.storeKey = outboxKey(userId);
  }

  entries(): Entry[] {
    try {
      return (JSON.parse(localStorage.getItem(this.storeKey) ?? '[]') as Entry[]).filter((e) => typeof e?.key === 'string');
    } catch {
      return [];
    }
  }

  private save(xs: Entry[]): void {
    localStorage.setItem(this.storeKey, JSON.stringify(xs));
  }

  /** Stores the action first, then tries to send it (and everything before it). */
  add(e: Entry): void {
    this.save([...this.entries(), e]);
    void this.flush();
  }

  /** Retries every few seconds and whenever the browser says the network is back. */
  start(everyMs = 5000): void {
    window.addEventListener('online', () => void this.flush());
    this.timer = setInterval(() => void this.flush(), everyMs);
    void this.flush();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends queued actions in order; stops at the first that finds no network. */
  async flush(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    let offline = false;
    try {
      for (const e of this.entries()) {
        try {
          if (e.kind === 'action') await xapi.act(e.requestId, e.body, e.key);
          else await xapi.propose(e.requestId, e.body, e.key);
          this.drop(e.key);
          this.onSettled({ entry: e, ok: true });
        } catch (err) {
          if (retryable(err)) {
            offline = err instanceof HttpError && err.status === 0;
            break;
          }
          if (err instanceof HttpError && err.status === 401) break; // the login form shows; the queue waits for the next login
          this.drop(e.key);
          this.onSettled({ entry: e, ok: false, message: err instanceof Error ? err.message : String(err) });
        }
      }
    } finally {
      this.busy = false;
      this.onChange(this.entries().length, offline);
    }
  }

  private drop(key: string): void {
    this.save(this.entries().filter((x) => x.key !== key));
  }
}
