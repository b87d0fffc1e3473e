// The company's reminder calls on the zones page: whether Pult rings an
// executor who has not accepted an emergency request, and after how many
// minutes (GET/PUT /api/reminder-calls/settings/:tenantId).
import { request, HttpError } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { rc } from '../i18n/ru-reminder-calls.ts';

interface Settings { enabled: boolean; afterMinutes: number; customAfterMinutes: number | null; defaultAfterMinutes: number; retryMinutes: number; maxAttempts: number }

export function reminderCallsPanel(): { el: HTMLElement; load(tenantId: number): Promise<void> } {
  let tenantId = 0;
  const enabled = h('input', { type: 'checkbox', testid: 'rc-enabled' });
  const minutes = h('input', { class: 'input rc-minutes', type: 'number', min: 0.05, max: 1440, step: 'any', testid: 'rc-minutes', 'aria-label': rc.minutes });
  const status = h('p', { class: 'muted', role: 'status', testid: 'rc-status' });
  const rules = h('p', { class: 'muted', testid: 'rc-rules' });
  const show = (s: Settings) => {
    enabled.checked = s.enabled;
    minutes.value = s.customAfterMinutes === null ? '' : String(s.customAfterMinutes);
    minutes.placeholder = rc.byDefault(s.defaultAfterMinutes);
    rules.textContent = rc.rules(s.afterMinutes, s.retryMinutes, s.maxAttempts);
  };
  const save = async () => {
    const raw = minutes.value.trim();
    try {
      show(await request<Settings>('PUT', `/api/reminder-calls/settings/${tenantId}`, { enabled: enabled.checked, afterMinutes: raw === '' ? null : Number(raw) }));
      status.textContent = rc.saved;
    } catch (err) {
      status.textContent = err instanceof HttpError ? rc.failed(err.message) : String(err);
    }
  };
  const el = h('section', { class: 'rc-panel', testid: 'rc-panel' },
    h('h2', null, rc.heading),
    h('p', { class: 'muted' }, rc.hint),
    h('div', { class: 'zones-tools' },
      h('label', null, enabled, ' ', rc.enabled),
      h('label', null, rc.after, ' ', minutes, ' ', rc.minutesUnit),
      h('button', { class: 'btn btn-primary', type: 'button', testid: 'rc-save', onclick: () => void save() }, rc.save)),
    rules, status);
  return {
    el,
    async load(id: number) {
      tenantId = id;
      status.textContent = '';
      show(await request<Settings>('GET', `/api/reminder-calls/settings/${id}`));
    },
  };
}
