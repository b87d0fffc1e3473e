// The channels' core: one InboundRequest, whatever the channel, becomes a
// request of the company's pipeline, registered by the channel's system
// user, with its thread, its first message and a private status link.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { ApiError, notFound, parse } from '../http/errors.js';
import { normalizePhone } from '../domain/phone.js';
import { fitsKind, kindMismatch } from '../domain/category-kind.js';
import type { TicketService } from '../features/tickets/service.js';
import type { TicketLifecycle } from '../features/tickets/routes.js';
import type { ChannelRepository } from './repository.js';
import { channelNames, channelUserNames, type ChannelName, type InboundRequest, type ReceivedRequest, type RequestMessage } from './types.js';

/** The attachments feature as the core needs it: check files by content first, store them once the request exists. */
export interface ChannelFiles {
  /** The refused files with why (empty: all acceptable). */
  check(files: { filename: string; bytes: Buffer }[]): Promise<{ name: string; problem: string }[]>;
  add(ticketId: number, by: number, files: { filename: string; bytes: Buffer }[]): Promise<unknown>;
}

export interface ChannelIntakeDeps {
  repo: ChannelRepository;
  tickets: TicketService;
  lifecycle: TicketLifecycle;
  /** Emits request.changed for a request (RequestService.announce). */
  announce(ticketId: number): void;
  clock: Clock;
  logger: Logger;
  /** PULT_PUBLIC_URL: the status link's origin; without it the link is a path (/s/<token>). */
  publicUrl: string | null;
  files?: ChannelFiles;
}

const text = (max: number) => z.string().trim().max(max);
const optional = <T extends z.ZodType>(s: T) => s.nullable().optional();

export const inboundSchema = z.object({
  channel: z.enum(channelNames),
  tenantId: z.number().int().positive(),
  categoryId: optional(z.number().int().positive()),
  kind: z.enum(['emergency', 'planned']).optional(),
  description: z.string().trim().min(3, 'опишите проблему (не короче 3 символов)').max(4000),
  buildingId: optional(z.number().int().positive()),
  flat: optional(text(20)),
  address: optional(text(500)),
  accountId: optional(z.number().int().positive()),
  contact: z.object({ name: optional(text(200)), phone: optional(text(40)), email: optional(z.string().trim().max(320).pipe(z.email('неверный адрес эл. почты'))) }),
  thread: optional(z.object({ key: z.string().min(1).max(500) })),
  attachments: z.array(z.object({ filename: z.string().max(500), bytes: z.instanceof(Buffer) })).max(20).optional(),
});

export const NO_ADDRESS = 'адрес не указан';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const bad = (field: string, problem: string) => new ApiError(400, 'invalid_input', `${field}: ${problem}`, [{ field, problem }]);

export class ChannelIntake {
  /** Attachments still being stored, per request. */
  private readonly storing = new Map<number, Promise<void>>();

  constructor(private readonly d: ChannelIntakeDeps) {}

