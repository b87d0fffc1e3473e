// The resident's rating after a request is closed (status page, e-mail,
// messenger): stored once per closing; a score of 3 or less, or «Остались
// вопросы», reopens the request to the dispatchers with the comment. The
// ratings feed the executors' figures in the reports.
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { ApiError, notFound, parse } from '../http/errors.js';
import type { ChannelRepository } from './repository.js';
import type { ChannelIntake } from './intake.js';
import { channelNames, type RequestMessage } from './types.js';

/** Scores up to this one reopen the request. */
export const REOPEN_AT_OR_BELOW = 3;

export const ratingSchema = z.object({
  score: z.number().int().min(1, 'оценка от 1 до 5').max(5, 'оценка от 1 до 5'),
  comment: z.string().trim().max(2000).nullable().optional(),
  questionsLeft: z.boolean().optional(),
  channel: z.enum([...channelNames, 'console']),
});

export interface FeedbackDeps {
  repo: ChannelRepository;
  intake: ChannelIntake;
  /** RequestService.reopen: back to an open stage with the comment in its history, request.changed. */
  reopen(ticketId: number, comment: string, by: number): void;
  /** Emits request.changed (RequestService.announce). */
  announce(ticketId: number): void;
  clock: Clock;
}

export function reopenComment(score: number, comment: string | null, questionsLeft: boolean): string {
  const parts = [`Возвращена жителем: оценка ${score} из 5`];
  if (questionsLeft) parts.push('остались вопросы');
  return `${parts.join(', ')}${comment ? `. «${comment}»` : ''}`;
}

export function ratingMessage(score: number, comment: string | null, questionsLeft: boolean): string {
  return `Оценка работы: ${'★'.repeat(score)}${'☆'.repeat(5 - score)} (${score} из 5)${questionsLeft ? '. Остались вопросы' : ''}${comment ? `. ${comment}` : ''}`;
}

export class FeedbackService {
  constructor(private readonly d: FeedbackDeps) {}

  /**
   * Rates the latest closing of a request. 409 when it is open or this
   * closing is already rated. `by`: who enters it (a dispatcher from the
   * console); by default the channel's system user.
   */
  rate(ticketId: number, raw: { score: 1 | 2 | 3 | 4 | 5; comment?: string | null; questionsLeft?: boolean; channel: RequestMessage['channel'] }, by?: number): { reopened: boolean } {
    const r = parse(ratingSchema, raw);
    const c = this.d.repo.closing(ticketId);
    if (!c) throw notFound('request');
    if (c.status !== 'closed' || !c.closedAt || c.closingId === null) throw new ApiError(409, 'not_closed', 'the request is not closed yet: it can be rated once the work is done');
    const comment = r.comment || null;
    const questionsLeft = r.questionsLeft ?? false;
    const reopened = r.score <= REOPEN_AT_OR_BELOW || questionsLeft;
    const at = this.d.clock.now().toISOString();
    const stored = this.d.repo.db.transaction(() => {
      const ok = this.d.repo.addRating({ ticketId, tenantId: c.tenantId, closingId: c.closingId!, closedAt: c.closedAt!, executorId: c.assigneeId, score: r.score, comment, questionsLeft, reopened, channel: r.channel, createdAt: at });
      if (ok) this.d.repo.addMessage({ ticketId, direction: 'in', channel: r.channel, body: ratingMessage(r.score, comment, questionsLeft), author: null, at });
      return ok;
    })();
    if (!stored) throw new ApiError(409, 'already_rated', 'this closing of the request is already rated');
    const actor = by ?? this.d.intake.systemUser(r.channel === 'console' ? 'web' : r.channel);
    if (reopened) this.d.reopen(ticketId, reopenComment(r.score, comment, questionsLeft), actor);
    else this.d.announce(ticketId);
    return { reopened };
  }

  /** Whether the request's latest closing can be rated now. */
  canRate(ticketId: number): boolean {
    const c = this.d.repo.closing(ticketId);
    return !!c && c.status === 'closed' && c.closingId !== null && !this.d.repo.rated(ticketId, c.closingId);
  }

  ratings(ticketId: number) {
    return this.d.repo.ratings(ticketId);
  }
}
