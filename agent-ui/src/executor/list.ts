// The executor's requests: emergencies first (the server's order), each with
// its countdown to the deadline and what it waits for.
import { h } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { visitLine } from '../lib/visit.ts';
import { x } from '../i18n/ru-executor.ts';
import type { Summary } from './api.ts';

/** The countdown text from the due time and this device's clock. */
export function countdown(s: Pick<Summary, 'dueAt' | 'postponedUntil' | 'stage'>, now = Date.now()): { text: string; late: boolean } {
  if (s.stage.code === 'done' || s.stage.code === 'impossible') return { text: x.reported, late: false };
  if (s.stage.code === 'postponed' && s.postponedUntil) return { text: x.postponedUntil(formatWhen(s.postponedUntil)), late: false };
  if (!s.dueAt) return { text: x.noDeadline, late: false };
  const min = Math.floor((new Date(s.dueAt).getTime() - now) / 60_000);
  return min < 0 ? { text: x.late(-min), late: true } : { text: x.left(min), late: false };
}

export function listView(items: Summary[], pending: Set<number>, open: (id: number) => void): HTMLElement {
  if (items.length === 0) return h('p', { class: 'x-empty', testid: 'x-empty' }, x.empty);
  return h('ul', { class: 'x-list', testid: 'x-list' }, items.map((s) => {
    const cd = countdown(s);
    return h('li', {},
      h('button', { type: 'button', class: `x-item x-kind-${s.kind}`, testid: 'x-item', 'data-id': s.id, onclick: () => open(s.id) },
        h('span', { class: 'x-item-top' },
          h('span', { class: `chip chip-kind-${s.kind}` }, x.kind[s.kind] ?? s.kind),
          h('span', { class: 'x-number' }, `№ ${s.number}`),
          h('span', { class: `x-countdown ${cd.late ? 'x-late' : ''}`, testid: 'x-item-countdown', 'data-due': s.stage.code === 'postponed' || s.stage.code === 'done' || s.stage.code === 'impossible' ? '' : s.dueAt ?? '' }, cd.text)),
        h('span', { class: 'x-item-address' }, s.address, s.flat ? `, ${x.flat(s.flat)}` : ''),
        s.visit ? h('span', { class: 'x-visit', testid: 'x-item-visit' }, visitLine(s.visit)) : null,
        h('span', { class: 'x-item-desc' }, s.description),
        h('span', { class: 'x-item-bottom' },
          h('span', { class: 'muted small' }, s.stage.name),
          pending.has(s.id) ? h('span', { class: 'x-pending-dot', testid: 'x-item-pending' }, '⏳') : null,
          s.needsAttention ? h('span', { class: 'x-attention' }, x.attention[s.needsAttention] ?? '') : null)));
  }));
}
