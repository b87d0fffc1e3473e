// The console's callback list: open tasks of the operator's companies,
// earliest due first, each with its countdown (the 10-minute rule) and
// «Перезвонить» (Pult rings the operator's phone, then the number).
import { api, HttpError, type CallbackItem } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatPhone } from '../lib/format.ts';
import { t } from '../i18n/index.ts';

const mmss = (ms: number) => {
  const s = Math.floor(Math.abs(ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export class CallbacksPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note = h('p', { class: 'muted small', testid: 'callbacks-note', 'aria-live': 'polite' });
  private items: CallbackItem[] = [];
  private timers: number[] = [];

  constructor() {
    this.list = h('ol', { class: 'history-list', testid: 'callbacks-list' });
    this.el = h(
      'section',
      { class: 'history callbacks', testid: 'callbacks', 'aria-label': t.callbacks.title },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, t.callbacks.title), h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => void this.load() }, t.callbacks.refresh)),
      this.note,
      this.list,
    );
  }

  start(): void {
    void this.load();
    this.timers.push(window.setInterval(() => this.renderCountdowns(), 1000), window.setInterval(() => void this.load(), 15_000));
  }

  stop(): void {
    for (const id of this.timers) window.clearInterval(id);
    this.timers = [];
  }

  async load(): Promise<void> {
    try {
      const r = await api.callbacks(200);
      this.items = r.items.filter((c) => c.status !== 'done').sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
      this.render();
    } catch {
      // keep what is shown; the next refresh tries again
    }
  }

  private render(): void {
    if (!this.items.length) {
      fill(this.list, h('li', { class: 'muted empty' }, t.callbacks.empty));
      return;
    }
    fill(
      this.list,
      this.items.map((c) =>
        h(
          'li',
          { class: 'history-row', testid: 'callback-row', 'data-id': String(c.id) },
          h(
            'div',
            { class: 'history-top' },
            h('span', { class: 'history-from' }, c.callable ? formatPhone(c.callerNumber) : t.callbacks.withheld),
            h('span', { class: 'chip' }, t.callbacks.reason[c.reason] ?? c.reason),
            h('span', { class: 'countdown', testid: 'callback-countdown', 'data-due': c.dueAt ?? '' }),
          ),
          h(
            'div',
            { class: 'history-bottom' },
            h('span', { class: 'muted small' }, t.callbacks.attempts(c.attempts)),
            h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'callback-call', disabled: !c.callable, onclick: () => void this.call(c) }, t.callbacks.call),
          ),
        ),
      ),
    );
    this.renderCountdowns();
  }

  private renderCountdowns(): void {
    const now = Date.now();
    for (const el of this.list.querySelectorAll<HTMLElement>('[data-testid="callback-countdown"]')) {
      const due = el.dataset.due ? Date.parse(el.dataset.due) : NaN;
      if (Number.isNaN(due)) continue;
      const left = due - now;
      el.textContent = left >= 0 ? t.callbacks.dueIn(mmss(left)) : t.callbacks.overdueBy(mmss(left));
      el.classList.toggle('countdown-overdue', left < 0);
    }
  }

  private async call(c: CallbackItem): Promise<void> {
    try {
      try {
        await api.callBack(c.id);
      } catch (err) {
        // No Asterisk behind Pult (a cloud-PBX room): the vendor's click-to-call.
        if (!(err instanceof HttpError && err.status === 503)) throw err;
        await api.clickToCall(c.callerNumber, c.id);
      }
      this.note.textContent = t.callbacks.calling;
    } catch (err) {
      this.note.textContent = `${t.callbacks.failed}: ${(err as Error).message}`;
    }
  }
}
