// Section «Облачные АТС»: the companies' cloud-PBX accounts (listed without
// their keys) and a form to connect one; the answer names the webhook address.
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { companies, companyName, field, input, select, table, type Status } from './ui.ts';

interface Account { id: number; vendor: string; name: string; tenantId: number; account: string; lineId: number | null; timeZone: string }
/** The key each vendor signs its events with (the server's secrets schema). */
const secretKey: Record<string, string> = { itoolabs: 'crmToken', mango: 'apiSalt', zadarma: 'secret' };

export async function vpbxSection(el: HTMLElement, status: Status): Promise<void> {
  const [accounts, tenants, lines] = await Promise.all([
    request<{ items: Account[] }>('GET', '/api/vpbx-accounts').then((r) => r.items),
    companies(),
    request<{ items: { id: number; name: string }[] }>('GET', '/api/lines').then((r) => r.items),
  ]);
  const vendor = select('vpbx-vendor', Object.entries(a.vendors), 'mango');
  const name = input('vpbx-name');
  const tenantId = select('vpbx-tenant', tenants.map((t) => [String(t.id), t.name]));
  const account = input('vpbx-account');
  const lineId = select('vpbx-line', [['', a.vpbx.noLine], ...lines.map((l): [string, string] => [String(l.id), l.name])]);
  const secret = input('vpbx-secret', '', 'password');
  const apiBaseUrl = input('vpbx-api-url');
  const save = async (e: Event) => {
    e.preventDefault();
    let hook = '';
    const ok = await status.run(async () => {
      const secrets: Record<string, string> = { [secretKey[vendor.value]!]: secret.value };
      if (apiBaseUrl.value.trim()) secrets.apiBaseUrl = apiBaseUrl.value.trim();
      const r = await request<{ webhookUrl: string }>('POST', '/api/vpbx-accounts', { vendor: vendor.value, name: name.value, tenantId: Number(tenantId.value), account: account.value, lineId: lineId.value ? Number(lineId.value) : null, secrets });
      hook = location.origin + r.webhookUrl;
    });
    if (ok) {
      await vpbxSection(el, status);
      status.ok(a.vpbx.webhook(hook));
    }
  };
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'vpbx-form', onsubmit: (e: Event) => void save(e) }, h('h3', null, a.vpbx.new),
      field('vendor', vendor), field('name', name), field('tenantId', tenantId), field('account', account), field('lineId', lineId),
      field('secrets', secret), field('apiBaseUrl', apiBaseUrl, a.vpbx.apiBaseUrl),
      h('p', { class: 'muted small' }, a.vpbx.hint),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'vpbx-create' }, a.create))),
    table('vpbx-table', ['№', a.fields.vendor!, a.fields.name!, a.fields.tenantId!, a.fields.account!, a.fields.lineId!, a.fields.timeZone!],
      accounts.map((x) => [String(x.id), a.vendors[x.vendor] ?? x.vendor, x.name, companyName(tenants, x.tenantId), x.account, lines.find((l) => l.id === x.lineId)?.name ?? a.none, x.timeZone]), a.vpbx.empty));
}
