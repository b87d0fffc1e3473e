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
import type { ChannelName, ChannelSender, InboundRequest, OutgoingFile } from '../types.js';
import type { Reply, ReplyRepository, StoredReply } from './repository.js';
import type { RepliesView, ReplyDraft } from './types.js';
import { documentText, linkInDocument } from './document.js';
import { LINK, placeholderValues, type RequestFacts } from './values.js';

export interface ReplyNotifier {
  /** To the company's supervisors: a reply waits for approval. */
  pending(r: StoredReply): void;
  /** To the author: their reply was approved (and sent) or rejected. */
  decided(r: StoredReply): void;
}

/** Documents' files: the PDF made and stored as the request's attachment, read back to send, linked for the page. */
export interface ReplyDocuments {
  /** Renders the document and stores it as the request's attachment; its id. */
  make(ticketId: number, by: number, d: { title: string; body: string; company: string; number: string }): Promise<number>;
  file(attachmentId: number): Promise<OutgoingFile | null>;
  /** A short-lived signed link to the PDF. */
  url(attachmentId: number): string;
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
  /** A fresh status link (the resident's earlier links keep working). */
  statusLink(ticketId: number): string;
  /** Stores the sent text as the request's 'out' message (request.changed). */
  outMessage(ticketId: number, channel: ChannelName, body: string, author: string): void;
  documents: ReplyDocuments;
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
  draft(user: User, ticketId: number, templateId: number): ReplyDraft {
    const f = this.request(user, ticketId);
    const tpl = this.d.repo.template(templateId);
    if (!tpl || tpl.tenantId !== f.ticket.tenantId) throw notFound('template');
    return {
      body: fillTemplate(tpl.body, placeholderValues(f, this.d.timeZone)),
      needsApproval: tpl.needsApproval || this.d.needsApproval(f.ticket.tenantId),
      document: tpl.kind === 'document' ? { title: tpl.topic } : null,
    };
  }

  /** A stored reply as the API shows it: its document with a fresh signed link. */
  view(r: StoredReply): Reply {
    return { ...r, document: r.document ? { ...r.document, url: this.d.documents.url(r.document.attachmentId) } : null };
  }

  /** The documents the resident was sent (the status page, the billing push). */
  sentDocuments(ticketId: number) {
    return this.d.repo.sentDocuments(ticketId);
  }

  list(user: User, ticketId: number): RepliesView {
    const f = this.request(user, ticketId);
    const t = f.ticket.tenantId;
    return { replies: this.d.repo.replies(ticketId).map((r) => this.view(r)), channel: f.channel, canReply: this.d.sender(f.channel) !== null, needsApproval: this.d.needsApproval(t), canApprove: approver(user, t) };
  }

  /**
   * A reply by the user. Pending (not sent) when the company or the template
   * asks for approval, or the author sends it for approval; else sent now.
   */
  async create(user: User, ticketId: number, b: { body: string; templateId?: number | null; forApproval?: boolean; document?: { title: string } | null }): Promise<Reply> {
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
    if (b.document && b.body.includes(LINK)) throw linkInDocument();
    return this.write(f, user.id, { templateId: b.templateId ?? null, body: b.body, title: b.document?.title ?? null, needs });
  }

  /**
   * The stage rule `reply-document`: the company's document template filled for the request, sent through its
   * channel or kept for approval (the template's or the company's setting). Throws (a rule error) when the
   * template is not a document of the request's company or the request has no channel to answer through.
   */
  async fromRule(ticketId: number, templateId: number, authorId: number): Promise<Reply> {
    const f = this.d.facts(ticketId);
    if (!f) throw new Error(`request ${ticketId} not found`);
    const tpl = this.d.repo.template(templateId);
    if (!tpl || tpl.tenantId !== f.ticket.tenantId || tpl.kind !== 'document') throw new Error(`no document template ${templateId} in the request's company`);
    if (!this.d.sender(f.channel)) throw new Error(`the request came by «${f.channel}»: there is no channel to send the document through`);
    const body = fillTemplate(tpl.body, placeholderValues(f, this.d.timeZone));
    return this.write(f, authorId, { templateId, body, title: tpl.topic, needs: tpl.needsApproval || this.d.needsApproval(f.ticket.tenantId) });
  }

