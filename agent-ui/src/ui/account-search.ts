// Type-ahead account search (debounced, stale answers dropped): account
// number, phone in any format, surname, or street + house + flat.
import { api } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { fullAddress } from '../lib/format.ts';
import type { AccountItem } from '../lib/types.ts';
import { t } from '../i18n/index.ts';

let seq = 0;

export function accountSearch(o: { onPick(a: AccountItem): void; initial?: string; autofocus?: boolean }): HTMLElement {
  const id = `acc-search-${++seq}`;
  const input = h('input', {
    id,
    type: 'search',
    class: 'input',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t.card.searchPlaceholder,
    testid: 'account-search',
    role: 'combobox',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
    'aria-autocomplete': 'list',
  });
  input.value = o.initial ?? '';
  const list = h('ul', { id: `${id}-list`, class: 'search-results', role: 'listbox', 'aria-label': t.card.searchLabel });
  const status = h('p', { class: 'muted small', 'aria-live': 'polite' });
  let timer: number | null = null;
  let ctrl: AbortController | null = null;
  let items: AccountItem[] = [];
  let active = -1;

  const render = () => {
    input.setAttribute('aria-expanded', String(items.length > 0));
    fill(
      list,
      items.map((a, i) =>
        h(
          'li',
          {
            role: 'option',
            id: `${id}-opt-${i}`,
            class: `search-item${i === active ? ' active' : ''}`,
            'aria-selected': String(i === active),
            testid: 'account-search-result',
            onmousedown: (e: MouseEvent) => {
              e.preventDefault();
              o.onPick(a);
            },
          },
          h('span', { class: 'search-name' }, a.holderName),
          h('span', { class: 'search-addr' }, fullAddress(a.address, a.flat)),
          h('span', { class: 'search-meta' }, `${t.card.account} ${a.accountNumber} · ${a.tenant.name}`),
        ),
      ),
    );
    if (active >= 0) input.setAttribute('aria-activedescendant', `${id}-opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };

  const run = async (q: string) => {
    ctrl?.abort();
    if (!q.trim()) {
      items = [];
      status.textContent = '';
      render();
      return;
    }
    ctrl = new AbortController();
    try {
      const r = await api.searchAccounts(q.trim(), 10, ctrl.signal);
      items = r.items;
      active = items.length ? 0 : -1;
      status.textContent = items.length ? '' : t.card.searchNothing;
      render();
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      status.textContent = t.common.serverError;
    }
  };

  input.addEventListener('input', () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(input.value), 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      active = (active + 1) % items.length;
      render();
    } else if (e.key === 'ArrowUp' && items.length) {
      e.preventDefault();
      active = (active - 1 + items.length) % items.length;
      render();
    } else if (e.key === 'Enter' && !e.ctrlKey) {
      const a = items[active];
      if (!a) return;
      e.preventDefault();
      o.onPick(a);
    }
  });
  if (input.value) void run(input.value);
  if (o.autofocus) queueMicrotask(() => input.focus());

  return h('div', { class: 'account-search' }, h('label', { for: id, class: 'label' }, t.card.searchLabel), input, status, list);
}