  /**
   * Validates and registers a request in one transaction (the request as the
   * channel's system user, its channel, thread, first 'in' message and status
   * token), then enters the pipeline's first stage (lifecycle.started: rules,
   * request.changed after the commit). Attachments are stored afterwards (see
   * accept() to wait for them and refuse bad files before anything is made).
   */
  receive(raw: InboundRequest): ReceivedRequest {
    const msg = parse(inboundSchema, raw);
    const { repo, tickets } = this.d;
    if (!tickets.tenantExists(msg.tenantId)) throw bad('tenantId', 'no such company');
    let buildingId = msg.buildingId ?? null;
    let address = msg.address || null;
    let flat = msg.flat || null;
    if (msg.accountId != null) {
      const acc = repo.account(msg.accountId);
      if (!acc || acc.tenantId !== msg.tenantId) throw bad('accountId', 'no such account in this company');
      buildingId = buildingId ?? acc.buildingId;
      flat = flat ?? acc.flat;
    }
    if (buildingId !== null) {
      const b = repo.building(buildingId);
      if (!b || b.tenantId !== msg.tenantId) throw bad('buildingId', 'no such building in this company');
      address = b.address;
    }
    const { categoryId, kind } = this.category(msg.categoryId ?? null, msg.kind);
    const at = this.d.clock.now().toISOString();
    const by = this.systemUser(msg.channel);
    const phone = msg.contact.phone ? (normalizePhone(msg.contact.phone) ?? msg.contact.phone) : null;
    const token = randomBytes(24).toString('base64url'); // 192 bits
    const ticket = repo.db.transaction(() => {
      const t = tickets.create({
        tenantId: msg.tenantId, kind, categoryId, description: msg.description, accountId: msg.accountId ?? null, buildingId, flat, address: address ?? NO_ADDRESS,
        callerName: msg.contact.name || null, callerPhone: phone, anonymousCallerId: null, callIds: [], createdBy: by,
      });
      repo.setChannel(t.id, msg.channel);
      if (msg.thread) repo.linkThread(msg.channel, msg.thread.key, t.id, at);
      repo.addMessage({ ticketId: t.id, direction: 'in', channel: msg.channel, body: msg.description, author: contactLabel(msg.contact), at });
      repo.addStatusToken(t.id, hashToken(token), at, false);
      return t;
    })();
    this.d.lifecycle.started(ticket.id, by, msg.channel);
    if (msg.attachments?.length) this.store(ticket.id, by, msg.attachments);
    return { ticketId: ticket.id, number: ticket.number, tenantId: ticket.tenantId, statusToken: token, statusUrl: this.statusUrl(token) };
  }

  /** receive() for a channel that can tell the sender at once: bad files refused first (415), stored before it resolves. */
  async accept(raw: InboundRequest): Promise<ReceivedRequest> {
    if (raw.attachments?.length && this.d.files) {
      const refused = await this.d.files.check(raw.attachments);
      if (refused.length) throw new ApiError(415, 'unsupported_type', refused.map((r) => `${r.name}: ${r.problem}`).join('; '), refused.map((r) => ({ file: r.name, problem: r.problem })));
    }
    const received = this.receive(raw);
    await this.settled(received.ticketId);
    return received;
  }

  /** Resolves once a request's attachments are stored (or refused, noted in its comments). */
  async settled(ticketId: number): Promise<void> {
    await this.storing.get(ticketId);
  }

  /**
   * Files the resident sent on an existing request (a photo in the chat):
   * checked by content and stored as the channel's system user, then
   * request.changed. A refused file is noted in the conversation and
   * returned as the reason; it never loses the message that carried it.
   */
  async attach(ticketId: number, channel: ChannelName, files: { filename: string; bytes: Buffer }[]): Promise<{ stored: number; refused: string | null }> {
    if (this.d.repo.ticketTenant(ticketId) === null) throw notFound('request');
    const adder = this.d.files;
    if (!adder || files.length === 0) return { stored: 0, refused: null };
    try {
      await adder.add(ticketId, this.systemUser(channel), files);
      this.d.announce(ticketId);
      return { stored: files.length, refused: null };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      this.noteRefused(ticketId, err.message);
      this.d.announce(ticketId);
      return { stored: 0, refused: err.message };
    }
  }

  findByThread(channel: ChannelName, key: string): { ticketId: number; tenantId: number } | null {
    return this.d.repo.byThread(channel, key);
  }

  /** Links another thread to an existing request (a reply that started a new thread). */
  linkThread(ticketId: number, channel: ChannelName, key: string): boolean {
    if (this.d.repo.ticketTenant(ticketId) === null) throw notFound('request');
    return this.d.repo.linkThread(channel, key, ticketId, this.d.clock.now().toISOString());
  }

  /** A request's threads, newest first (where a reply goes). */
  threads(ticketId: number): { channel: string; key: string }[] {
    return this.d.repo.threadsOf(ticketId);
  }

