// The messenger conversation with a resident, as a pure state machine: the
// bot feeds it what the resident sent and carries out what it returns. It
// knows nothing of Telegram: another messenger (VK) is one more folder
// beside telegram/ that feeds this dialog and carries out its actions.
//
// First contact: the phone (a shared contact or typed), which finds the
// resident's account and so the address; without a match, the address is
// asked. Then every text is the description of a new request, or, while
// the resident's request is open, a message joining it. After the request
// is closed the resident is asked for a rating 1–5; «Остались вопросы» or a
// low score reopens it (FeedbackService decides).
import { isPhoneLike, normalizePhone } from '../../domain/phone.js';
import { messengerText as t } from './strings.js';

export type Step = 'new' | 'phone' | 'address' | 'ready' | 'rating';

export interface ChatState {
  step: Step;
  phone: string | null;
  name: string | null;
  accountId: number | null;
  buildingId: number | null;
  address: string | null;
  flat: string | null;
  /** The request this chat's messages join while it is open. */
  ticketId: number | null;
  /** The closed request the resident is asked to rate. */
  ratingTicketId: number | null;
  /** «Остались вопросы» said before the score (with what followed it). */
  questionsLeft: boolean;
  questionsComment: string | null;
  /** The last update handled in this chat: one delivered again is not handled twice. */
  lastUpdateId: number | null;
}

export const freshChat = (): ChatState => ({ step: 'new', phone: null, name: null, accountId: null, buildingId: null, address: null, flat: null, ticketId: null, ratingTicketId: null, questionsLeft: false, questionsComment: null, lastUpdateId: null });

export type Inbound =
  | { kind: 'command'; command: string }
  | { kind: 'text'; text: string }
  | { kind: 'contact'; phone: string; name: string | null }
  /** A photo, or a file sent as a document: an attachment with an optional caption. */
  | { kind: 'photo'; caption: string | null; fileId: string };

export interface FoundAddress { accountId: number; buildingId: number | null; address: string; flat: string | null }

/** What the dialog may ask of the world (read-only). */
export interface DialogContext {
  /** The company's accounts at this phone (normalised). */
  accountsByPhone(phone: string): FoundAddress[];
  /** Whether the request is still open (messages join it). */
  isOpen(ticketId: number): boolean;
}

export type Action =
  | { type: 'reply'; text: string; askContact?: boolean; ratingButtons?: boolean }
  | { type: 'create'; description: string; photoFileIds: string[] }
  | { type: 'join'; ticketId: number; body: string; photoFileIds: string[] }
  | { type: 'rate'; ticketId: number; score: 1 | 2 | 3 | 4 | 5; comment: string | null; questionsLeft: boolean };

export interface Outcome { state: ChatState; actions: Action[] }

const MIN_DESCRIPTION = 3;

/** One step of the conversation. */
export function converse(s0: ChatState, msg: Inbound, ctx: DialogContext): Outcome {
  const s: ChatState = { ...s0 };
  if (s.ticketId !== null && !ctx.isOpen(s.ticketId)) s.ticketId = null;

  if (msg.kind === 'command') {
    if (msg.command === 'start') {
      if (s.phone) return { state: s, actions: [reply(t.welcomeBack(s.address))] };
      s.step = 'phone';
      return { state: s, actions: [{ type: 'reply', text: t.welcome, askContact: true }] };
    }
    if (msg.command === 'address' && s.phone) {
      s.step = 'address';
      return { state: s, actions: [reply(t.askAddress)] };
    }
    return { state: s, actions: [reply(t.help)] };
  }

  switch (s.step) {
    case 'new':
    case 'phone':
      return askedPhone(s, msg, ctx);
    case 'address': {
      const text = textOf(msg);
      if (!text || text.length < 5) return { state: s, actions: [reply(t.askAddress)] };
      s.address = text;
      s.accountId = null;
      s.buildingId = null;
      s.flat = null;
      s.step = 'ready';
      return { state: s, actions: [reply(t.askDescription(text))] };
    }
    case 'rating':
      return rated(s, msg);
    case 'ready':
      return described(s, msg);
  }
}

