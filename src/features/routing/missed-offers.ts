// An operator who lets N offers in a row ring out is paused automatically
// with the reason «Не отвечает» (the wallboard shows it like any pause), so
// callers stop waiting on a phone nobody picks up. Answering resets the count.
import type { Logger } from '../../log.js';
import type { OperatorService } from '../operators/service.js';

/** The pause reason an operator gets (data shown as is on the wallboard and the console). */
export const NOT_ANSWERING_REASON = 'Не отвечает';

export class MissedOffers {
  private streak = new Map<number, number>();

  /** `limit`: offers in a row that ring out before the pause; 0 = never pause. */
  constructor(private readonly operators: OperatorService, private readonly limit: number, private readonly logger: Logger) {}

  /** An offer rang out unanswered; true when the operator was paused for it. */
  rangOut(userId: number): boolean {
    if (this.limit <= 0) return false;
    const n = (this.streak.get(userId) ?? 0) + 1;
    if (n < this.limit) {
      this.streak.set(userId, n);
      return false;
    }
    this.streak.delete(userId);
    const op = this.operators.get(userId);
    if (op?.presence !== 'available') return false;
    this.operators.setPresence(userId, 'paused', NOT_ANSWERING_REASON);
    this.logger.warn('operator paused automatically: offers rang out', { userId, operator: op.login, inARow: n });
    return true;
  }

  answered(userId: number): void {
    this.streak.delete(userId);
  }
}
