// The few Telegram Bot API methods the messenger channel uses, over HTTPS
// through safe-fetch (only the API's own host; bounded size and time).
// Replies are validated with zod: a malformed answer is an error, never a
// crash. https://core.telegram.org/bots/api
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { safeFetchText, safeRequest, type FetchPolicy } from '../../net/safe-fetch.js';

const photoSize = z.object({ file_id: z.string().min(1), file_size: z.number().optional(), width: z.number(), height: z.number() });

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z
    .object({
      message_id: z.number().int(),
      chat: z.object({ id: z.number().int(), type: z.string() }),
      from: z.object({ first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional() }).optional(),
      text: z.string().max(10_000).optional(),
      caption: z.string().max(10_000).optional(),
      contact: z.object({ phone_number: z.string().max(40), first_name: z.string().max(200).optional(), last_name: z.string().max(200).optional() }).optional(),
      photo: z.array(photoSize).max(20).optional(),
      /** A file sent as a document (an uncompressed photo, a PDF): attached like a photo when its content is accepted. */
      document: z.object({ file_id: z.string().min(1), file_name: z.string().max(300).optional(), mime_type: z.string().max(100).optional(), file_size: z.number().optional() }).optional(),
    })
    .optional(),
});
export type Update = z.infer<typeof updateSchema>;

const envelope = z.object({ ok: z.boolean(), result: z.unknown().optional(), description: z.string().optional(), error_code: z.number().optional() });

/** What the API said no to (bad token, blocked by the user…), or an answer that was not the API's. */
export class BotApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export type ReplyMarkup =
  | { keyboard: { text: string; request_contact?: boolean }[][]; resize_keyboard: true; one_time_keyboard: true }
  | { remove_keyboard: true };

export class BotApi {
  constructor(private readonly baseUrl: string, private readonly token: string, private readonly policy: FetchPolicy) {}

  /** Updates after `offset` (confirming the earlier ones), waiting up to `timeoutSec` for one. */
  async getUpdates(offset: number, timeoutSec: number): Promise<unknown[]> {
    return this.call('getUpdates', { offset, timeout: timeoutSec, allowed_updates: ['message'] }, z.array(z.unknown()), timeoutSec * 1000 + 15_000);
  }

  async sendMessage(chatId: number, text: string, markup?: ReplyMarkup): Promise<void> {
    await this.call('sendMessage', { chat_id: chatId, text: text.slice(0, 4096), ...(markup ? { reply_markup: markup } : {}) }, z.object({ message_id: z.number() }));
  }

  /**
   * A document (a PDF) with a caption, uploaded as multipart/form-data. Built
   * here rather than with Node's FormData: that one rewrites the caption's
   * line breaks to CRLF (the HTML form rule), which the resident would see.
   */
  async sendDocument(chatId: number, file: { filename: string; mime: string; bytes: Buffer }, caption: string): Promise<void> {
    const boundary = `pult-${randomBytes(12).toString('hex')}`;
    const field = (name: string, value: string) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    // The file name as RFC 7578 allows: quotes and line breaks cannot reach the header.
    const safeName = file.filename.replace(/["\r\n\\]/g, '_');
    const body = Buffer.concat([
      Buffer.from(field('chat_id', String(chatId)) + field('caption', caption.slice(0, 1024))
        + `--${boundary}\r\ncontent-disposition: form-data; name="document"; filename="${safeName}"\r\ncontent-type: ${file.mime}\r\n\r\n`),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await this.call('sendDocument', body, z.object({ message_id: z.number() }), this.policy.timeoutMs, `multipart/form-data; boundary=${boundary}`);
  }

  /** A photo's bytes (getFile, then the file URL). */
  async download(fileId: string, maxBytes: number): Promise<Buffer> {
    const file = await this.call('getFile', { file_id: fileId }, z.object({ file_path: z.string().min(1).max(500).optional(), file_size: z.number().optional() }));
    if (!file.file_path) throw new BotApiError('the file is not available', 404);
    if (file.file_size && file.file_size > maxBytes) throw new BotApiError(`the file is larger than ${maxBytes} bytes`, 413);
    const chunks: Buffer[] = [];
    const url = `${this.baseUrl}/file/bot${this.token}/${file.file_path.split('/').map(encodeURIComponent).join('/')}`;
    const r = await safeRequest({ method: 'GET', url }, { ...this.policy, maxBytes }, () => new Writable({ write(c: Buffer, _e, cb) { chunks.push(c); cb(); } }));
    if (r.status !== 200) throw new BotApiError(`file download answered ${r.status}`, r.status);
    return Buffer.concat(chunks);
  }

  private async call<T extends z.ZodType>(method: string, body: object | Buffer, result: T, timeoutMs = this.policy.timeoutMs, contentType = 'application/json'): Promise<z.infer<T>> {
    const r = await safeFetchText(
      { method: 'POST', url: `${this.baseUrl}/bot${this.token}/${method}`, headers: { 'content-type': contentType }, body: Buffer.isBuffer(body) ? body : JSON.stringify(body) },
      { ...this.policy, timeoutMs },
    );
    let json: unknown;
    try {
      json = JSON.parse(r.body);
    } catch {
      throw new BotApiError(`${method}: the answer is not JSON (HTTP ${r.status})`, r.status);
    }
    const env = envelope.safeParse(json);
    if (!env.success) throw new BotApiError(`${method}: unexpected answer (HTTP ${r.status})`, r.status);
    if (!env.data.ok) throw new BotApiError(`${method}: ${env.data.description ?? 'refused'}`, env.data.error_code ?? r.status);
    const out = result.safeParse(env.data.result);
    if (!out.success) throw new BotApiError(`${method}: unexpected result`, r.status);
    return out.data as z.infer<T>;
  }
}
