// Replies to residents (issue 14, items 6–7): a draft from a template filled
// from the request, edited by the dispatcher, sent through the request's
// channel and stored as an 'out' message. When the company (or the template,
// or the author) asks for approval, the reply waits as pending and is NOT
// sent; the company's supervisors are told; approved, it goes out; rejected,
// the author sees the comment.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { ApiError, notFound } from '../../http/errors.js';
import type { User } from '../../features/auth/service.js';
import { fillTemplate } from '../../domain/reply-template.js';
import type { ChannelName, ChannelSender, InboundRequest } from '../types.js';
import type { Reply, ReplyRepository } from './repository.js';
import type { RepliesView } from './types.js';
import { LINK, placeholderValues, type RequestFacts } from './values.js';

export interface ReplyNotifier {
  /** To the company's supervisors: a reply waits for approval. */
  pending(r: Reply): void;
  /** To the author: their reply was approved (and sent) or rejected. */
  decided(r: Reply): void;
}

export interface ReplyDeps {
  repo: ReplyRepository;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  notify: ReplyNotifier;
  /** The company's setting «ответы требуют согласования». */
  needsApproval(tenantId: number): boolean;
  facts(ticketId: number): (RequestFacts & { channel: string; assigneeId: number | null }) | null;
  sender(channel: string): ChannelSender | null;
  threadKey(ticketId: number): string | null;
  /** A fresh status link (the previous one stops working). */
  statusLink(ticketId: number): string;
  /** Stores the sent text as the request's 'out' message (request.changed). */
  outMessage(ticketId: number, channel: ChannelName, body: string, author: string): void;
}

const isStaff = (u: User) => u.role === 'admin' || u.role === 'supervisor' || u.role === 'operator';
const inScope = (u: User, tenantId: number) => !u.tenantIds || u.tenantIds.includes(tenantId);
const approver = (u: User, tenantId: number) => (u.role === 'admin' || u.role === 'supervisor') && inScope(u, tenantId);

