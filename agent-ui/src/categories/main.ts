// The categories directory page (/categories/, admins; supervisors read):
// the tree of categories and subcategories with kind, deadline and the
// executor speciality they need, and one form to add or edit a category.
// The server validates everything; its problems are shown by the field.
import '../styles/base.css';
import './categories.css';
import { api, onUnauthorized, request, session, HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { loginView } from '../ui/login.ts';
import { c } from '../i18n/ru-categories.ts';
import { t } from '../i18n/index.ts';

interface Category {
  id: number; code: string; name: string; kind: 'emergency' | 'planned' | 'both'; parentId: number | null; position: number; active: boolean;
  deadlineMinutes: number | null; deadlineRule: unknown; source: string | null; specialityId: number | null; specialityName: string | null; requests: number; children: number;
}
interface Speciality { id: number; name: string }

const root = document.getElementById('app')!;
document.title = c.title;

function showLogin(): void {
  fill(root, loginView({ subtitle: c.subtitle, onLoggedIn: () => void start() }));
}
onUnauthorized(showLogin);

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  const [me, specs] = await Promise.all([api.me(), request<{ items: Speciality[] }>('GET', '/api/specialities')]);
  const admin = me.user.role === 'admin';
  let items: Category[] = [];
  const tree = h('ul', { class: 'cat-tree', testid: 'categories-tree' });
  const status = h('p', { class: 'muted', role: 'status', testid: 'categories-status' });
  const formBox = h('div');

  const load = async () => {
    items = (await request<{ items: Category[] }>('GET', '/api/categories')).items;
    renderTree();
  };
  const say = (text: string) => (status.textContent = text);

  const renderTree = () => {
    const row = (x: Category) => h('li', { class: `cat-row${x.parentId !== null ? ' child' : ''}${x.active ? '' : ' inactive'}`, testid: 'category-row', 'data-code': x.code },
      h('span', { class: 'cat-name' }, x.name, h('span', { class: 'cat-meta' }, ` · ${x.code}`)),
      h('span', { class: `chip chip-kind-${x.kind}` }, c.kinds[x.kind]),
      h('span', { class: 'cat-meta' }, c.deadline(x.deadlineMinutes)),
      x.specialityName ? h('span', { class: 'cat-meta' }, x.specialityName) : null,
      h('span', { class: 'cat-meta' }, c.requests(x.requests)),
      x.active ? null : h('span', { class: 'chip' }, c.inactive),
      admin ? h('span', { class: 'cat-actions' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'category-edit', onclick: () => edit(x) }, c.edit),
        x.parentId === null ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'category-add-sub', onclick: () => edit(null, x) }, c.addSub) : null,
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'category-delete', onclick: () => void remove(x) }, c.remove)) : null);
    fill(tree, items.map(row));
  };

  const remove = async (x: Category) => {
    if (!confirm(c.removeConfirm(x.name))) return;
    try {
      await request('DELETE', `/api/categories/${x.id}`);
      say(c.removed(x.name));
      await load();
    } catch (err) {
      say(err instanceof HttpError && err.status === 409 ? (err.details.map((d) => d.problem).join('; ') || c.inUse) : err instanceof HttpError && err.status === 403 ? c.forbidden : t.common.serverError);
    }
  };

  /** The add/edit form; `parent` pre-selects the parent of a new subcategory. */
  const edit = (cur: Category | null, parent: Category | null = null) => {
    const input = (name: string, value: string, extra: Record<string, string | number> = {}) => h('input', { id: `cat-${name}`, name, class: 'input', value, testid: `category-${name}`, ...extra });
    const select = (name: string, options: [string, string][], value: string) => {
      const s = h('select', { id: `cat-${name}`, name, class: 'input', testid: `category-${name}` }, options.map(([v, l]) => h('option', { value: v }, l)));
      s.value = value;
      return s;
    };
    const code = input('code', cur?.code ?? '', { maxlength: 41, autocomplete: 'off' });
    const name = input('name', cur?.name ?? '', { maxlength: 200, autocomplete: 'off' });
    const kind = select('kind', Object.entries(c.kinds), cur?.kind ?? parent?.kind ?? 'emergency');
    const parents = items.filter((x) => x.parentId === null && x.id !== cur?.id);
    const parentSel = select('parentId', [['', c.fields.noParent!], ...parents.map((x) => [String(x.id), x.name] as [string, string])], String(cur?.parentId ?? parent?.id ?? ''));
    const position = input('position', String(cur?.position ?? 0), { type: 'number', min: 0, max: 10000 });
    const active = h('input', { id: 'cat-active', type: 'checkbox', checked: cur?.active ?? true, testid: 'category-active' });
    const minutes = input('deadlineMinutes', cur?.deadlineMinutes != null ? String(cur.deadlineMinutes) : '', { type: 'number', min: 1 });
    const rule = h('textarea', { id: 'cat-deadlineRule', class: 'input textarea', rows: 3, testid: 'category-deadlineRule', placeholder: '{"minutes":120,"window":{"from":"08:00","to":"23:00"}}' });
    rule.value = cur?.deadlineRule ? JSON.stringify(cur.deadlineRule) : '';
    const source = input('source', cur?.source ?? '', { maxlength: 200 });
    const spec = select('specialityId', [['', c.fields.noSpeciality!], ...specs.items.map((s) => [String(s.id), s.name] as [string, string])], String(cur?.specialityId ?? ''));
    const summary = h('p', { class: 'field-error', role: 'alert', hidden: true, testid: 'category-errors' });
    const field = (key: string, el: HTMLElement) => h('div', { class: 'field' }, h('label', { class: 'label', for: `cat-${key}` }, c.fields[key]), el);
    const form = h('form', { class: 'cat-form', novalidate: true, testid: 'category-form' },
      h('h2', { class: 'panel-title' }, cur ? `${c.edit}: ${cur.name}` : parent ? `${c.addSub}: ${parent.name}` : c.add),
      field('name', name), field('code', code), field('kind', kind), field('parentId', parentSel), field('specialityId', spec),
      field('deadlineMinutes', minutes), field('deadlineRule', rule), field('source', source), field('position', position),
      h('label', { class: 'cat-check', for: 'cat-active' }, active, c.fields.active),
      summary,
      h('div', { class: 'cat-buttons' }, h('button', { type: 'submit', class: 'btn', testid: 'category-save' }, c.save), h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => edit(null) }, c.cancel)));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      summary.hidden = true;
      let deadlineRule: unknown = null;
      if (rule.value.trim()) {
        try {
          deadlineRule = JSON.parse(rule.value);
        } catch {
          summary.textContent = c.badJson;
          summary.hidden = false;
          return;
        }
      }
      const body = {
        code: code.value.trim(), name: name.value.trim(), kind: kind.value, parentId: parentSel.value ? Number(parentSel.value) : null, position: Number(position.value || 0), active: active.checked,
        deadlineMinutes: minutes.value ? Number(minutes.value) : null, deadlineRule, source: source.value.trim() || null, specialityId: spec.value ? Number(spec.value) : null,
      };
      const saving = cur ? request<{ category: Category }>('PATCH', `/api/categories/${cur.id}`, body) : request<{ category: Category }>('POST', '/api/categories', body);
      saving.then(async (r) => {
        say(c.saved(r.category.name));
        await load();
        edit(null);
      }).catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 401) return;
        summary.textContent = err instanceof HttpError && err.details.length ? `${c.problems} ${err.details.map((d) => `${c.fields[d.field.split('.')[0]!] ?? d.field}: ${d.problem}`).join('; ')}` : err instanceof HttpError && err.status === 403 ? c.forbidden : t.common.serverError;
        summary.hidden = false;
      });
    });
    fill(formBox, form);
    name.focus();
  };

  fill(root, h('main', { class: 'cat-page' },
    h('header', { class: 'cat-head' }, h('h1', null, c.heading), h('button', { class: 'btn', type: 'button', onclick: () => void api.logout().finally(() => { session.clear(); showLogin(); }) }, c.logout)),
    status,
    h('div', { class: 'cat-layout' }, tree, admin ? formBox : null)));
  await load();
  if (admin) edit(null);
}

void start();
