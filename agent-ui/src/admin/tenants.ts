// Section «Компании»: list, create, rename (PATCH /api/tenants/:id), and
// whether each takes requests through the residents' web form
// (PUT /api/tenants/:id/web-form; only those are listed on /r/).
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { companies, field, input, table, type Status } from './ui.ts';

interface WebFormSettings { items: { tenantId: number; enabled: boolean }[]; formOn: boolean }

export async function tenantsSection(el: HTMLElement, status: Status): Promise<void> {
  const [list, forms] = await Promise.all([companies(), request<WebFormSettings>('GET', '/api/web-form/settings')]);
  const formState = new Map(forms.items.map((f) => [f.tenantId, f.enabled]));
  // On unless the admin switched it off (the server's default).
  const on = (id: number) => formState.get(id) ?? true;
  const name = input('tenant-name');
  const create = async (e: Event) => {
    e.preventDefault();
    if (await status.run(() => request('POST', '/api/tenants', { name: name.value }))) await tenantsSection(el, status);
  };
  const rename = (id: number, current: string) => async () => {
    const next = prompt(a.tenants.rename, current);
    if (next === null) return;
    if (await status.run(() => request('PATCH', `/api/tenants/${id}`, { name: next }))) await tenantsSection(el, status);
  };
  const webForm = (id: number, company: string) => {
    const box = h('input', { type: 'checkbox', testid: `tenant-web-form-${id}`, checked: on(id) });
    const label = h('span', { class: on(id) ? '' : 'muted' }, on(id) ? a.tenants.webFormOn : a.tenants.webFormOff);
    box.addEventListener('change', () => void (async () => {
      const enabled = box.checked;
      if (await status.run(() => request('PUT', `/api/tenants/${id}/web-form`, { enabled }), a.tenants.webFormSaved(company, enabled))) await tenantsSection(el, status);
      else box.checked = !enabled;
    })());
    return h('span', { class: 'admin-web-form' }, h('label', { class: 'admin-check' }, box, ' ', label),
      on(id) ? [' · ', h('a', { href: `/r/${id}/`, target: '_blank', rel: 'noopener' }, a.tenants.open)] : null);
  };
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'tenant-form', onsubmit: (e: Event) => void create(e) }, h('h3', null, a.tenants.new), field('name', name),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'tenant-create' }, a.create))),
    h('p', { class: 'muted' }, a.tenants.webFormHint),
    forms.formOn ? null : h('p', { class: 'form-summary', testid: 'web-form-global-off' }, a.tenants.webFormGlobalOff),
    table('tenants-table', ['№', a.fields.name!, a.tenants.webForm, ''], list.map((c) => [String(c.id), c.name, webForm(c.id, c.name),
      h('button', { class: 'btn btn-small', type: 'button', onclick: () => void rename(c.id, c.name)() }, a.tenants.rename)]), a.tenants.empty));
}
