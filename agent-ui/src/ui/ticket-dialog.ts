// A ticket with the calls linked to it, each with its recording.
import { api } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatDuration, formatPhone, formatWhen, fullAddress, outcomeLabel } from '../lib/format.ts';
import type { CallItem } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { recordingCell } from './history.ts';

let dialog: HTMLDialogElement | null = null;

export async function openTicket(id: number): Promise<void> {
  if (!dialog) {
    dialog = h('dialog', { class: 'dialog', testid: 'ticket-dialog' });
    document.body.append(dialog);
  }
  const d = dialog;
  const closeBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => d.close() }, t.common.close);
  fill(d, h('p', { class: 'muted' }, t.common.loading));
  if (!d.open) d.showModal();
  try {
    const { ticket } = await api.ticket(id);
    const calls: CallItem[] = (await Promise.all(ticket.callIds.map((c) => api.call(c).catch(() => null)))).filter((c): c is CallItem => c !== null);
    const dl = (label: string, value: string | null) => (value ? [h('dt', null, label), h('dd', null, value)] : []);
    fill(
      d,
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, `${t.ticket.details} № ${ticket.number}`), closeBtn),
      h('p', null, h('span', { class: `chip chip-kind-${ticket.kind}` }, t.ticket.kinds[ticket.kind]), ' ', ticket.category.name, ' · ', t.ticket.status[ticket.status] ?? ticket.status),
      h('p', { class: 'ticket-desc' }, ticket.description),
      h(
        'dl',
        { class: 'dl' },
        dl(t.ticket.address, fullAddress(ticket.address, ticket.flat)),
        dl(t.ticket.callerName, ticket.anonymousCaller ?? ticket.callerName),
        dl(t.ticket.callerPhone, formatPhone(ticket.callerPhone)),
        dl(t.ticket.createdAt, formatWhen(ticket.createdAt)),
        dl(t.ticket.dueAt, formatWhen(ticket.dueAt)),
        dl(t.ticket.createdBy, ticket.createdBy.name),
      ),
      h('h3', { class: 'section-title' }, t.ticket.calls),
      calls.length
        ? h(
            'ul',
            { class: 'rows' },
            calls.map((c) =>
              h(
                'li',
                { class: 'history-row', testid: 'ticket-call' },
                h('div', { class: 'history-top' }, h('span', { class: 'history-time' }, formatWhen(c.arrivedAt)), h('span', { class: 'history-from' }, formatPhone(c.from)), h('span', { class: `chip chip-out-${c.outcome ?? 'active'}` }, outcomeLabel(c.outcome))),
                h('div', { class: 'history-sub' }, c.line?.name ?? '', c.talkSec ? ` · ${t.history.talk} ${formatDuration(c.talkSec)}` : ''),
                recordingCell(c),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t.ticket.noCalls),
    );
    closeBtn.focus();
  } catch {
    fill(d, h('p', null, t.common.serverError), closeBtn);
  }
}
