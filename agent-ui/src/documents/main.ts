// The «Заявка» template editor (/documents/, admins; supervisors read): a
// company's template as JSON with the list of placeholders, a preview PDF
// (with made-up values or a given request's data) and save / reset. The
// server validates; its problems are listed by where they are.
import '../styles/base.css';
import './documents.css';
import { api, onUnauthorized, request, session, HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { loginView } from '../ui/login.ts';
import { d } from '../i18n/ru-documents.ts';
import { t } from '../i18n/index.ts';
import { fetchPdf, openPdfTab } from './print.ts';

interface TemplateState { tenantId: number; template: unknown; isDefault: boolean; updatedAt: string | null; placeholders: Record<string, string> }
type Problem = { field: string; problem: string };

const root = document.getElementById('app')!;
document.title = d.title;

function showLogin(): void {
  fill(root, loginView({ subtitle: d.subtitle, onLoggedIn: () => void start() }));
}
onUnauthorized(showLogin);

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  const [me, companies] = await Promise.all([api.me(), request<{ items: { id: number; name: string }[] }>('GET', '/api/zones/companies')]);
  const admin = me.user.role === 'admin';
  const company = h('select', { class: 'input', testid: 'doc-company' }, companies.items.map((x) => h('option', { value: x.id }, x.name)));
  const state = h('p', { class: 'muted', testid: 'doc-state' });
  const editor = h('textarea', { id: 'doc-editor', class: 'input doc-editor', spellcheck: false, testid: 'doc-editor', readOnly: !admin });
  const status = h('p', { role: 'status', class: 'small', testid: 'doc-status' });
  const problems = h('ul', { class: 'doc-problems', role: 'alert', hidden: true, testid: 'doc-problems' });
  const placeholders = h('ul', { class: 'doc-placeholders', testid: 'doc-placeholders' });
  const requestNumber = h('input', { id: 'doc-request', class: 'input input-short', maxlength: 30, placeholder: '2026-000123', autocomplete: 'off', testid: 'doc-request' });

  const showProblems = (list: string[]) => {
    fill(problems, list.map((p) => h('li', null, p)));
    problems.hidden = list.length === 0;
  };
  const show = (s: TemplateState) => {
    editor.value = JSON.stringify(s.template, null, 2);
    state.textContent = s.isDefault ? d.isDefault : d.isCustom(formatWhen(s.updatedAt));
    fill(placeholders, Object.entries(s.placeholders).map(([k, v]) => h('li', null, h('code', null, `{{${k}}}`), ` — ${v}`)));
  };
  const load = async () => {
    showProblems([]);
    status.textContent = '';
    show(await request<TemplateState>('GET', `/api/document-templates/${company.value}`));
  };
  /** The editor's JSON, or null with the reason shown. */
  const parsed = (): unknown => {
    try {
      return JSON.parse(editor.value);
    } catch (err) {
      showProblems([d.badJson((err as Error).message)]);
      return null;
    }
  };
  const explain = (err: unknown) => {
    if (err instanceof HttpError && err.status === 401) return;
    const details = (err as { details?: Problem[] }).details ?? [];
    if (details.length) return showProblems([d.problems, ...details.map((p) => `${p.field}: ${p.problem}`)]);
    showProblems([err instanceof HttpError && err.status === 403 ? d.forbidden : (err as { status?: number }).status === 404 ? d.requestNotFound : err instanceof Error && err.message ? err.message : t.common.serverError]);
  };

  const preview = () => {
    const template = parsed();
    if (template === null) return;
    showProblems([]);
    const body = JSON.stringify(requestNumber.value.trim() ? { template, requestNumber: requestNumber.value.trim() } : { template });
    openPdfTab(() => fetchPdf(`/api/document-templates/${company.value}/preview`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }), explain);
  };
  const save = () => {
    const template = parsed();
    if (template === null) return;
    showProblems([]);
    request<TemplateState>('PUT', `/api/document-templates/${company.value}`, { template })
      .then((s) => { show(s); status.textContent = d.saved; })
      .catch(explain);
  };
  const reset = () => {
    if (!confirm(d.resetConfirm)) return;
    request<TemplateState>('DELETE', `/api/document-templates/${company.value}`)
      .then((s) => { show(s); status.textContent = d.resetDone; showProblems([]); })
      .catch(explain);
  };
  company.addEventListener('change', () => void load());

  fill(root, h('main', { class: 'doc-page' },
    h('header', { class: 'doc-head' }, h('h1', null, d.heading), h('label', null, d.company, ' ', company),
      h('button', { class: 'btn', type: 'button', onclick: () => void api.logout().finally(() => { session.clear(); showLogin(); }) }, d.logout)),
    state,
    h('div', { class: 'doc-layout' },
      h('section', null,
        h('label', { class: 'label', for: 'doc-editor' }, d.editorLabel), editor,
        problems,
        h('div', { class: 'doc-tools' },
          h('div', { class: 'field' }, h('label', { class: 'label', for: 'doc-request' }, d.previewRequest), requestNumber),
          h('button', { type: 'button', class: 'btn btn-ghost', testid: 'doc-preview', onclick: preview, disabled: !admin }, d.preview),
          admin ? h('button', { type: 'button', class: 'btn', testid: 'doc-save', onclick: save }, d.save) : null,
          admin ? h('button', { type: 'button', class: 'btn btn-ghost', testid: 'doc-reset', onclick: reset }, d.reset) : null),
        status),
      h('aside', null, h('h2', { class: 'section-title' }, d.placeholdersTitle), placeholders))));
  if (companies.items.length) await load();
}

void start();
