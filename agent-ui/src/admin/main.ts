// The administration page (/admin/), admins only: companies, lines, overflow
// groups, users and the audit log. Plain forms over the admin API; the
// server's 400 details are shown field by field. Anyone else is told the
// page is not for them (the API answers them 403 anyway).
import '../styles/base.css';
import './admin.css';
import { api, onUnauthorized, session } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { loginView } from '../ui/login.ts';
import { a } from '../i18n/ru-admin.ts';
import { Status } from './ui.ts';
import { tenantsSection } from './tenants.ts';
import { linesSection } from './lines.ts';
import { groupsSection } from './groups.ts';
import { usersSection } from './users.ts';
import { auditSection } from './audit.ts';
import { vpbxSection } from './vpbx.ts';
import { trunksSection } from './trunks.ts';
import { billingSection } from './billing.ts';

const root = document.getElementById('app')!;
document.title = a.title;
type Section = keyof typeof a.sections;
const sections: Record<Section, (el: HTMLElement, s: Status) => Promise<void>> = {
  tenants: tenantsSection, lines: (el, s) => linesSection(el, s), groups: (el, s) => groupsSection(el, s), users: (el, s) => usersSection(el, s), vpbx: vpbxSection, trunks: (el, s) => trunksSection(el, s), audit: auditSection, billing: (el, s) => billingSection(el, s),
};

function showLogin(notice?: string): void {
  fill(root, loginView({ subtitle: a.subtitle, notice, onLoggedIn: () => void start() }));
}
onUnauthorized(() => showLogin());

const logout = () => void api.logout().finally(() => { session.clear(); showLogin(); });

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  const { user } = await api.me();
  if (user.role !== 'admin') {
    fill(root, h('main', { class: 'admin-page' }, h('p', { class: 'form-summary', testid: 'admin-forbidden' }, a.forbidden), h('button', { class: 'btn', type: 'button', onclick: logout }, a.logout)));
    return;
  }
  const status = new Status();
  const body = h('section', { testid: 'admin-section' });
  const tabs = (Object.keys(sections) as Section[]).map((k) => h('button', { class: 'btn', type: 'button', testid: `admin-tab-${k}`, onclick: () => void open(k) }, a.sections[k]));
  const open = async (k: Section) => {
    tabs.forEach((t, i) => (i === Object.keys(sections).indexOf(k) ? t.setAttribute('aria-current', 'page') : t.removeAttribute('aria-current')));
    status.clear();
    history.replaceState(null, '', `#${k}`);
    try {
      await sections[k](body, status);
    } catch (err) {
      status.error(err);
    }
  };
  fill(root, h('main', { class: 'admin-page' },
    h('header', { class: 'admin-head' }, h('h1', null, a.heading), h('span', { class: 'muted' }, user.login), h('button', { class: 'btn', type: 'button', onclick: logout }, a.logout)),
    h('nav', { class: 'admin-nav' }, ...tabs), status.el, body));
  const first = location.hash.slice(1) as Section;
  await open(first in sections ? first : 'tenants');
}

void start();
