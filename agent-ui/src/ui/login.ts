// The login form (both pages). The token goes to localStorage, so the page
// stays logged in until the session expires or the user leaves.
import { api, HttpError, session } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import type { User } from '../lib/types.ts';
import { t } from '../i18n/index.ts';

export function loginView(o: { subtitle: string; notice?: string; onLoggedIn(user: User): void }): HTMLElement {
  const login = h('input', { id: 'login', name: 'username', class: 'input', autocomplete: 'username', testid: 'login-login', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', class: 'input', autocomplete: 'current-password', testid: 'login-password', required: true });
  const error = h('p', { class: 'form-summary', role: 'alert', testid: 'login-error', hidden: !o.notice }, o.notice ?? '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit' }, t.login.submit);
  const form = h(
    'form',
    { class: 'login-form', testid: 'login-form', novalidate: true },
    h('h1', { class: 'login-title' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'), t.login.title),
    h('p', { class: 'muted' }, o.subtitle),
    h('div', { class: 'field' }, h('label', { class: 'label', for: 'login' }, t.login.login), login),
    h('div', { class: 'field' }, h('label', { class: 'label', for: 'password' }, t.login.password), password),
    error,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!login.value.trim() || !password.value) {
      error.textContent = t.login.required;
      error.hidden = false;
      (login.value.trim() ? password : login).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t.login.submitting;
    api
      .login(login.value.trim(), password.value)
      .then((r) => {
        session.set(r.token);
        o.onLoggedIn(r.user);
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof HttpError && (err.status === 401 || err.status === 400) ? t.login.bad : t.login.failed;
        error.hidden = false;
        password.select();
        password.focus();
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = t.login.submit;
      });
  });
  queueMicrotask(() => login.focus());
  return h('main', { class: 'login-page' }, form);
}
