// Photos of the work: the camera input (several at once, each ≤ 10 MB),
// uploaded under one idempotency key retried until the server answers, and
// the request's thumbnails.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { x } from '../i18n/ru-executor.ts';
import { newKey, retryable, xapi, type Photo } from './api.ts';

const MAX_BYTES = 10 * 1024 * 1024;

export class PhotoBox {
  readonly el: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly requestId: number, photos: Photo[], private readonly onUploaded: (photos: Photo[]) => void) {
    this.grid = h('div', { class: 'x-photos', testid: 'x-photos' });
    this.status = h('p', { class: 'x-status', role: 'status', testid: 'x-photo-status', hidden: true });
    this.render(photos);
    this.el = h('section', { class: 'x-section' }, h('h2', { class: 'x-h2' }, x.photos), this.grid, this.input(), this.status);
  }

  /** The camera input; a new one per section (a form shows its own). */
  input(): HTMLElement {
    const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true, class: 'x-file', testid: 'x-photo-input', id: `x-photo-${this.requestId}-${Math.random().toString(36).slice(2, 7)}` });
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      input.value = '';
      if (files.length) void this.upload(files);
    });
    return h('label', { class: 'btn btn-block x-photo-btn', for: input.id }, x.addPhotos, input);
  }

  render(photos: Photo[]): void {
    fill(this.grid, photos.length === 0
      ? h('p', { class: 'muted', testid: 'x-no-photos' }, x.noPhotos)
      : photos.map((p) => h('a', { href: p.url, target: '_blank', rel: 'noopener', class: 'x-photo', testid: 'x-photo' },
        p.thumbUrl ? h('img', { src: p.thumbUrl, alt: p.name, loading: 'lazy', testid: 'x-photo-thumb' }) : h('span', {}, p.name))));
  }

  private say(text: string | null, error = false): void {
    this.status.hidden = text === null;
    this.status.textContent = text ?? '';
    this.status.classList.toggle('x-error', error);
  }

  async upload(files: File[]): Promise<void> {
    const big = files.find((f) => f.size > MAX_BYTES);
    if (big) return this.say(x.uploadFailed(`«${big.name}» — ${x.tooLarge}`), true);
    const key = newKey();
    this.say(x.uploading(files.length));
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await xapi.photos(this.requestId, files, key);
        this.render(r.photos);
        this.say(null);
        this.onUploaded(r.photos);
        return;
      } catch (err) {
        if (retryable(err) && attempt < 120) {
          this.say(x.uploadRetry);
          await new Promise((r) => setTimeout(r, Math.min(30_000, 2000 * (attempt + 1))));
          continue;
        }
        const msg = err instanceof HttpError && err.status === 415 ? x.notPhoto : err instanceof HttpError && err.status === 413 ? x.tooLarge : err instanceof Error ? err.message : String(err);
        return this.say(x.uploadFailed(msg), true);
      }
    }
  }
}
