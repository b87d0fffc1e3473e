// Mail to a company's inbound address: an answer on a known thread (its
// In-Reply-To / References name one of the request's Message-IDs, or its
// subject carries «[№ <number>]») joins that request as an 'in' message, or
// rates it when the resident was asked to; any other mail becomes a new
// request (channel email) with the sender matched to an account — by the
// directory's e-mails, an e-mail learned before or a phone number in the
// text — and is
// acknowledged with the number and the status link.
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { FoundAccount } from '../../features/screen-pop/lookup.js';
import type { ChannelIntake, FeedbackService } from '../index.js';
import type { MailRepository } from './repository.js';
import type { EmailSender } from './sender.js';
import { description, freshText, phonesIn, ratingIn, subjectNumber, type MailIn } from './message.js';
import { mailText } from './strings.js';

export interface EmailInboundDeps {
  repo: MailRepository;
  intake: ChannelIntake;
  feedback: FeedbackService;
  /** Null when PULT_MAIL_SMTP_OUT_URL is not set: nothing is acknowledged. */
  sender: EmailSender | null;
  /** Accounts of one company by a phone number (the directory). */
  accountsByPhone(phone: string, tenantId: number): FoundAccount[];
  accountById(accountId: number, tenantId: number): FoundAccount | null;
  /** Stores files on a request (checked by content; images and PDFs only). */
  attach(ticketId: number, files: { filename: string; bytes: Buffer }[]): Promise<void>;
  maxAttachments: number;
  maxAttachmentBytes: number;
  clock: Clock;
  logger: Logger;
}

export type Delivery = { kind: 'duplicate'; ticketId: number } | { kind: 'joined'; ticketId: number } | { kind: 'rated'; ticketId: number; reopened: boolean } | { kind: 'created'; ticketId: number; number: string };

const validEmail = z.email();
const kept = (a: { contentType: string }) => a.contentType.startsWith('image/') || a.contentType === 'application/pdf';

export class EmailInbound {
  constructor(private readonly d: EmailInboundDeps) {}

  async deliver(tenantId: number, mail: MailIn): Promise<Delivery> {
    const { repo } = this.d;
    const at = this.d.clock.now().toISOString();
    // A retried delivery (the sender did not see our 250): taken once.
    if (mail.messageId) {
      const seen = repo.ticketByMessageIds([mail.messageId], tenantId);
      if (seen !== null) return { kind: 'duplicate', ticketId: seen };
    }
    const files = mail.attachments.filter(kept).filter((a) => a.bytes.length <= this.d.maxAttachmentBytes).slice(0, this.d.maxAttachments).map((a) => ({ filename: a.filename, bytes: a.bytes }));
    const existing = this.thread(tenantId, mail);
    if (existing !== null) {
      if (mail.messageId) repo.rememberMessageId(mail.messageId, existing, 'in', at);
      const rating = repo.askedForThisClosing(existing) ? ratingIn(mail.text) : null;
      if (rating) {
        const { reopened } = this.d.feedback.rate(existing, { score: rating.score, comment: rating.comment, questionsLeft: rating.questionsLeft, channel: 'email' });
        return { kind: 'rated', ticketId: existing, reopened };
      }
      this.d.intake.addMessage(existing, { direction: 'in', channel: 'email', body: freshText(mail.text) || mail.subject || mailText.noDescription, author: mail.fromName ?? mail.from });
      if (files.length) await this.d.attach(existing, files);
      return { kind: 'joined', ticketId: existing };
    }
    const account = this.matchAccount(tenantId, mail);
    const email = mail.from && validEmail.safeParse(mail.from).success ? mail.from : null;
    const received = this.d.intake.receive({
      channel: 'email', tenantId, description: description(mail),
      accountId: account?.id ?? null, buildingId: account?.buildingId ?? null, flat: account?.flat ?? null,
      contact: { name: mail.fromName?.slice(0, 200) ?? account?.holderName ?? null, phone: phonesIn(mail.text)[0] ?? null, email },
      thread: mail.messageId ? { key: mail.messageId } : null,
      attachments: files,
    });
    repo.transaction(() => {
      repo.saveThread({ ticketId: received.ticketId, tenantId, email: mail.from!, name: mail.fromName, subject: mail.subject, rootMessageId: mail.messageId });
      if (mail.messageId) repo.rememberMessageId(mail.messageId, received.ticketId, 'in', at);
      if (account && mail.from) repo.learnEmail(tenantId, mail.from, account.id, at);
    });
    this.d.logger.info('mail became a request', { ticketId: received.ticketId, number: received.number, tenantId, account: account?.id ?? null });
    // Not awaited: a slow or down outgoing server must not hold the resident's mail server (nor make it retry).
    if (this.d.sender && !mail.automatic) {
      const sender = this.d.sender;
      void sender
        .send({ ticketId: received.ticketId, threadKey: mail.messageId, contact: { email: mail.from } }, mailText.ack({ name: mail.fromName, number: received.number, statusUrl: received.statusUrl }), undefined, { automatic: true })
        .catch((err: unknown) => this.d.logger.warn('acknowledgement not sent', { ticketId: received.ticketId, err: (err as Error).message }));
    }
    return { kind: 'created', ticketId: received.ticketId, number: received.number };
  }

  /** The request this mail answers, within the company. */
  private thread(tenantId: number, mail: MailIn): number | null {
    const byId = this.d.repo.ticketByMessageIds(mail.replyTo, tenantId);
    if (byId !== null) return byId;
    for (const key of mail.replyTo) {
      const t = this.d.intake.findByThread('email', key);
      if (t && t.tenantId === tenantId) return t.ticketId;
    }
    const number = subjectNumber(mail.subject);
    return number ? this.d.repo.ticketByNumber(tenantId, number) : null;
  }

  /**
   * The sender's account, within the company: the address in the directory
   * (one account, or one active among closed ones), else an address learned
   * before, else the first phone in the text that one account has.
   */
  private matchAccount(tenantId: number, mail: MailIn): FoundAccount | null {
    const listed = mail.from ? this.d.repo.accountsByDirectoryEmail(tenantId, mail.from) : [];
    if (listed.length === 1 || (listed.length > 1 && listed[0]!.active && !listed[1]!.active)) {
      const acc = this.d.accountById(listed[0]!.id, tenantId);
      if (acc) return acc;
    }
    const known = mail.from ? this.d.repo.accountByEmail(tenantId, mail.from) : null;
    if (known !== null) {
      const acc = this.d.accountById(known, tenantId);
      if (acc) return acc;
    }
    for (const phone of phonesIn(`${mail.subject}\n${mail.text}`)) {
      const found = this.d.accountsByPhone(phone, tenantId);
      if (found.length === 1 || (found.length > 1 && found[0]!.status === 'active' && found[1]!.status !== 'active')) return found[0]!;
    }
    return null;
  }
}
