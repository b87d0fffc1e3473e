// Section «Группы переадресации»: the mobiles callers are put through to
// when no operator answers; one number per line, optionally its owner's login.
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { field, input, num, select, table, type Status } from './ui.ts';

interface Group { id: number; name: string; mode: string; timeoutSec: number; members: { number: string; userId: number | null }[]; lineIds: number[] }
interface Person { id: number; login: string }

export async function groupsSection(el: HTMLElement, status: Status, editing: Group | null = null): Promise<void> {
  const [groups, people] = await Promise.all([
    request<{ items: Group[] }>('GET', '/api/overflow-groups').then((r) => r.items),
    request<{ items: Person[] }>('GET', '/api/users?limit=500').then((r) => r.items),
  ]);
  const g = editing;
  const loginOf = (id: number | null) => people.find((p) => p.id === id)?.login ?? '';
  const name = input('group-name', g?.name ?? '');
  const mode = select('group-mode', Object.entries(a.modes), g?.mode ?? 'sequential');
  const timeout = input('group-timeout', g?.timeoutSec ?? 20, 'number');
  const members = h('textarea', { class: 'input textarea', testid: 'group-members', rows: 4 }, g?.members.map((m) => `${m.number} ${loginOf(m.userId)}`.trim()).join('\n') ?? '');
  const save = async (e: Event) => {
    e.preventDefault();
    const rows = members.value.split('\n').map((s) => s.trim()).filter(Boolean).map((s) => s.split(/\s+/));
    const unknown = rows.find(([, login]) => login && !people.some((p) => p.login.toLowerCase() === login.toLowerCase()));
    if (unknown) return status.error(a.groups.unknownLogin(unknown[1]!));
    const body = {
      name: name.value, mode: mode.value, timeoutSec: num(timeout),
      members: rows.map(([number, login]) => ({ number: number!, userId: login ? people.find((p) => p.login.toLowerCase() === login.toLowerCase())!.id : null })),
    };
    if (await status.run(() => (g ? request('PUT', `/api/overflow-groups/${g.id}`, body) : request('POST', '/api/overflow-groups', body)))) await groupsSection(el, status);
  };
  const remove = async (x: Group) => {
    if (!confirm(a.groups.removeConfirm(x.name))) return;
    if (await status.run(() => request('DELETE', `/api/overflow-groups/${x.id}`))) await groupsSection(el, status);
  };
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'group-form', onsubmit: (e: Event) => void save(e) },
      h('h3', null, g ? a.groups.editing(g.name) : a.groups.new),
      field('name', name), field('mode', mode), field('timeoutSec', timeout), field('members', members, a.groups.membersHint),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'group-save' }, g ? a.save : a.create),
        g ? h('button', { class: 'btn', type: 'button', onclick: () => void groupsSection(el, status) }, a.cancel) : null)),
    table('groups-table', ['№', a.fields.name!, a.fields.mode!, a.fields.timeoutSec!, a.fields.members!, a.groups.lines, ''],
      groups.map((x) => [String(x.id), x.name, a.modes[x.mode] ?? x.mode, String(x.timeoutSec), x.members.map((m) => `${m.number}${m.userId ? ` (${loginOf(m.userId)})` : ''}`).join(', '), x.lineIds.join(', ') || a.none,
        h('div', { class: 'admin-actions' }, h('button', { class: 'btn btn-small', type: 'button', onclick: () => void groupsSection(el, status, x) }, a.edit),
          h('button', { class: 'btn btn-small', type: 'button', onclick: () => void remove(x) }, a.groups.remove))]),
      a.groups.empty));
}