export class ReplyService {
  /** Sends under way (tests and shutdown wait for them). */
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly d: ReplyDeps) {}

  /** The request's facts when the user may answer it: 404 outside their companies. */
  private request(user: User, ticketId: number) {
    const f = this.d.facts(ticketId);
    if (!f || !isStaff(user) || !inScope(user, f.ticket.tenantId)) throw notFound('request');
    return f;
  }

  /** A template filled for a request ({ссылка} is filled when sent). */
  draft(user: User, ticketId: number, templateId: number): { body: string; needsApproval: boolean } {
    const f = this.request(user, ticketId);
    const tpl = this.d.repo.template(templateId);
    if (!tpl || tpl.tenantId !== f.ticket.tenantId) throw notFound('template');
    return { body: fillTemplate(tpl.body, placeholderValues(f, this.d.timeZone)), needsApproval: tpl.needsApproval || this.d.needsApproval(f.ticket.tenantId) };
  }

  list(user: User, ticketId: number): RepliesView {
    const f = this.request(user, ticketId);
    const t = f.ticket.tenantId;
    return { replies: this.d.repo.replies(ticketId), channel: f.channel, canReply: this.d.sender(f.channel) !== null, needsApproval: this.d.needsApproval(t), canApprove: approver(user, t) };
  }

  /**
   * A reply by the user. Pending (not sent) when the company or the template
   * asks for approval, or the author sends it for approval; else sent now.
   */
  async create(user: User, ticketId: number, b: { body: string; templateId?: number | null; forApproval?: boolean }): Promise<Reply> {
    const f = this.request(user, ticketId);
    if (!this.d.sender(f.channel)) throw new ApiError(409, 'no_channel', `the request came by «${f.channel}»: there is no channel to answer the resident through`);
    let templateNeeds = false;
    if (b.templateId != null) {
      const tpl = this.d.repo.template(b.templateId);
      if (!tpl || tpl.tenantId !== f.ticket.tenantId) throw new ApiError(400, 'invalid_input', 'templateId: no such template in this company', [{ field: 'templateId', problem: 'no such template in this company' }]);
      templateNeeds = tpl.needsApproval;
    }
    // A supervisor's own reply needs no one else's approval unless they ask for it.
    const needs = b.forApproval === true || ((templateNeeds || this.d.needsApproval(f.ticket.tenantId)) && !approver(user, f.ticket.tenantId));
    const reply = this.d.repo.addReply({ requestId: ticketId, tenantId: f.ticket.tenantId, templateId: b.templateId ?? null, channel: f.channel, body: b.body, status: needs ? 'pending' : 'sending', authorId: user.id, at: this.now() });
    if (needs) {
      this.d.notify.pending(reply);
      return reply;
    }
    return this.deliver(reply);
  }

  pending(user: User, tenantId: number | undefined, limit = 200): Reply[] {
    if (user.role !== 'admin' && user.role !== 'supervisor') throw new ApiError(403, 'forbidden', 'only supervisors approve replies');
    if (tenantId !== undefined && !inScope(user, tenantId)) return [];
    return this.d.repo.pending(tenantId !== undefined ? [tenantId] : user.tenantIds, limit);
  }

  /** Approves a pending reply and sends it. 404 outside the user's companies; 409 when already decided. */
  async approve(user: User, replyId: number, comment: string | null): Promise<Reply> {
    const r = this.decidable(user, replyId);
    if (!this.d.repo.decide(r.id, 'sending', user.id, comment, this.now())) throw this.decided();
    const sent = await this.deliver(this.d.repo.reply(r.id)!);
    this.d.notify.decided(sent);
    return sent;
  }

  reject(user: User, replyId: number, comment: string): Reply {
    const r = this.decidable(user, replyId);
    if (!this.d.repo.decide(r.id, 'rejected', user.id, comment, this.now())) throw this.decided();
    const out = this.d.repo.reply(r.id)!;
    this.d.notify.decided(out);
    return out;
  }

  /** Sends a failed reply again (its author or a supervisor). */
  async retry(user: User, replyId: number): Promise<Reply> {
    const r = this.d.repo.reply(replyId);
    if (!r || !isStaff(user) || !inScope(user, r.tenantId)) throw notFound('reply');
    if (r.author.id !== user.id && !approver(user, r.tenantId)) throw notFound('reply');
    if (!this.d.repo.retry(r.id)) throw new ApiError(409, 'not_failed', 'only a reply that failed to go out can be sent again');
    return this.deliver(this.d.repo.reply(r.id)!);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.sending]);
  }

  private decidable(user: User, replyId: number): Reply {
    const r = this.d.repo.reply(replyId);
    if (!r || !approver(user, r.tenantId)) throw notFound('reply');
    if (r.status !== 'pending') throw this.decided();
    return r;
  }

  private decided() {
    return new ApiError(409, 'already_decided', 'this reply is no longer waiting for approval');
  }

  /** Sends a reply in 'sending' state through its channel; the outcome is stored either way. */
  private async deliver(reply: Reply): Promise<Reply> {
    const work = this.send(reply);
    this.sending.add(work);
    try {
      await work;
    } finally {
      this.sending.delete(work);
    }
    return this.d.repo.reply(reply.id)!;
  }

  private async send(reply: Reply): Promise<void> {
    const f = this.d.facts(reply.requestId);
    const sender = this.d.sender(reply.channel);
    try {
      if (!f || !sender) throw new Error(`no sender for the channel «${reply.channel}»`);
      const body = reply.body.includes(LINK) ? reply.body.split(LINK).join(this.d.statusLink(reply.requestId)) : reply.body;
      const contact: InboundRequest['contact'] = { name: f.ticket.callerName, phone: f.ticket.callerPhone, email: null };
      await sender.send({ ticketId: reply.requestId, threadKey: this.d.threadKey(reply.requestId), contact }, body);
      this.d.repo.finish(reply.id, { status: 'sent', body, at: this.now() });
      this.d.outMessage(reply.requestId, sender.channel, body, reply.author.name);
    } catch (err) {
      this.d.logger.warn('reply not sent', { replyId: reply.id, requestId: reply.requestId, err: (err as Error).message });
      this.d.repo.finish(reply.id, { status: 'failed', at: this.now(), error: (err as Error).message.slice(0, 500) });
    }
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }
}
