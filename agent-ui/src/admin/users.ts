// Section «Пользователи»: every account; create (operators with their
// extension through /api/operators), edit name / mobile / role / companies,
// disable (their sessions and sockets end at once) / enable, reset password.
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { companies, companyChecks, companyName, field, input, select, table, type Company, type Status } from './ui.ts';
import { deviceFields, operatorDevice, type OperatorDevice, type SipAccount } from './device.ts';

interface Account { id: number; login: string; role: string; fullName: string; mobileNumber: string | null; tenantIds: number[] | null; disabledAt: string | null }

const creatable = ['operator', 'supervisor', 'overflow', 'admin'];
const plain = ['admin', 'supervisor', 'overflow'];

export async function usersSection(el: HTMLElement, status: Status, editing: Account | null = null): Promise<void> {
  const [users, tenants] = await Promise.all([request<{ items: Account[] }>('GET', '/api/users?limit=500').then((r) => r.items), companies()]);
  const reload = () => usersSection(el, status);
  const device = editing?.role === 'operator' ? await operatorDevice(editing.id) : null;
  const form = editing ? editForm(editing, tenants, status, reload, device) : createForm(tenants, status, reload);
  const act = async (u: Account, what: 'disable' | 'enable' | 'reset') => {
    if (what === 'disable' && !confirm(a.users.disableConfirm(u.login))) return;
    if (what === 'reset') {
      const pw = prompt(a.users.resetPrompt(u.login));
      if (pw === null) return;
      await status.run(() => request('POST', `/api/users/${u.id}/reset-password`, { newPassword: pw }), a.users.resetDone(u.login));
      return;
    }
    if (await status.run(() => request('POST', `/api/users/${u.id}/${what}`))) await reload();
  };
  const btn = (label: string, testid: string, fn: () => void) => h('button', { class: 'btn btn-small', type: 'button', testid, onclick: fn }, label);
  fill(el, form, h('p', { class: 'muted' }, a.users.executorsHint),
    table('users-table', ['№', a.fields.login!, a.fields.fullName!, a.fields.role!, a.fields.tenantIds!, a.fields.mobileNumber!, a.users.status, ''],
      users.map((u) => [String(u.id), u.login, u.fullName, a.roles[u.role] ?? u.role, u.tenantIds === null ? a.none : u.tenantIds.map((t) => companyName(tenants, t)).join(', ') || a.none,
        u.mobileNumber ?? a.none, u.disabledAt ? a.users.disabled : a.users.active,
        h('div', { class: 'admin-actions' }, btn(a.edit, `user-edit-${u.login}`, () => void usersSection(el, status, u)),
          u.disabledAt ? btn(a.users.enable, `user-enable-${u.login}`, () => void act(u, 'enable')) : btn(a.users.disable, `user-disable-${u.login}`, () => void act(u, 'disable')),
          btn(a.users.reset, `user-reset-${u.login}`, () => void act(u, 'reset')))]),
      ''));
}

function createForm(tenants: Company[], status: Status, reload: () => Promise<void>): HTMLElement {
  const f = {
    login: input('user-login'), password: input('user-password', '', 'password'), fullName: input('user-fullname'), mobileNumber: input('user-mobile'),
    role: select('user-role', creatable.map((r) => [r, a.roles[r]!]), 'operator'), extension: input('user-extension'),
    deviceKind: select('user-device', [['webrtc', a.users.webrtc], ['sip', a.users.sip]], 'webrtc'),
    staticContact: input('user-static-contact'),
  };
  const checks = companyChecks('user-tenants', tenants, []);
  const opOnly = [field('extension', f.extension), field('deviceKind', f.deviceKind)];
  const mobileField = field('mobileNumber', f.mobileNumber);
  // A desk phone that does not register: the address the PBX rings it at.
  const contactField = field('staticContact', f.staticContact, a.users.staticContactHint);
  const showOp = () => {
    for (const x of opOnly) x.hidden = f.role.value !== 'operator';
    contactField.hidden = f.role.value !== 'operator' || f.deviceKind.value !== 'sip';
    mobileField.hidden = f.role.value === 'operator';
  };
  f.role.addEventListener('change', showOp);
  f.deviceKind.addEventListener('change', showOp);
  showOp();
  const save = async (e: Event) => {
    e.preventDefault();
    const common = { login: f.login.value.trim(), password: f.password.value, fullName: f.fullName.value, tenantIds: checks.value() };
    const ok = await status.run(() => f.role.value === 'operator'
      ? request('POST', '/api/operators', { ...common, extension: f.extension.value.trim(), deviceKind: f.deviceKind.value, staticContact: f.deviceKind.value === 'sip' ? f.staticContact.value.trim() || null : null })
      : request('POST', '/api/users', { ...common, role: f.role.value, mobileNumber: f.mobileNumber.value.trim() || null }));
    if (ok) await reload();
  };
  return h('form', { class: 'panel admin-form', testid: 'user-form', onsubmit: (e: Event) => void save(e) }, h('h3', null, a.users.new),
    field('login', f.login), field('password', f.password), field('fullName', f.fullName), field('role', f.role), ...opOnly, contactField, mobileField, field('tenantIds', checks.el),
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'user-create' }, a.create)));
}

function editForm(u: Account, tenants: Company[], status: Status, reload: () => Promise<void>, op: OperatorDevice | null = null): HTMLElement {
  const dev = op ? deviceFields(op) : null;
  const fullName = input('user-fullname', u.fullName);
  const mobileNumber = input('user-mobile', u.mobileNumber ?? '');
  const role = plain.includes(u.role) ? select('user-role', plain.map((r) => [r, a.roles[r]!]), u.role) : null;
  const checks = companyChecks('user-tenants', tenants, u.tenantIds ?? []);
  const save = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { fullName: fullName.value, mobileNumber: mobileNumber.value.trim() || null };
    if (role && role.value !== u.role) body.role = role.value;
    if (u.role !== 'admin' || (role && role.value !== 'admin')) body.tenantIds = checks.value();
    const saved: { account: SipAccount | null } = { account: null };
    if (!(await status.run(async () => { await request('PATCH', `/api/users/${u.id}`, body); saved.account = (await dev?.save()) ?? null; }))) return;
    await reload();
    if (saved.account) status.ok(a.users.sipAccount(saved.account));
  };
  return h('form', { class: 'panel admin-form', testid: 'user-form', onsubmit: (e: Event) => void save(e) }, h('h3', null, a.users.editing(u.login)),
    field('fullName', fullName), field('mobileNumber', mobileNumber), role ? field('role', role) : field('role', h('span', null, a.roles[u.role] ?? u.role)), field('tenantIds', checks.el), ...(dev?.el ?? []),
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'user-save' }, a.save), h('button', { class: 'btn', type: 'button', onclick: () => void reload() }, a.cancel)));
}
