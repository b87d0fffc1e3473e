// Section «Журнал изменений»: who changed what and when, before and after; filtered and paged.
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { companies, companyName, field, input, select, table, type Status } from './ui.ts';

interface Entry { id: number; at: string; userLogin: string | null; action: string; entity: string; entityId: number | null; tenantId: number | null; before: unknown; after: unknown }

const PAGE = 50;
const when = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'medium' });

/** Only the keys that changed, so a line's twenty settings do not hide the one that moved. */
function diff(before: unknown, after: unknown): [unknown, unknown] {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [before, after];
  const b = before as Record<string, unknown>, x = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(x)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(x[k]));
  return [Object.fromEntries(keys.map((k) => [k, b[k]])), Object.fromEntries(keys.map((k) => [k, x[k]]))];
}
const json = (v: unknown) => h('pre', { class: 'admin-json' }, v === null || v === undefined ? a.none : JSON.stringify(v, null, 1));

export async function auditSection(el: HTMLElement, status: Status): Promise<void> {
  const tenants = await companies();
  const entity = select('audit-entity', [['', a.audit.all], ...Object.entries(a.audit.entities)]);
  const from = input('audit-from', '', 'date');
  const to = input('audit-to', '', 'date');
  const out = h('div', { testid: 'audit-list' });
  let items: Entry[] = [];
  const load = async (offset: number) => {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (entity.value) q.set('entity', entity.value);
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    try {
      const page = await request<{ items: Entry[]; total: number }>('GET', `/api/audit?${q.toString()}`);
      items = offset === 0 ? page.items : [...items, ...page.items];
      status.clear();
      fill(out,
        table('audit-table', [a.audit.at, a.audit.who, a.audit.action, a.audit.entity, a.fields.tenantId!, a.audit.change],
          items.map((e) => { const [b, x] = diff(e.before, e.after); return [when.format(new Date(e.at)), e.userLogin ?? a.none, a.audit.actions[e.action] ?? e.action, `${a.audit.entities[e.entity] ?? e.entity} №${e.entityId ?? ''}`, companyName(tenants, e.tenantId), h('div', null, json(b), '→', json(x))]; }), a.none),
        h('p', { class: 'muted' }, a.audit.shown(items.length, page.total)),
        items.length < page.total ? h('button', { class: 'btn', type: 'button', onclick: () => void load(items.length) }, a.audit.more) : null);
    } catch (err) {
      status.error(err);
    }
  };
  fill(el, h('form', { class: 'panel admin-form', onsubmit: (e: Event) => { e.preventDefault(); void load(0); } },
    field('entity', entity), field('from', from), field('to', to), h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'audit-filter' }, a.audit.filter))), out);
  await load(0);
}
