// The e-mail channel's outgoing side (nodemailer over SMTP): every mail about a
// request carries «[№ <number>]» in the subject and In-Reply-To / References
// naming the thread's Message-IDs, so the resident's client threads it and
// their answer finds the request again. Each Message-ID sent is remembered.
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../../clock.js';
import type { ChannelSender, OutgoingFile } from '../types.js';
import type { MailRepository } from './repository.js';
import { replySubject } from './message.js';

export interface OutgoingMail { from: string; to: string; subject: string; text: string; messageId: string; inReplyTo?: string; references?: string[]; headers?: Record<string, string>; attachments?: OutgoingFile[] }

/** Where mail goes: nodemailer's SMTP transport in production, anything that sends in tests. */
export interface MailTransport { send(m: OutgoingMail): Promise<void> }

export function smtpTransport(url: string): MailTransport & { close(): void } {
  const t: Transporter = nodemailer.createTransport(url);
  return {
    async send(m) {
      await t.sendMail({
        from: m.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId, inReplyTo: m.inReplyTo, references: m.references, headers: m.headers,
        attachments: m.attachments?.map((a) => ({ filename: a.filename, content: a.bytes, contentType: a.mime })),
      });
    },
    close: () => t.close(),
  };
}

export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly domain: string;

  constructor(
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly repo: MailRepository,
    private readonly ticketNumber: (ticketId: number) => string | null,
    private readonly clock: Clock,
  ) {
    this.domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'pult.local';
  }

  async send(to: { ticketId: number; threadKey: string | null; contact: { name?: string | null; phone?: string | null; email?: string | null } }, text: string, subject?: string, o: { automatic?: boolean; attachment?: OutgoingFile } = {}): Promise<void> {
    const thread = this.repo.thread(to.ticketId);
    const address = to.contact.email ?? thread?.email ?? null;
    if (!address) throw new Error(`request ${to.ticketId} has no e-mail address to answer`);
    const number = this.ticketNumber(to.ticketId);
    if (!number) throw new Error(`request ${to.ticketId} not found`);
    const known = this.repo.messageIds(to.ticketId);
    const references = [...new Set([thread?.rootMessageId ?? to.threadKey, ...known.map((k) => k.messageId).reverse()].filter((x): x is string => Boolean(x)))];
    const inReplyTo = known.find((k) => k.direction === 'in')?.messageId ?? references.at(-1);
    const messageId = `<pult.${to.ticketId}.${randomUUID()}@${this.domain}>`;
    await this.transport.send({
      from: this.from, to: address, subject: replySubject(number, subject ?? thread?.subject ?? ''), text, messageId,
      inReplyTo, references: references.length ? references : undefined,
      headers: o.automatic ? { 'Auto-Submitted': 'auto-replied' } : undefined,
      attachments: o.attachment ? [o.attachment] : undefined,
    });
    this.repo.rememberMessageId(messageId, to.ticketId, 'out', this.clock.now().toISOString());
  }
}
