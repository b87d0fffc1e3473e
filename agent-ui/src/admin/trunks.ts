// Section «SIP-транки»: the carrier trunks Pult pushes to the PBX, each with
// its registration state; one form creates a trunk (POST) or edits one
// (PATCH; an empty password keeps the stored one, which is never shown).
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { field, input, num, select, table, type Status } from './ui.ts';

export interface Trunk {
  id: number; name: string; mode: 'ip' | 'register'; host: string; port: number; transport: string; codecs: string[];
  username: string | null; authUsername: string | null; realm: string | null; callerId: string | null; didSource: string;
  passwordSet: boolean; state: string;
}

const CODECS = ['alaw', 'ulaw', 'g722', 'opus', 'g729', 'gsm'];

export const trunks = () => request<{ items: Trunk[] }>('GET', '/api/trunks').then((r) => r.items);

/** The registration state as a badge (data-state for tests and styles). */
export function stateBadge(t: Trunk): HTMLElement {
  return h('span', { class: `trunk-state trunk-${t.state}`, testid: `trunk-state-${t.id}`, 'data-state': t.state }, a.trunks.states[t.state] ?? t.state);
}

export async function trunksSection(el: HTMLElement, status: Status, editing: Trunk | null = null): Promise<void> {
  const list = await trunks();
  const t = editing;
  const f = {
    name: input('trunk-name', t?.name ?? ''),
    mode: select('trunk-mode', Object.entries(a.trunks.modes), t?.mode ?? 'register'),
    host: input('trunk-host', t?.host ?? ''),
    port: input('trunk-port', t?.port ?? 5060, 'number'),
    transport: select('trunk-transport', [['udp', 'UDP'], ['tcp', 'TCP'], ['tls', 'TLS']], t?.transport ?? 'udp'),
    username: input('trunk-username', t?.username ?? ''),
    password: input('trunk-password', '', 'password'),
    authUsername: input('trunk-auth-username', t?.authUsername ?? ''),
    realm: input('trunk-realm', t?.realm ?? ''),
    callerId: input('trunk-caller-id', t?.callerId ?? ''),
    didSource: select('trunk-did-source', Object.entries(a.trunks.didSources), t?.didSource ?? 'ruri'),
  };
  const codecBoxes = CODECS.map((c) => ({ c, box: h('input', { type: 'checkbox', value: c, checked: (t?.codecs ?? ['alaw', 'ulaw']).includes(c), testid: `trunk-codec-${c}` }) }));
  const codecs = h('div', { class: 'admin-checks', testid: 'trunk-codecs' }, ...codecBoxes.map(({ c, box }) => h('label', { class: 'checkbox-field' }, box, ' ', c)));
  const login = [field('username', f.username), field('password', f.password, t?.passwordSet ? a.trunks.passwordKept : undefined), field('authUsername', f.authUsername, a.trunks.optional), field('realm', f.realm, a.trunks.optional)];
  const showLogin = () => login.forEach((x) => (x.hidden = f.mode.value !== 'register'));
  f.mode.addEventListener('change', showLogin);
  showLogin();
  const orNull = (el: HTMLInputElement) => el.value.trim() || null;
  const body = () => {
    const b: Record<string, unknown> = {
      name: f.name.value, mode: f.mode.value, host: f.host.value.trim(), port: num(f.port), transport: f.transport.value,
      codecs: codecBoxes.filter((x) => x.box.checked).map((x) => x.c), callerId: orNull(f.callerId), didSource: f.didSource.value,
    };
    if (f.mode.value === 'register') {
      Object.assign(b, { username: orNull(f.username), authUsername: orNull(f.authUsername), realm: orNull(f.realm) });
      // Editing: an empty password keeps the stored one.
      if (f.password.value || !t) b.password = f.password.value || null;
    }
    return b;
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (await status.run(() => (t ? request('PATCH', `/api/trunks/${t.id}`, body()) : request('POST', '/api/trunks', body())))) await trunksSection(el, status);
  };
  const remove = async (x: Trunk) => {
    if (!confirm(a.trunks.removeConfirm(x.name))) return;
    if (await status.run(() => request('DELETE', `/api/trunks/${x.id}`))) await trunksSection(el, status);
  };
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'trunk-form', onsubmit: (e: Event) => void save(e) },
      h('h3', null, t ? a.trunks.editing(t.name) : a.trunks.new),
      field('name', f.name), field('trunkMode', f.mode), field('host', f.host), field('port', f.port), field('transport', f.transport),
      ...login, field('codecs', codecs), field('callerId', f.callerId, a.trunks.callerIdHint), field('didSource', f.didSource),
      h('p', { class: 'muted small' }, a.trunks.hint),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'trunk-save' }, t ? a.save : a.create),
        t ? h('button', { class: 'btn', type: 'button', onclick: () => void trunksSection(el, status) }, a.cancel) : null)),
    h('div', { class: 'admin-actions' }, h('button', { class: 'btn btn-small', type: 'button', testid: 'trunks-refresh', onclick: () => void trunksSection(el, status, t) }, a.trunks.refresh)),
    table('trunks-table', ['№', a.fields.name!, a.fields.trunkMode!, a.trunks.address, a.fields.codecs!, a.fields.callerId!, a.trunks.state, ''],
      list.map((x) => [String(x.id), x.name, a.trunks.modes[x.mode] ?? x.mode, `${x.host}:${x.port} ${x.transport.toUpperCase()}${x.username ? ` (${x.username})` : ''}`, x.codecs.join(', '), x.callerId ?? a.none, stateBadge(x),
        h('div', { class: 'admin-actions' }, h('button', { class: 'btn btn-small', type: 'button', testid: `trunk-edit-${x.id}`, onclick: () => void trunksSection(el, status, x) }, a.edit),
          h('button', { class: 'btn btn-small', type: 'button', testid: `trunk-delete-${x.id}`, onclick: () => void remove(x) }, a.trunks.remove))]),
      a.trunks.empty));
}
