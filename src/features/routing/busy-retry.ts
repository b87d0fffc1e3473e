// A routing step that finds the database busy (another process holding the
// write lock past busy_timeout) is tried again a few times with a short
// backoff, instead of being logged and dropped with a caller in it.

/** Waits before each new try. */
export const busyRetryDelaysMs = [50, 150, 400];

/** SQLITE_BUSY (and its extended codes) from better-sqlite3. */
export function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export async function retryBusy<T>(fn: () => Promise<T> | T, o: { onRetry: (attempt: number) => void; giveUp: () => boolean }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || attempt > busyRetryDelaysMs.length || o.giveUp()) throw err;
      o.onRetry(attempt);
      await new Promise((r) => setTimeout(r, busyRetryDelaysMs[attempt - 1]));
    }
  }
}