function askedPhone(s: ChatState, msg: Inbound, ctx: DialogContext): Outcome {
  const raw = msg.kind === 'contact' ? msg.phone : msg.kind === 'text' && isPhoneLike(msg.text) ? msg.text : null;
  const phone = raw ? normalizePhone(raw) : null;
  if (!phone || phone.length < 10) {
    const asked = s.step === 'phone';
    s.step = 'phone';
    return { state: s, actions: [{ type: 'reply', text: asked ? t.phoneNotUnderstood : t.welcome, askContact: true }] };
  }
  s.phone = phone;
  if (msg.kind === 'contact') s.name = msg.name;
  const found = ctx.accountsByPhone(phone);
  if (found.length === 1) {
    const a = found[0]!;
    s.accountId = a.accountId;
    s.buildingId = a.buildingId;
    s.address = a.address;
    s.flat = a.flat;
    s.step = 'ready';
    return { state: s, actions: [reply(t.askDescription(fullAddress(a.address, a.flat)))] };
  }
  s.step = 'address';
  return { state: s, actions: [reply(t.askAddress)] };
}

function described(s: ChatState, msg: Inbound): Outcome {
  const text = textOf(msg);
  const photos = msg.kind === 'photo' ? [msg.fileId] : [];
  if (s.ticketId !== null) {
    return { state: s, actions: [{ type: 'join', ticketId: s.ticketId, body: text ?? t.photoOnly, photoFileIds: photos }] };
  }
  if (!text || text.length < MIN_DESCRIPTION) return { state: s, actions: [reply(t.askDescription(fullAddress(s.address, s.flat)))] };
  return { state: s, actions: [{ type: 'create', description: text, photoFileIds: photos }] };
}

function rated(s: ChatState, msg: Inbound): Outcome {
  const text = textOf(msg) ?? '';
  const ticketId = s.ratingTicketId!;
  const m = /^\s*([1-5])(?:\s*[.,:;!-]?\s*(.*))?$/su.exec(text);
  if (m) {
    const score = Number(m[1]) as 1 | 2 | 3 | 4 | 5;
    const comment = [s.questionsComment, m[2]?.trim()].filter(Boolean).join('. ') || null;
    const action: Action = { type: 'rate', ticketId, score, comment, questionsLeft: s.questionsLeft };
    return { state: { ...s, step: 'ready', ratingTicketId: null, questionsLeft: false, questionsComment: null }, actions: [action] };
  }
  const q = /остал\p{L}*\s+вопрос\p{L}*/iu;
  if (q.test(text)) {
    const rest = text.replace(q, '').replace(/^[\s.,:;!?—–-]+/u, '').trim();
    return { state: { ...s, questionsLeft: true, questionsComment: rest || s.questionsComment }, actions: [{ type: 'reply', text: t.askScoreAfterQuestions, ratingButtons: true }] };
  }
  return { state: s, actions: [{ type: 'reply', text: t.askRatingAgain, ratingButtons: true }] };
}

/** The request was created: messages now join it. */
export function created(s: ChatState, ticketId: number): ChatState {
  return { ...s, ticketId, step: 'ready' };
}

/** The rating reopened the request: the chat's messages join it again. */
export function reopened(s: ChatState, ticketId: number): ChatState {
  return { ...s, ticketId, step: 'ready' };
}

/** The chat's request was closed: ask for a rating. */
export function closed(s: ChatState, ticketId: number): ChatState {
  return { ...s, ticketId: s.ticketId === ticketId ? null : s.ticketId, ratingTicketId: ticketId, step: 'rating', questionsLeft: false, questionsComment: null };
}

function textOf(msg: Inbound): string | null {
  if (msg.kind === 'text') return msg.text.trim() || null;
  if (msg.kind === 'photo') return msg.caption?.trim() || null;
  return null;
}

export const fullAddress = (address: string | null, flat: string | null) => (address ? (flat ? `${address}, кв. ${flat}` : address) : '');

const reply = (text: string): Action => ({ type: 'reply', text });
