// «Новая заявка» without a call (walk-in, letter, e-mail…): how it came, the
// account found by the usual search (or an address with its company), then
// the same form and validation as during a call, with the channel recorded.
import { h, fill } from '../lib/dom.ts';
import { channelCodes } from '../lib/requests-api.ts';
import type { AccountItem, TicketCategory } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { accountSearch } from '../ui/account-search.ts';
import { TicketForm } from '../ui/ticket-form.ts';

const c = t.requests.create;
let dialog: HTMLDialogElement | null = null;

export function openNewRequest(o: { categories: () => TicketCategory[]; companies: { id: number; name: string }[]; onSaved(id: number): void }): void {
  dialog?.remove();
  const d = (dialog = h('dialog', { class: 'dialog dialog-wide', testid: 'new-request-dialog', 'aria-label': t.requests.newTitle }));
  const channel = h('select', { id: 'nr-channel', class: 'input', testid: 'new-request-channel' }, channelCodes.filter((x) => x !== 'call').map((x) => h('option', { value: x }, t.requests.channels[x] ?? x)));
  channel.value = 'walk-in';
  const company = h('select', { id: 'nr-company', class: 'input', testid: 'new-request-company' }, h('option', { value: '' }, c.chooseCompany), o.companies.map((x) => h('option', { value: String(x.id) }, x.name)));
  if (o.companies.length === 1) company.value = String(o.companies[0]!.id);
  let account: AccountItem | null = null;
  const form = new TicketForm({
    categories: o.categories,
    channel: () => channel.value,
    onSaved: (tk) => {
      d.close();
      o.onSaved(tk.id);
    },
  });
  const picked = h('div', { class: 'nr-picked' });
  const companyRow = h('div', { class: 'field' }, h('label', { class: 'label', for: 'nr-company' }, c.company), company);
  const sync = () => {
    const tenant = account?.tenant ?? (company.value ? { id: Number(company.value), name: company.selectedOptions[0]?.textContent ?? '' } : null);
    form.setContext({ callId: null, caller: '', callerName: null, anonymous: false, tenant, account });
    companyRow.hidden = account !== null;
  };
  const renderPicked = () => {
    fill(
      picked,
      account
        ? h('p', { class: 'small' }, h('b', null, account.holderName), ` · ${account.address}${account.flat ? `, ${t.card.flat} ${account.flat}` : ''} · ${account.tenant.name} `,
            h('button', { type: 'button', class: 'link small', onclick: () => { account = null; renderPicked(); sync(); } }, t.common.cancel))
        : null,
    );
  };
  company.addEventListener('change', sync);
  const close = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => d.close() }, t.common.close);
  fill(
    d,
    h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, t.requests.newTitle), close),
    h('div', { class: 'form-row' }, h('div', { class: 'field' }, h('label', { class: 'label', for: 'nr-channel' }, c.channel), channel), companyRow),
    h('div', { class: 'field' }, h('span', { class: 'label' }, c.account), accountSearch({ onPick: (a) => { account = a; renderPicked(); sync(); form.focusFirst(); } }), picked),
    form.el,
  );
  document.body.append(d);
  sync();
  d.addEventListener('close', () => d.remove());
  d.showModal();
  channel.focus();
}
