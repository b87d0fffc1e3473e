// «Открыть в биллинге» for an account on the card: the link is built by the
// server from the company's template (GET /api/billing/link); nothing shows
// when the company has no billing template.
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { rb } from '../i18n/ru-booking.ts';

export function billingLink(accountNumber: string | null | undefined): HTMLElement {
  const el = h('span', { class: 'billing-link', testid: 'card-billing' });
  if (!accountNumber) return el;
  request<{ url: string | null }>('GET', `/api/billing/link?accountNumber=${encodeURIComponent(accountNumber)}`)
    .then(({ url }) => {
      if (url) fill(el, h('a', { class: 'btn btn-small btn-ghost', href: url, target: '_blank', rel: 'noopener noreferrer', testid: 'card-billing-link' }, rb.openBilling));
    })
    .catch(() => undefined);
  return el;
}
