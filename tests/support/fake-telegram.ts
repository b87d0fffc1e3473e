// A local stand-in for the Telegram Bot API (the real one is outside these
// machines): getUpdates with long polling and offsets, sendMessage,
// sendDocument (multipart/form-data upload), getFile and file downloads, per bot token. Tests push residents' updates and wait
// for what the bot sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage { chatId: number; text: string; replyMarkup: unknown }
export interface SentDocument { chatId: number; caption: string; filename: string; mime: string; bytes: Buffer }

type RawUpdate = { update_id: number; [k: string]: unknown };
interface Bot { updates: RawUpdate[]; all: RawUpdate[]; replays: Set<RawUpdate>; sent: SentMessage[]; documents: SentDocument[]; nextUpdateId: number; polls: number }

export class FakeTelegram {
  private readonly bots = new Map<string, Bot>();
  private readonly files = new Map<string, Buffer>();
  private readonly waiters = new Set<() => void>();
  private server: http.Server | null = null;
  url = '';

  constructor(tokens: string[]) {
    for (const t of tokens) this.bots.set(t, { updates: [], all: [], replays: new Set(), sent: [], documents: [], nextUpdateId: 1000, polls: 0 });
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** Queues an update from a resident; returns its update_id. `raw` replaces the whole update (malformed ones). */
  push(token: string, message: Record<string, unknown> | null, raw?: Record<string, unknown>): number {
    const bot = this.bot(token);
    const update_id = bot.nextUpdateId++;
    const u: RawUpdate = raw ? { update_id, ...raw } : { update_id, message: { message_id: update_id, date: Math.floor(Date.now() / 1000), ...message } };
    bot.updates.push(u);
    bot.all.push(u);
    this.notify();
    return update_id;
  }

  /** Delivers an update again, as Telegram does when the bot handled it but stopped before confirming it. */
  replay(token: string, updateId: number): void {
    const bot = this.bot(token);
    const u = bot.all.find((x) => x.update_id === updateId)!;
    bot.replays.add(u);
    bot.updates.push(u);
    this.notify();
  }

  text(token: string, chatId: number, text: string, from = { id: chatId, first_name: 'Анна' }) {
    return this.push(token, { chat: { id: chatId, type: 'private' }, from, text });
  }

  contact(token: string, chatId: number, phone: string) {
    return this.push(token, { chat: { id: chatId, type: 'private' }, from: { id: chatId, first_name: 'Анна' }, contact: { phone_number: phone, first_name: 'Анна', last_name: 'Петрова', user_id: chatId } });
  }

  /** The resident sends a file as a document (Telegram's «Отправить как файл»). */
  document(token: string, chatId: number, bytes: Buffer, fileName: string, mime: string, caption: string) {
    const fileId = `file-${this.files.size + 1}`;
    this.files.set(fileId, bytes);
    return this.push(token, { chat: { id: chatId, type: 'private' }, from: { id: chatId, first_name: 'Анна' }, caption, document: { file_id: fileId, file_name: fileName, mime_type: mime, file_size: bytes.length } });
  }

  photo(token: string, chatId: number, bytes: Buffer, caption: string) {
    const fileId = `file-${this.files.size + 1}`;
    this.files.set(fileId, bytes);
    return this.push(token, { chat: { id: chatId, type: 'private' }, from: { id: chatId, first_name: 'Анна' }, caption, photo: [{ file_id: `${fileId}-small`, width: 90, height: 60 }, { file_id: fileId, width: 1280, height: 853, file_size: bytes.length }] });
  }

  sent(token: string, chatId?: number): SentMessage[] {
    return this.bot(token).sent.filter((m) => chatId === undefined || m.chatId === chatId);
  }

  /** Documents the bot uploaded to a chat (sendDocument). */
  documents(token: string, chatId?: number): SentDocument[] {
    return this.bot(token).documents.filter((d) => chatId === undefined || d.chatId === chatId);
  }

  /** How many getUpdates calls the bot has made. */
  polls(token: string): number {
    return this.bot(token).polls;
  }

  /** Updates the bot has not confirmed yet (offset not past them). */
  pending(token: string): number {
    return this.bot(token).updates.length;
  }

  /** Waits for a message to the chat whose text matches, sent after `after` messages to it. */
  async waitFor(token: string, chatId: number, match: RegExp, after = 0, timeoutMs = 20_000): Promise<SentMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.sent(token, chatId).slice(after).find((x) => match.test(x.text));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no message matching ${match} to chat ${chatId}; sent: ${JSON.stringify(this.sent(token, chatId).map((x) => x.text))}`);
      await this.changed(deadline - Date.now());
    }
  }

  private bot(token: string): Bot {
    const b = this.bots.get(token);
    if (!b) throw new Error(`unknown bot ${token}`);
    return b;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    const file = /^\/file\/bot([^/]+)\/photos\/(.+)\.jpg$/.exec(req.url ?? '');
    if (file) {
      const bytes = this.bots.has(decodeURIComponent(file[1]!)) ? this.files.get(decodeURIComponent(file[2]!)) : undefined;
      if (!bytes) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      return void res.end(bytes);
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const bot = m ? this.bots.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !bot) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (m[2] === 'sendDocument') {
      const doc = parseMultipart(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
      const chatId = Number(doc?.fields.chat_id);
      if (!doc?.file || !Number.isInteger(chatId)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: there is no document in the request' });
      bot.documents.push({ chatId, caption: doc.fields.caption ?? '', ...doc.file });
      this.notify();
      return send(200, { ok: true, result: { message_id: bot.sent.length + bot.documents.length, chat: { id: chatId, type: 'private' }, date: 0 } });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    switch (m[2]) {
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        bot.updates = bot.updates.filter((u) => u.update_id >= offset || bot.replays.has(u)); // confirmed ones are forgotten
        bot.polls++;
        const deadline = Date.now() + Number(body.timeout ?? 0) * 1000;
        while (bot.updates.length === 0 && Date.now() < deadline && this.server?.listening) await this.changed(deadline - Date.now());
        const result = bot.updates.slice(0, 100);
        for (const u of result) bot.replays.delete(u);
        return send(200, { ok: true, result });
      }
      case 'sendMessage': {
        if (typeof body.chat_id !== 'number' || typeof body.text !== 'string' || !body.text) return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        bot.sent.push({ chatId: body.chat_id, text: body.text, replyMarkup: body.reply_markup ?? null });
        this.notify();
        return send(200, { ok: true, result: { message_id: bot.sent.length, chat: { id: body.chat_id, type: 'private' }, date: 0, text: body.text } });
      }
      case 'getFile': {
        const id = String(body.file_id ?? '');
        if (!this.files.has(id)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return send(200, { ok: true, result: { file_id: id, file_size: this.files.get(id)!.length, file_path: `photos/${id}.jpg` } });
      }
      default:
        return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  }
}

/** A multipart/form-data body's text fields and its one file (enough for sendDocument). */
function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; file: { filename: string; mime: string; bytes: Buffer } | null } | null {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return null;
  const fields: Record<string, string> = {};
  let file: { filename: string; mime: string; bytes: Buffer } | null = null;
  const sep = Buffer.from(`--${boundary}`);
  let at = body.indexOf(sep);
  while (at >= 0) {
    const start = at + sep.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(sep, start);
    if (next < 0) return null;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const content = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) file = { filename, mime: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', bytes: Buffer.from(content) };
    else fields[name] = content.toString('utf8');
    at = next;
  }
  return { fields, file };
}
