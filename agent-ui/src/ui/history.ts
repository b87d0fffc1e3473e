// "My calls": the operator's own recent calls with outcome and recording
// playback; refreshed after each call and when a recording becomes ready.
import { api } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatDuration, formatPhone, formatWhen, localMidnightIso, outcomeLabel } from '../lib/format.ts';
import type { CallItem } from '../lib/types.ts';
import { t } from '../i18n/index.ts';

export function recordingCell(c: Pick<CallItem, 'recordingUrl' | 'recording' | 'id'>): HTMLElement | null {
  if (c.recordingUrl) {
    // recordingUrl is a short-lived signed link (<audio> cannot send the token).
    // Once it has expired, playing fails: fetch a fresh link once and play it.
    const audio = h('audio', { controls: true, preload: 'none', src: c.recordingUrl, testid: 'history-audio', 'data-call-id': c.id, 'aria-label': t.history.recording }) as HTMLAudioElement;
    let refreshed = false;
    audio.addEventListener('error', () => {
      if (refreshed) return;
      refreshed = true;
      api
        .recordingUrl(c.id)
        .then((r) => {
          audio.src = r.url;
          return audio.play();
        })
        .catch(() => undefined);
    });
    return audio;
  }
  if (c.recording?.state === 'failed') return h('span', { class: 'muted small' }, t.history.recordingFailed);
  if (c.recording) return h('span', { class: 'muted small' }, t.history.recordingPending);
  return null;
}

export class HistoryPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private items: CallItem[] = [];
  private loading = false;

  constructor(private readonly o: { title: string; todayOnly?: boolean; limit?: number; onMakeTicket?(c: CallItem): void; onCallBack?(c: CallItem): void }) {
    this.list = h('ol', { class: 'history-list', 'aria-live': 'polite' });
    this.el = h(
      'section',
      { class: 'history', testid: 'history', 'aria-label': o.title },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, o.title), h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'history-refresh', onclick: () => void this.load() }, t.history.refresh)),
      this.list,
    );
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const r = await api.myCalls({ limit: this.o.limit ?? 50, from: this.o.todayOnly ? localMidnightIso() : undefined });
      this.items = r.items;
      this.render();
    } catch {
      // keep what is shown; the next refresh tries again
    } finally {
      this.loading = false;
    }
  }

  private render(): void {
    if (!this.items.length) {
      fill(this.list, h('li', { class: 'muted empty' }, this.o.todayOnly ? t.history.emptyToday : t.history.empty));
      return;
    }
    fill(
      this.list,
      this.items.map((c) =>
        h(
          'li',
          { class: 'history-row', testid: 'history-row', 'data-call-id': c.id, 'data-from': c.from, 'data-outcome': c.outcome ?? '' },
          h(
            'div',
            { class: 'history-top' },
            h('span', { class: 'history-time' }, formatWhen(c.arrivedAt)),
            h('span', { class: 'history-from' }, formatPhone(c.from) || t.card.anonymous),
            h('span', { class: `chip chip-out-${c.outcome ?? 'active'}` }, outcomeLabel(c.outcome)),
          ),
          h(
            'div',
            { class: 'history-sub' },
            c.line?.name ?? '',
            c.entryMenu ? ` · ${c.entryMenu.digit ? t.history.entryKey(c.entryMenu.digit) : t.history.entryNoKey}` : '',
            c.talkSec ? ` · ${t.history.talk} ${formatDuration(c.talkSec)}` : '',
            c.answeredVia ? ` · ${t.via[c.answeredVia] ?? ''}` : '',
            c.recordingUrl && c.recording?.durationSec ? ` · ${t.history.recording.toLowerCase()} ${formatDuration(c.recording.durationSec)}` : '',
          ),
          recordingCell(c),
          this.o.onMakeTicket && c.outcome
            ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'history-make-ticket', onclick: () => this.o.onMakeTicket?.(c) }, t.history.makeTicket)
            : null,
          this.o.onCallBack && c.outcome && /\d{5,}/.test(c.from)
            ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'history-call-back', onclick: () => this.o.onCallBack?.(c) }, t.dial.callBack)
            : null,
        ),
      ),
    );
  }
}
