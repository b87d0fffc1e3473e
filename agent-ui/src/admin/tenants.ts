// Section «Компании»: list, create, rename (PATCH /api/tenants/:id).
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { companies, field, input, table, type Status } from './ui.ts';

export async function tenantsSection(el: HTMLElement, status: Status): Promise<void> {
  const list = await companies();
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
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'tenant-form', onsubmit: (e: Event) => void create(e) }, h('h3', null, a.tenants.new), field('name', name),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'tenant-create' }, a.create))),
    table('tenants-table', ['№', a.fields.name!, ''], list.map((c) => [String(c.id), c.name, h('button', { class: 'btn btn-small', type: 'button', onclick: () => void rename(c.id, c.name)() }, a.tenants.rename)]), a.tenants.empty));
}
