// What an uploaded file really is, judged by its bytes (never by the client's
// name or Content-Type), its thumbnail, and its place on disk under a random
// key. Nothing here trusts or reuses the client's file name as a path.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

/** Detected MIME → stored extension. HEIC/HEIF are accepted only if this sharp build decodes them. */
const allowed: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic', 'image/heif': 'heif', 'image/avif': 'avif',
  'application/pdf': 'pdf',
};
export const THUMB_PX = 320;

export interface Inspected { name: string; mime: string; ext: string; size: number; sha256: string; data: Buffer; thumb: Buffer | null }
export type Refusal = { name: string; problem: string };

/** A display name: the last path segment, no control or path characters, at most 200 characters. */
export function displayName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || 'file';
}

/** Checks one file by content and makes its thumbnail; a refusal names the file and says why. */
export async function inspect(rawName: string, data: Buffer): Promise<Inspected | Refusal> {
  const name = displayName(rawName);
  const type = await fileTypeFromBuffer(data);
  const ext = type ? allowed[type.mime] : undefined;
  if (!type || !ext) return { name, problem: `${type ? type.mime : 'unknown type'} is not accepted (JPEG, PNG, WebP or AVIF images, or PDF)` };
  let thumb: Buffer | null = null;
  if (type.mime.startsWith('image/')) {
    try {
      thumb = await sharp(data, { failOn: 'error', limitInputPixels: 100_000_000 })
        .rotate()
        .resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer();
    } catch {
      return { name, problem: 'the image cannot be decoded (damaged, or a format this server cannot read)' };
    }
  }
  return { name, mime: type.mime, ext, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), data, thumb };
}

export const isRefusal = (x: Inspected | Refusal): x is Refusal => 'problem' in x;

/** The attachments directory: files by random key, two-character fan-out. */
export class AttachmentStore {
  constructor(readonly dir: string) {}

  newKey(ext: string): string {
    const id = randomBytes(16).toString('hex');
    return `${id.slice(0, 2)}/${id}.${ext}`;
  }

  /** Absolute path of a key; keys are ours (hex/ext), but refuse anything that leaves the directory. */
  pathOf(key: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{32}(\.thumb)?\.[a-z]{3,4}$/.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(this.dir, key);
  }

  async write(key: string, data: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    await writeFile(file, data, { flag: 'wx', mode: 0o640 });
  }

  async remove(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => unlink(this.pathOf(k)).catch(() => undefined)));
  }
}
