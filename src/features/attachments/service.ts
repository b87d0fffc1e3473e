// Attaching files to a request: every file is checked by content first, then
// all are written to disk, then recorded in one transaction. Any failure
// removes what was written: a request never holds half an upload.
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../clock.js';
import { ApiError } from '../../http/errors.js';
import { inspect, isRefusal, type AttachmentStore, type Inspected } from './files.js';
import type { AttachmentLinks } from './links.js';
import type { AttachmentRepository, AttachmentRow } from './repository.js';

/** What a request's page shows of one attachment; the URLs are short-lived signed links. */
export interface AttachmentView { id: number; name: string; mime: string; size: number; at: string; by: { id: number; name: string }; url: string; thumbUrl: string | null }
export interface Upload { originalname: string; buffer: Buffer }
/** Writes a line in the request's comments, inside the recording transaction. */
export type AttachmentNote = (ticketId: number, by: number, at: string, text: string) => void;

export class AttachmentService {
  constructor(
    readonly repo: AttachmentRepository,
    readonly store: AttachmentStore,
    private readonly links: AttachmentLinks,
    private readonly clock: Clock,
    private readonly note?: AttachmentNote,
  ) {}

  view(a: AttachmentRow): AttachmentView {
    return {
      id: a.id, name: a.name, mime: a.mime, size: a.size, at: a.at, by: { id: a.byId, name: a.byName },
      url: this.links.sign(a.id, 'file'), thumbUrl: a.thumbKey ? this.links.sign(a.id, 'thumb') : null,
    };
  }

  /** A short-lived signed link to an attachment's file. */
  url(id: number): string {
    return this.links.sign(id, 'file');
  }

  /** An attachment's name, type and bytes (to send it on: a document to a resident); null when gone. */
  async read(id: number): Promise<{ name: string; mime: string; bytes: Buffer } | null> {
    const a = this.repo.get(id);
    if (!a) return null;
    return { name: a.name, mime: a.mime, bytes: await readFile(this.store.pathOf(a.storageKey)) };
  }

  list(ticketId: number): AttachmentView[] {
    return this.repo.forRequest(ticketId).map((a) => this.view(a));
  }

  async add(ticketId: number, by: number, uploads: Upload[]): Promise<AttachmentView[]> {
    if (uploads.length === 0) throw new ApiError(400, 'no_files', 'send the files as multipart/form-data in the field `files`');
    const checked = await Promise.all(uploads.map((u) => inspect(u.originalname, u.buffer)));
    const refused = checked.filter(isRefusal);
    if (refused.length > 0) {
      throw new ApiError(415, 'unsupported_type', refused.map((r) => `${r.name}: ${r.problem}`).join('; '), refused.map((r) => ({ file: r.name, problem: r.problem })));
    }
    const files = checked as Inspected[];
    const at = this.clock.now().toISOString();
    const written: string[] = [];
    try {
      const rows = [];
      for (const f of files) {
        const storageKey = this.store.newKey(f.ext);
        await this.store.write(storageKey, f.data);
        written.push(storageKey);
        let thumbKey: string | null = null;
        if (f.thumb) {
          thumbKey = storageKey.replace(/\.[a-z]+$/, '.thumb.webp');
          await this.store.write(thumbKey, f.thumb);
          written.push(thumbKey);
        }
        rows.push({ ticketId, storageKey, thumbKey, name: f.name, mime: f.mime, size: f.size, sha256: f.sha256, byId: by, at });
      }
      const ids = this.repo.insertAll(rows, () => this.note?.(ticketId, by, at, `${files.length === 1 ? 'Добавлено вложение' : 'Добавлены вложения'}: ${files.map((f) => f.name).join(', ')}`));
      return ids.map((id) => this.view(this.repo.get(id)!));
    } catch (err) {
      await this.store.remove(written);
      throw err;
    }
  }
}
