// Event intake's serial queue: every PBX event, timer and API command that
// touches routing state runs here strictly one after another, so a step
// never sees another half done. A failure is logged, never fatal; a step
// that finds the database busy is tried again a few times (busy-retry.ts).
// Items of one kind queued back to back (callers arriving together) can run
// as one step (enqueueBatch): nothing queued between them, so no step ever
// sees them out of order, and the burst shares one transaction and one
// dispatch round.
import type { Logger } from '../../log.js';
import { retryBusy } from './busy-retry.js';

interface OpenBatch {
  kind: string;
  items: unknown[];
  done: Promise<void>;
}

export class SerialQueue {
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The last step queued, when it is a batch that has not started: items of its kind join it. */
  private openBatch: OpenBatch | null = null;

  constructor(private readonly logger: Logger) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  enqueue(what: string, fn: () => Promise<void> | void): Promise<void> {
    this.openBatch = null; // a later item of a batch must not overtake this step
    const next = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await this.retryBusy(what, fn);
      } catch (err) {
        this.logger.error('routing step failed', { what, err, stack: (err as Error).stack });
      }
    });
    this.queue = next;
    return next;
  }

  /**
   * Queues `item` for a step that handles a list of items of `kind`: it joins
   * the last queued step when that is a not yet started batch of the same
   * kind (nothing else was queued after it), else starts a new one. `fn`
   * gets the items in the order they came; the promise settles with the step.
   */
  enqueueBatch<T>(kind: string, item: T, fn: (items: T[]) => Promise<void> | void): Promise<void> {
    const open = this.openBatch;
    if (open && open.kind === kind) {
      open.items.push(item);
      return open.done;
    }
    const batch: OpenBatch = { kind, items: [item], done: Promise.resolve() };
    batch.done = this.enqueue(kind, () => {
      if (this.openBatch === batch) this.openBatch = null; // started: later items make a new step
      return fn(batch.items as T[]);
    });
    this.openBatch = batch;
    return batch.done;
  }

  /** Runs a step in the queue and hands back its result (API commands). */
  run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.enqueue(what, async () => {
        try {
          resolve(await this.retryBusy(what, fn));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  private retryBusy<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
    return retryBusy(fn, { onRetry: (attempt) => this.logger.warn('database busy: retrying the routing step', { what, attempt }), giveUp: () => this.stopped });
  }

  /** Waits for everything queued so far (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.stopped = true;
  }
}
