// The Telegram channel: one bot per management company, long-polling the
// Bot API (no public address needed). Each update goes through the dialog
// (dialog.ts) and its actions are carried out here: a new request through
// ChannelIntake, a message joining the open request, a rating through
// FeedbackService; a photo sent while the request is open is attached to it.
// The update's offset is stored only after it is handled;
// handling again after a restart is harmless (the request's thread key
// carries the update id, so it is found instead of made twice).
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { ApiError } from '../../http/errors.js';
import type { ChannelIntake } from '../intake.js';
import type { FeedbackService } from '../feedback.js';
import type { ChannelSender } from '../types.js';
import { BotApi, BotApiError, updateSchema, type ReplyMarkup, type Update } from './bot-api.js';
import { closed, converse, created, reopened, type Action, type ChatState, type Inbound } from '../messenger/dialog.js';
import type { TelegramRepository } from './repository.js';
import { messengerText as t } from '../messenger/strings.js';

export interface TelegramChannelDeps {
  repo: TelegramRepository;
  intake: ChannelIntake;
  feedback: FeedbackService;
  clock: Clock;
  logger: Logger;
  /** One bot per company: tenant id → its Bot API. */
  bots: Map<number, BotApi>;
  pollSec: number;
  maxPhotoBytes: number;
}