  /** Stores a reply (with its document's PDF when `title` is set), then notifies the supervisors or sends it. */
  private async write(f: RequestFacts & { channel: string }, authorId: number, r: { templateId: number | null; body: string; title: string | null; needs: boolean }): Promise<Reply> {
    let document: { title: string; attachmentId: number } | null = null;
    if (r.title !== null) {
      // The PDF is made now, from the text as written: the approving supervisor sees exactly what the resident will get.
      const attachmentId = await this.d.documents.make(f.ticket.id, authorId, { title: r.title, body: r.body, company: f.ticket.tenantName, number: f.ticket.number });
      document = { title: r.title, attachmentId };
    }
    const reply = this.d.repo.addReply({ requestId: f.ticket.id, tenantId: f.ticket.tenantId, templateId: r.templateId, channel: f.channel, body: r.body, status: r.needs ? 'pending' : 'sending', authorId, at: this.now(), document });
    if (r.needs) {
      this.d.notify.pending(reply);
      return this.view(reply);
    }
    return this.deliver(reply);
  }

  pending(user: User, tenantId: number | undefined, limit = 200): Reply[] {
    if (user.role !== 'admin' && user.role !== 'supervisor') throw new ApiError(403, 'forbidden', 'only supervisors approve replies');
    if (tenantId !== undefined && !inScope(user, tenantId)) return [];
    return this.d.repo.pending(tenantId !== undefined ? [tenantId] : user.tenantIds, limit).map((r) => this.view(r));
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
    return this.view(out);
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

  private decidable(user: User, replyId: number): StoredReply {
    const r = this.d.repo.reply(replyId);
    if (!r || !approver(user, r.tenantId)) throw notFound('reply');
    if (r.status !== 'pending') throw this.decided();
    return r;
  }

  private decided() {
    return new ApiError(409, 'already_decided', 'this reply is no longer waiting for approval');
  }

  /** Sends a reply in 'sending' state through its channel; the outcome is stored either way. */
  private async deliver(reply: StoredReply): Promise<Reply> {
    const work = this.send(reply);
    this.sending.add(work);
    try {
      await work;
    } finally {
      this.sending.delete(work);
    }
    return this.view(this.d.repo.reply(reply.id)!);
  }

  private async send(reply: StoredReply): Promise<void> {
    const f = this.d.facts(reply.requestId);
    const sender = this.d.sender(reply.channel);
    try {
      if (!f || !sender) throw new Error(`no sender for the channel «${reply.channel}»`);
      const contact: InboundRequest['contact'] = { name: f.ticket.callerName, phone: f.ticket.callerPhone, email: null };
      const to = { ticketId: reply.requestId, threadKey: this.d.threadKey(reply.requestId), contact };
      const out = await this.outgoing(reply, f.ticket.number);
      await sender.send(to, out.text, undefined, out.attachment ? { attachment: out.attachment } : undefined);
      // A plain reply stores the text as sent (its link filled in); a document's reply keeps the document's text.
      this.d.repo.finish(reply.id, { status: 'sent', body: out.attachment ? undefined : out.text, at: this.now() });
      this.d.outMessage(reply.requestId, sender.channel, out.text, reply.author.name);
    } catch (err) {
      this.d.logger.warn('reply not sent', { replyId: reply.id, requestId: reply.requestId, err: (err as Error).message });
      this.d.repo.finish(reply.id, { status: 'failed', at: this.now(), error: (err as Error).message.slice(0, 500) });
    }
  }

  /** What goes out: a document as its PDF under a cover line; a plain reply as its text with {ссылка} filled in. */
  private async outgoing(reply: StoredReply, number: string): Promise<{ text: string; attachment?: OutgoingFile }> {
    if (reply.document) {
      const file = await this.d.documents.file(reply.document.attachmentId);
      if (!file) throw new Error(`the document's file ${reply.document.attachmentId} is missing`);
      return { text: documentText.cover(reply.document.title, number), attachment: file };
    }
    if (!reply.body.includes(LINK)) return { text: reply.body };
    // On the status page itself the link is the page.
    const link = reply.channel === 'web' ? documentText.thisPage : this.d.statusLink(reply.requestId);
    return { text: reply.body.split(LINK).join(link) };
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }
}
