// A received e-mail as the channel sees it, and the pure rules read from it:
// which thread it answers, the request number in the subject, the new text
// without the quoted letter, phone numbers in the text, a rating reply.
import type { ParsedMail, AddressObject } from 'mailparser';
import { normalizePhone } from '../../domain/phone.js';

export interface MailAttachment { filename: string; contentType: string; bytes: Buffer }

export interface MailIn {
  /** The sender's address, lowercase; null when the From header has none. */
  from: string | null;
  fromName: string | null;
  subject: string;
  /** The plain text (HTML-only mail converted to text by mailparser). */
  text: string;
  messageId: string | null;
  /** Message-IDs this mail answers: In-Reply-To first, then References (newest first). */
  replyTo: string[];
  attachments: MailAttachment[];
  /** Sent by a machine (Auto-Submitted, Precedence: bulk/auto_reply): never answered automatically (no mail loops). */
  automatic: boolean;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value);

function isAutomatic(headers: ParsedMail['headers']): boolean {
  const auto = String(headers.get('auto-submitted') ?? '').toLowerCase();
  const precedence = String(headers.get('precedence') ?? '').toLowerCase();
  return (auto !== '' && auto !== 'no') || ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence);
}

export function fromParsed(m: ParsedMail): MailIn {
  const sender = addresses(m.from).find((v) => v.address);
  const refs = typeof m.references === 'string' ? [m.references] : (m.references ?? []);
  const replyTo = [...new Set([...(m.inReplyTo ? m.inReplyTo.split(/\s+/) : []), ...refs.slice().reverse()].map((s) => s.trim()).filter(Boolean))];
  return {
    from: sender?.address?.toLowerCase() ?? null,
    fromName: sender?.name?.trim() || null,
    subject: (m.subject ?? '').trim(),
    text: (m.text ?? '').replace(/\r\n/g, '\n').trim(),
    messageId: m.messageId?.trim() || null,
    replyTo,
    attachments: m.attachments.map((a) => ({ filename: a.filename ?? 'file', contentType: a.contentType, bytes: a.content })),
    automatic: isAutomatic(m.headers),
  };
}

/** «Re: Течёт кран [№ 2026-000123]» → «2026-000123». */
export function subjectNumber(subject: string): string | null {
  return /\[\s*№\s*(\d{4}-\d{1,9})\s*\]/u.exec(subject)?.[1] ?? null;
}

/** The reply's own subject: «Re: <theirs>» with the request number once. */
export function replySubject(number: string, subject: string): string {
  const base = subject.replace(/^\s*((re|fwd?|ответ|отв)\s*:\s*)+/iu, '').trim() || 'Заявка';
  return subjectNumber(base) === number ? `Re: ${base}` : `Re: ${base} [№ ${number}]`;
}

// Where a mail client starts quoting the letter answered.
const quoteStart = [
  /^>/,
  /^-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение)/iu,
  /^(on|el|am)\s.+(wrote|escribió|schrieb):\s*$/iu,
  /^.{0,120}(пишет|написал(а)?)\s*:\s*$/iu,
  /^_{5,}\s*$/,
];

/** The new text of a reply: the lines before the quoted letter, without a «-- » signature. */
export function freshText(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (quoteStart.some((r) => r.test(line.trim()))) break;
    if (line === '-- ' || line === '--') break;
    out.push(line);
  }
  return out.join('\n').trim();
}

/** Russian mobile and city numbers written in the text, normalised (7XXXXXXXXXX), first seen first. */
export function phonesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:\+7|\b8|\b7)?[\s\-(]{0,3}\d{3}[\s\-)]{0,3}\d{3}[\s-]?\d{2}[\s-]?\d{2}\b/gu)) {
    const n = normalizePhone(m[0]);
    if (n && /^7\d{10}$/.test(n)) found.add(n);
  }
  return [...found];
}

/** A rating reply: its new text starts with a digit 1–5 standing alone; the rest is the comment. */
export function ratingIn(text: string): { score: 1 | 2 | 3 | 4 | 5; comment: string | null } | null {
  const m = /^\s*([1-5])(?!\d|[.,]\d)\s*(?:[.,:;)!–—-]\s*)?([\s\S]*)$/u.exec(freshText(text));
  if (!m) return null;
  const comment = m[2]!.trim();
  return { score: Number(m[1]) as 1 | 2 | 3 | 4 | 5, comment: comment || null };
}

/** A request's description from a mail: the subject, then the new text (capped). */
export function description(m: MailIn, max = 4000): string {
  const body = freshText(m.text);
  const text = [m.subject, body].filter(Boolean).join('\n\n') || 'Письмо без текста';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