const ATTEMPTS_PER_UPDATE = 3;
const contactKeyboard: ReplyMarkup = { keyboard: [[{ text: t.contactButton, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true };
const ratingKeyboard: ReplyMarkup = { keyboard: [['1', '2', '3', '4', '5'].map((text) => ({ text })), [{ text: t.questionsLeft }]], resize_keyboard: true, one_time_keyboard: true };

/** `<tenant>:<chat>:<update>`: a request's thread in this channel. */
export const threadKey = (tenantId: number, chatId: number, updateId: number) => `${tenantId}:${chatId}:${updateId}`;
export function parseThreadKey(key: string): { tenantId: number; chatId: number } | null {
  const m = /^(\d+):(-?\d+):\d+$/.exec(key);
  return m ? { tenantId: Number(m[1]), chatId: Number(m[2]) } : null;
}

export class TelegramChannel {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly failures = new Map<string, number>();
  private wake: (() => void) | null = null;

  constructor(private readonly d: TelegramChannelDeps) {}

  /** Replies from the console to the resident's chat (registered in the ChannelRegistry). */
  readonly sender: ChannelSender = {
    channel: 'telegram',
    send: async (to, text, _subject, o) => {
      const key = to.threadKey ?? this.d.intake.threads(to.ticketId).find((x) => x.channel === 'telegram')?.key ?? null;
      const where = key ? parseThreadKey(key) : null;
      if (!where) throw new ApiError(409, 'no_thread', 'the request did not come from Telegram');
      const bot = this.d.bots.get(where.tenantId);
      if (!bot) throw new ApiError(409, 'channel_off', 'Telegram is not configured for this company (PULT_TELEGRAM_BOTS)');
      const message = t.reply(this.d.repo.ticketNumber(to.ticketId) ?? '', text);
      if (o?.attachment) await bot.sendDocument(where.chatId, o.attachment, message);
      else await bot.sendMessage(where.chatId, message);
    },
  };

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const [tenantId, api] of this.d.bots) this.loops.push(this.loop(tenantId, api));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    // A long poll in flight ends by its own timeout; its updates are not confirmed, so they come again.
    await Promise.race([Promise.all(this.loops), new Promise((r) => setTimeout(r, 1000).unref())]);
  }

  private async loop(tenantId: number, api: BotApi): Promise<void> {
    let backoff = 1000;
    while (this.running) {
      try {
        const updates = await api.getUpdates(this.d.repo.nextUpdateId(tenantId), this.d.pollSec);
        backoff = 1000;
        for (const raw of updates) {
          if (!this.running) return;
          await this.handleOne(tenantId, api, raw);
        }
        await this.askRatings(tenantId, api);
      } catch (err) {
        this.d.logger.warn('telegram poll failed', { tenantId, error: (err as Error).message });
        await new Promise<void>((r) => {
          const timer = setTimeout(r, backoff);
          this.wake = () => { clearTimeout(timer); r(); };
        });
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  /** Handles an update and stores the offset after it; an update failing again and again is skipped (logged), not retried forever. */
  async handleOne(tenantId: number, api: BotApi, raw: unknown): Promise<void> {
    const parsed = updateSchema.safeParse(raw);
    const id = typeof (raw as { update_id?: unknown })?.update_id === 'number' ? (raw as { update_id: number }).update_id : null;
    if (id === null) {
      this.d.logger.warn('telegram update without update_id skipped', { tenantId });
      return;
    }
    if (!parsed.success) {
      this.d.logger.warn('telegram update refused: not the expected shape', { tenantId, updateId: id, problems: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      this.d.repo.setNextUpdateId(tenantId, id + 1);
      return;
    }
    const key = `${tenantId}:${id}`;
    try {
      await this.handle(tenantId, api, parsed.data);
      this.failures.delete(key);
      this.d.repo.setNextUpdateId(tenantId, id + 1);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      if (n < ATTEMPTS_PER_UPDATE) throw err;
      this.d.logger.error('telegram update skipped after repeated failures', { tenantId, updateId: id, err, stack: (err as Error).stack });
      this.failures.delete(key);
      this.d.repo.setNextUpdateId(tenantId, id + 1);
    }
  }

  private async handle(tenantId: number, api: BotApi, u: Update): Promise<void> {
    const m = u.message;
    if (!m || m.chat.type !== 'private') return;
    const chatId = m.chat.id;
    const input = inboundOf(m);
    const say = (text: string, markup?: ReplyMarkup) => this.say(api, chatId, text, markup);
    if (!input) return say(t.help);
    const { repo, intake } = this.d;
    const before = repo.chat(tenantId, chatId);
    if (before.lastUpdateId !== null && u.update_id <= before.lastUpdateId) return; // delivered again after a restart
    const out = converse(before, input, {
      accountsByPhone: (phone) => repo.accountsByPhone(tenantId, phone),
      isOpen: (ticketId) => repo.isOpen(ticketId),
    });
    let s = out.state;
    const fromName = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ') || null;
    const replies: (() => Promise<void>)[] = [];
    for (const a of out.actions) {
      if (a.type === 'reply') replies.push(() => say(a.text, a.askContact ? contactKeyboard : a.ratingButtons ? ratingKeyboard : undefined));
      else if (a.type === 'create') {
        const made = await this.create(tenantId, api, chatId, u.update_id, s, a, fromName);
        s = created(s, made.ticketId);
        replies.push(() => say(t.accepted(made.number, made.statusUrl), { remove_keyboard: true }));
      } else if (a.type === 'join') {
        // The message first: a photo that cannot be fetched or is refused by content never loses it.
        intake.addMessage(a.ticketId, { direction: 'in', channel: 'telegram', body: a.body, author: s.name ?? fromName ?? s.phone });
        const photos = await this.photos(tenantId, api, u.update_id, a.photoFileIds);
        const stored = photos.files.length ? await intake.attach(a.ticketId, 'telegram', photos.files) : { stored: 0, refused: null };
        const number = repo.ticketNumber(a.ticketId) ?? '';
        const kept = photos.failed === 0 && stored.refused === null;
        // A file sent as a document is called a file in the answer; a photo, a photo.
        const asFile = m.document !== undefined;
        const answer = !kept ? (asFile ? t.fileRefused(number) : t.photoRefused(number))
          : stored.stored === 0 ? t.joined(number)
          : asFile ? t.fileJoined(number) : t.photoJoined(number);
        replies.push(() => say(answer));
      } else {
        const r = this.rate(a);
        if (r === 'reopened') s = reopened(s, a.ticketId);
        replies.push(() => say(r === 'reopened' ? t.reopened(repo.ticketNumber(a.ticketId) ?? '') : t.thanks, { remove_keyboard: true }));
      }
    }
    repo.saveChat(tenantId, chatId, { ...s, lastUpdateId: u.update_id }, this.d.clock.now().toISOString());
    for (const r of replies) await r();
  }

  /** A new request; on a second handling of the same update, the one made the first time. */
  private async create(tenantId: number, api: BotApi, chatId: number, updateId: number, s: ChatState, a: Extract<Action, { type: 'create' }>, fromName: string | null) {
    const key = threadKey(tenantId, chatId, updateId);
    const { intake, repo } = this.d;
    const existing = intake.findByThread('telegram', key);
    if (existing) {
      const link = intake.newStatusLink(existing.ticketId);
      return { ticketId: existing.ticketId, number: repo.ticketNumber(existing.ticketId) ?? '', statusUrl: link.statusUrl };
    }
    const attachments = (await this.photos(tenantId, api, updateId, a.photoFileIds)).files;
    const base = {
      channel: 'telegram' as const, tenantId, description: a.description, accountId: s.accountId, buildingId: s.accountId ? null : s.buildingId,
      address: s.address, flat: s.flat, contact: { name: s.name ?? fromName, phone: s.phone }, thread: { key },
    };
    try {
      return await intake.accept({ ...base, attachments });
    } catch (err) {
      // A photo refused by content must not lose the request: registered without it.
      if (err instanceof ApiError && err.status === 415) return intake.accept(base);
      throw err;
    }
  }

  /** The photos' bytes from the Bot API (size limited); one that cannot be fetched is logged and counted, not fatal. */
  private async photos(tenantId: number, api: BotApi, updateId: number, fileIds: string[]): Promise<{ files: { filename: string; bytes: Buffer }[]; failed: number }> {
    const files: { filename: string; bytes: Buffer }[] = [];
    let failed = 0;
    for (const [i, fileId] of fileIds.entries()) {
      try {
        files.push({ filename: `telegram-${updateId}${i ? `-${i + 1}` : ''}.jpg`, bytes: await api.download(fileId, this.d.maxPhotoBytes) });
      } catch (err) {
        failed++;
        this.d.logger.warn('telegram photo not fetched', { tenantId, error: (err as Error).message });
      }
    }
    return { files, failed };
  }

  private rate(a: Extract<Action, { type: 'rate' }>): 'reopened' | 'rated' {
    try {
      const r = this.d.feedback.rate(a.ticketId, { score: a.score, comment: a.comment, questionsLeft: a.questionsLeft, channel: 'telegram' });
      return r.reopened ? 'reopened' : 'rated';
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return 'rated'; // already rated, or reopened meanwhile
      throw err;
    }
  }

  /** Chats whose request was closed since: asked for a rating once. */
  private async askRatings(tenantId: number, api: BotApi): Promise<void> {
    for (const c of this.d.repo.chatsWithClosedRequests(tenantId)) {
      if (!this.d.feedback.canRate(c.ticketId)) continue;
      this.d.repo.saveChat(tenantId, c.chatId, closed(this.d.repo.chat(tenantId, c.chatId), c.ticketId), this.d.clock.now().toISOString());
      await this.say(api, c.chatId, t.askRating(c.number), ratingKeyboard);
    }
  }

  /** A message to the resident; a refusal (the bot blocked, the chat gone) is logged, not retried. */
  private async say(api: BotApi, chatId: number, text: string, markup?: ReplyMarkup): Promise<void> {
    try {
      await api.sendMessage(chatId, text, markup);
    } catch (err) {
      if (!(err instanceof BotApiError)) throw err;
      this.d.logger.warn('telegram message not delivered', { chatId, error: err.message });
    }
  }
}

function inboundOf(m: NonNullable<Update['message']>): Inbound | null {
  if (m.contact) return { kind: 'contact', phone: m.contact.phone_number, name: [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ') || null };
  if (m.photo?.length) {
    const largest = [...m.photo].sort((a, b) => b.width * b.height - a.width * a.height)[0]!;
    return { kind: 'photo', caption: m.caption ?? null, fileId: largest.file_id };
  }
  // The attachments' content check decides whether a file is taken (images and PDF), as for a photo.
  if (m.document) return { kind: 'photo', caption: m.caption ?? null, fileId: m.document.file_id };
  if (m.text === undefined) return null;
  const cmd = /^\/([a-z_]+)(?:@\S+)?\s*$/i.exec(m.text.trim());
  return cmd ? { kind: 'command', command: cmd[1]!.toLowerCase() } : { kind: 'text', text: m.text };
}
