// Section «Биллинг» (issue 14 item 9): per company the link template that
// opens an account in the billing system and the URL closed requests are
// pushed to (with the signing key to give the receiver); the pushes that
// failed after every retry, each with «Повторить».
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { rb } from '../i18n/ru-booking.ts';
import { companies, input, select, table, type Status } from './ui.ts';

interface Settings { tenantId: number; urlTemplate: string | null; pushUrl: string | null; signingKey: string | null; pushEnabled: boolean }
interface Failed { id: number; tenantId: number; number: string; attempts: number; lastStatus: number | null; lastError: string | null; createdAt: string; nextAt: string }

const labelled = (label: string, control: HTMLElement, hint?: string) => h('label', { class: 'field admin-field' }, h('span', { class: 'label' }, label), control, hint ? h('span', { class: 'muted small' }, hint) : null);

export async function billingSection(el: HTMLElement, status: Status, tenantId?: number): Promise<void> {
  const list = await companies();
  const current = tenantId ?? list[0]?.id;
  if (current === undefined) return void fill(el, h('p', { class: 'muted' }, rb.admin.noCompanies));
  const s = await request<Settings>('GET', `/api/tenants/${current}/billing`);
  const failed = await request<{ items: Failed[] }>('GET', `/api/billing-push/failed?tenantId=${current}`);
  const company = select('billing-company', list.map((c) => [String(c.id), c.name]), String(current));
  company.addEventListener('change', () => void billingSection(el, status, Number(company.value)));
  const template = input('billing-template', s.urlTemplate ?? '');
  template.setAttribute('placeholder', 'https://billing.example/acc/{account}');
  const push = input('billing-push-url', s.pushUrl ?? '');
  push.setAttribute('placeholder', 'https://billing.example/hooks/pult');
  const save = async (e: Event) => {
    e.preventDefault();
    if (await status.run(() => request('PUT', `/api/tenants/${current}/billing`, { urlTemplate: template.value.trim() || null, pushUrl: push.value.trim() || null }))) await billingSection(el, status, current);
  };
  const retry = (id: number) => async () => {
    if (await status.run(() => request('POST', `/api/billing-push/${id}/retry`), rb.admin.retried)) await billingSection(el, status, current);
  };
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'billing-form', onsubmit: (e: Event) => void save(e) },
      h('h3', null, rb.admin.title),
      labelled(rb.admin.company, company),
      labelled(rb.admin.template, template, rb.admin.templateHint),
      labelled(rb.admin.pushUrl, push, rb.admin.pushHint),
      s.pushUrl ? h('p', { class: 'small', testid: 'billing-key' }, s.signingKey ? [rb.admin.key, ' ', h('code', null, s.signingKey)] : rb.admin.noSecret) : null,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'billing-save' }, rb.save))),
    h('h3', null, rb.admin.failed),
    table('billing-failed', [rb.admin.request, rb.admin.attempts, rb.admin.lastError, rb.admin.closedAt, ''],
      failed.items.map((f) => [f.number, String(f.attempts), f.lastStatus ? `HTTP ${f.lastStatus}` : (f.lastError ?? ''), formatWhen(f.createdAt),
        h('button', { class: 'btn btn-small', type: 'button', testid: 'billing-retry', onclick: () => void retry(f.id)() }, rb.admin.retry)]),
      rb.admin.noFailed));
}