  addMessage(ticketId: number, m: { direction: 'in' | 'out'; channel: RequestMessage['channel']; body: string; author?: string | null }): RequestMessage {
    if (this.d.repo.ticketTenant(ticketId) === null) throw notFound('request');
    const body = m.body.trim();
    if (!body) throw bad('body', 'пустое сообщение');
    const saved = this.d.repo.addMessage({ ticketId, direction: m.direction, channel: m.channel, body: body.slice(0, 20_000), author: m.author ?? null, at: this.d.clock.now().toISOString() });
    this.d.announce(ticketId);
    return saved;
  }

  messages(ticketId: number): RequestMessage[] {
    return this.d.repo.messages(ticketId);
  }

  /** The request a status token opens, or null. */
  byStatusToken(token: string): number | null {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.d.repo.ticketByTokenHash(hashToken(token));
  }

  /**
   * A new status link for a request (one registered by phone, a reply with {ссылка}): the resident's earlier
   * links keep working, unless `revokeOthers` (staff replacing a leaked link).
   */
  newStatusLink(ticketId: number, o: { revokeOthers?: boolean } = {}): { statusToken: string; statusUrl: string } {
    if (this.d.repo.ticketTenant(ticketId) === null) throw notFound('request');
    const token = randomBytes(24).toString('base64url');
    this.d.repo.addStatusToken(ticketId, hashToken(token), this.d.clock.now().toISOString(), o.revokeOthers === true);
    return { statusToken: token, statusUrl: this.statusUrl(token) };
  }

  /** The channel's system user (made on first use): the journal's «Зарегистрировал». */
  systemUser(channel: ChannelName): number {
    return this.d.repo.channelUser(channel, channelUserNames[channel], this.d.clock.now().toISOString());
  }

  private statusUrl(token: string): string {
    return `${this.d.publicUrl ?? ''}/s/${token}`;
  }

  /** The category and kind: a given category must exist and fit the kind; none → the fallback «Прочая …». */
  private category(categoryId: number | null, kind: 'emergency' | 'planned' | undefined): { categoryId: number; kind: 'emergency' | 'planned' } {
    if (categoryId === null) {
      const k = kind ?? 'planned';
      const fallback = this.d.repo.fallbackCategory(k);
      if (fallback === null) throw new ApiError(409, 'no_category', `no active category for ${k} requests`);
      return { categoryId: fallback, kind: k };
    }
    const cat = this.d.tickets.category(categoryId);
    if (!cat || !this.d.repo.categoryActive(categoryId)) throw bad('categoryId', 'no such category');
    const k = kind ?? (cat.kind === 'emergency' ? 'emergency' : 'planned');
    if (!fitsKind(cat.kind, k)) throw bad('categoryId', kindMismatch(cat.name, cat.kind, k));
    return { categoryId, kind: k };
  }

  private store(ticketId: number, by: number, files: { filename: string; bytes: Buffer }[]): void {
    const adder = this.d.files;
    if (!adder) return;
    const work = adder.add(ticketId, by, files).then(
      () => undefined,
      (err: unknown) => this.noteRefused(ticketId, (err as Error).message),
    ).finally(() => this.storing.delete(ticketId));
    this.storing.set(ticketId, work);
  }

  /** Files the resident sent were refused: logged, and said to the dispatchers in the conversation. */
  private noteRefused(ticketId: number, why: string): void {
    this.d.logger.warn('channel attachments refused', { ticketId, error: why });
    this.d.repo.addMessage({ ticketId, direction: 'out', channel: 'console', body: `Вложения не приняты: ${why}`, author: null, at: this.d.clock.now().toISOString() });
  }
}

/** How the conversation names the resident: the name, else the phone or e-mail. */
export function contactLabel(c: InboundRequest['contact']): string | null {
  return c.name?.trim() || c.phone?.trim() || c.email?.trim() || null;
}
