// Small badges shared by the journal and a request's page.
import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

/** «просрочена на 12 мин» / «осталось 40 мин» for an open request with a deadline. */
export function dueChip(x: { status: 'open' | 'closed'; minutesLeft: number | null; late: boolean; dueSoon?: boolean }): HTMLElement | null {
  if (x.status !== 'open' || x.minutesLeft === null) return null;
  if (x.late) return h('span', { class: 'chip chip-late', testid: 'request-late' }, t.requests.lateMin(-x.minutesLeft));
  const soon = x.dueSoon ?? x.minutesLeft <= 60;
  return h('span', { class: `chip ${soon ? 'chip-soon' : 'chip-left'}` }, t.requests.leftMin(x.minutesLeft));
}
