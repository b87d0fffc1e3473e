// Event intake's serial queue: every PBX event, timer and API command that
// touches routing state runs here strictly one after another, so a step
// never sees another half done. A failure is logged, never fatal; a step
// that finds the database busy is tried again a few times (busy-retry.ts).
import type { Logger } from '../../log.js';
import { retryBusy } from './busy-retry.js';

export class SerialQueue {
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  enqueue(what: string, fn: () => Promise<void> | void): Promise<void> {
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
