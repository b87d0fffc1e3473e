// Idempotent actions: a client sends an Idempotency-Key with each action and
// repeats the same key when it retries (a phone on a flaky network). The
// first answer (success or a 4xx refusal) is stored per user and key; a retry
// gets that answer again and the action is never applied twice. Two identical
// posts in flight at once share one run (the second awaits the first); a key
// reused for a different action is refused (422). A server-side failure (5xx)
// forgets the key so a retry may run the action.
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { ApiError } from '../../http/errors.js';
import type { ExecutorAppRepository } from './repository.js';

export interface Answer { status: number; body: unknown }
export const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;

const sha256 = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

export class Idempotency {
  private readonly inflight = new Map<string, { fingerprint: string; answer: Promise<Answer> }>();

  constructor(private readonly repo: ExecutorAppRepository, private readonly clock: Clock) {}

  /**
   * Runs `action` once per (user, key): returns its answer, or the stored one
   * with `replayed: true`. `what` is what the client asked (route, request,
   * body); the same key with another `what` is refused.
   */
  async run(userId: number, key: string, what: unknown, requestId: number | null, action: () => Answer | Promise<Answer>): Promise<Answer & { replayed: boolean }> {
    if (!KEY_PATTERN.test(key)) throw new ApiError(400, 'invalid_input', 'Idempotency-Key: 8–100 letters, digits or _.:-', [{ field: 'idempotencyKey', problem: '8–100 letters, digits or _.:-' }]);
    const fingerprint = sha256(what);
    const slot = `${userId}\n${key}`;
    const flying = this.inflight.get(slot);
    if (flying) {
      if (flying.fingerprint !== fingerprint) throw reused();
      return { ...(await flying.answer), replayed: true };
    }
    if (!this.repo.reserveKey(userId, key, fingerprint, requestId, this.clock.now().toISOString())) {
      const row = this.repo.key(userId, key)!;
      if (row.fingerprint !== fingerprint) throw reused();
      if (row.status === null || row.response === null) throw new ApiError(409, 'idempotency_in_progress', 'this action is still being applied; retry in a moment');
      return { status: row.status, body: JSON.parse(row.response) as unknown, replayed: true };
    }
    const answer = (async (): Promise<Answer> => {
      await null; // the slot is in `inflight` before the action starts, even a synchronous one
      try {
        const a = await action();
        this.repo.completeKey(userId, key, a.status, JSON.stringify(a.body));
        return a;
      } catch (err) {
        if (err instanceof ApiError && err.status < 500) {
          const a = { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
          this.repo.completeKey(userId, key, a.status, JSON.stringify(a.body));
          return a;
        }
        this.repo.releaseKey(userId, key);
        throw err;
      } finally {
        this.inflight.delete(slot);
      }
    })();
    this.inflight.set(slot, { fingerprint, answer });
    return { ...(await answer), replayed: false };
  }
}

const reused = () => new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different action; send a new key for a new action');
