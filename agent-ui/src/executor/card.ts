// One request on the executor's phone: where, who to ring, what happened,
// the call's recording, photos, change proposals, and the four actions.
import { h, fill } from '../lib/dom.ts';
import { formatPhone, formatWhen } from '../lib/format.ts';
import { visitLine } from '../lib/visit.ts';
import { x } from '../i18n/ru-executor.ts';
import type { ActionBody, ActionName, Card, ProposalItem } from './api.ts';
import { countdown } from './list.ts';
import { PhotoBox } from './photos.ts';

export interface CardHandlers {
  back(): void;
  act(card: Card, body: ActionBody): void;
  propose(card: Card, body: { text: string; items: ProposalItem[] }): void;
}

const errorOf = (name: string) => h('p', { class: 'field-error', testid: `x-error-${name}`, hidden: true });
/** A field with its error line; typing in it clears the error. */
const field = (label: string, control: HTMLElement, error: HTMLElement) => {
  control.addEventListener('input', () => { error.hidden = true; });
  return h('div', { class: 'field' }, h('label', { class: 'label', for: control.id }, label), control, error);
};
const fail = (el: HTMLElement, text: string) => {
  el.textContent = text;
  el.hidden = false;
};

/** A local datetime-local value for `d` (the input has no time zone). */
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function cardView(c: Card, o: CardHandlers, pendingNote: string | null): HTMLElement {
  const photos = new PhotoBox(c.id, c.photos, () => undefined);
  const formSlot = h('div', { class: 'x-form-slot', testid: 'x-form-slot' });
  const actionBar = h('div', { class: 'x-actions', testid: 'x-actions' });

  const openForm = (action: ActionName) => {
    actionBar.hidden = true;
    const cancel = () => {
      fill(formSlot);
      actionBar.hidden = false;
      photoHome.append(photos.el);
    };
    const controls: HTMLElement[] = [];
    const read: (() => Partial<ActionBody> | null)[] = [];
    if (action === 'impossible' || action === 'postpone') {
      const reason = h('textarea', { id: 'x-reason', class: 'textarea', rows: 3, placeholder: x.form.reasonHint, testid: 'x-reason' });
      const err = errorOf('reason');
      controls.push(field(x.form.reason, reason, err));
      read.push(() => (reason.value.trim() ? { reason: reason.value.trim() } : (fail(err, x.form.required), null)));
    }
    if (action === 'postpone') {
      const until = h('input', { id: 'x-until', type: 'datetime-local', class: 'input', value: localInput(new Date(Date.now() + 24 * 3600_000)), testid: 'x-until' });
      const err = errorOf('until');
      controls.push(field(x.form.until, until, err));
      read.push(() => {
        const d = new Date(until.value);
        if (!until.value || Number.isNaN(d.getTime())) return fail(err, x.form.required), null;
        if (d.getTime() <= Date.now()) return fail(err, x.form.futureDate), null;
        return { until: d.toISOString() };
      });
    }
    if (action === 'done') {
      const result = h('textarea', { id: 'x-result', class: 'textarea', rows: 4, placeholder: x.form.resultHint, testid: 'x-result' });
      const err = errorOf('result');
      controls.push(field(x.form.result, result, err), h('p', { class: 'muted small' }, x.form.photosHint), photos.el);
      read.push(() => (result.value.trim() ? { result: result.value.trim() } : (fail(err, x.form.required), null)));
    }
    const form = h('form', { class: 'x-form', testid: `x-form-${action}`, novalidate: true },
      h('h2', { class: 'x-h2' }, x.actions[action] ?? action),
      controls,
      h('div', { class: 'x-form-buttons' },
        h('button', { type: 'button', class: 'btn btn-big', testid: 'x-form-cancel', onclick: cancel }, x.form.cancel),
        h('button', { type: 'submit', class: `btn btn-primary btn-big ${action === 'impossible' ? 'btn-danger' : ''}`, testid: 'x-form-send' }, x.form.send)));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      form.querySelectorAll<HTMLElement>('.field-error').forEach((el) => { el.hidden = true; });
      const parts = read.map((f) => f());
      if (parts.some((p) => p === null)) return;
      o.act(c, Object.assign({ action }, ...parts) as ActionBody);
    });
    fill(formSlot, form);
    form.querySelector<HTMLElement>('textarea, input')?.focus();
  };

  for (const a of c.actions) {
    const cls = a === 'accept' || a === 'done' ? 'btn btn-primary btn-big' : 'btn btn-big';
    actionBar.append(h('button', { type: 'button', class: cls, testid: `x-action-${a}`, onclick: () => (a === 'accept' ? o.act(c, { action: 'accept' }) : openForm(a)) }, x.actions[a] ?? a));
  }

  const cd = countdown(c);
  const photoHome = h('div', {}, photos.el);
  return h('article', { class: `x-card x-kind-${c.kind}`, testid: 'x-card' },
    h('header', { class: 'x-card-head' },
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'x-back', onclick: () => o.back() }, x.back),
      h('span', { class: 'x-number' }, `№ ${c.number}`)),
    h('div', { class: 'x-badges' },
      h('span', { class: `chip chip-kind-${c.kind}` }, x.kind[c.kind] ?? c.kind),
      h('span', { class: 'chip', testid: 'x-stage' }, c.stage.name),
      h('span', { class: `x-countdown ${cd.late ? 'x-late' : ''}`, testid: 'x-countdown', 'data-due': ['postponed', 'done', 'impossible'].includes(c.stage.code) ? '' : c.dueAt ?? '' }, cd.text)),
    pendingNote ? h('p', { class: 'x-pending', testid: 'x-pending' }, pendingNote) : null,
    h('section', { class: 'x-section' },
      h('p', { class: 'x-address', testid: 'x-address' }, c.address, c.flat ? h('span', { class: 'x-flat' }, `, ${x.flat(c.flat)}`) : null),
      c.visit ? h('p', { class: 'x-visit', testid: 'x-visit' }, visitLine(c.visit)) : null,
      h('p', { class: 'muted small' }, c.tenant.name)),
    h('section', { class: 'x-section' },
      h('h2', { class: 'x-h2' }, x.caller),
      h('p', { class: 'x-caller', testid: 'x-caller' }, c.caller.name ?? ''),
      c.caller.phone
        ? h('a', { class: 'btn btn-primary btn-big x-call', href: `tel:+${c.caller.phone.replace(/\D/g, '')}`, testid: 'x-call' }, x.call(formatPhone(c.caller.phone)))
        : h('p', { class: 'muted', testid: 'x-no-phone' }, c.caller.anonymous ? '' : x.noPhone)),
    h('section', { class: 'x-section' },
      h('h2', { class: 'x-h2' }, x.description),
      h('p', { class: 'x-desc', testid: 'x-description' }, c.description),
      h('p', { class: 'muted small' }, `${x.category}: ${c.category}`),
      c.result ? h('p', { class: 'small' }, `${x.result}: ${c.result}`) : null,
      c.reason ? h('p', { class: 'small' }, `${x.reason}: ${c.reason}`) : null),
    c.recordings.length
      ? h('section', { class: 'x-section' }, h('h2', { class: 'x-h2' }, x.recording),
        c.recordings.map((r) => h('div', { class: 'x-rec' }, h('span', { class: 'muted small' }, formatWhen(r.arrivedAt)), h('audio', { controls: true, preload: 'none', src: r.url, testid: 'x-recording' }))))
      : null,
    photoHome,
    proposalsView(c, o),
    formSlot,
    actionBar);
}

function proposalsView(c: Card, o: CardHandlers): HTMLElement {
  const list = c.proposals.map((p) => h('li', { class: `x-proposal x-proposal-${p.status}`, testid: 'x-proposal' },
    h('p', {}, p.text),
    p.items.map((i) => h('p', { class: 'small' }, `${i.name}: ${x.ordered.toLowerCase()} ${i.ordered ?? '—'}, ${x.needed.toLowerCase()} ${i.needed ?? '—'}`)),
    h('p', { class: 'small x-proposal-status', testid: 'x-proposal-status' }, x.proposalStatus[p.status] ?? p.status, p.decisionComment ? ` — ${p.decisionComment}` : '')));
  const text = h('textarea', { id: 'x-proposal-text', class: 'textarea', rows: 2, placeholder: x.proposalHint, testid: 'x-proposal-text' });
  const name = h('input', { id: 'x-proposal-item', class: 'input', testid: 'x-proposal-item' });
  const ordered = h('input', { id: 'x-proposal-ordered', class: 'input', type: 'number', min: 0, inputmode: 'numeric', testid: 'x-proposal-ordered' });
  const needed = h('input', { id: 'x-proposal-needed', class: 'input', type: 'number', min: 0, inputmode: 'numeric', testid: 'x-proposal-needed' });
  const err = errorOf('proposal');
  const num = (i: HTMLInputElement) => (i.value.trim() === '' ? null : Math.max(0, Math.floor(Number(i.value))));
  const form = h('form', { class: 'x-form', hidden: true, testid: 'x-proposal-form', novalidate: true },
    field(x.proposalText, text, err),
    field(x.itemName, name, h('span', { hidden: true })),
    h('div', { class: 'x-row2' }, field(x.ordered, ordered, h('span', { hidden: true })), field(x.needed, needed, h('span', { hidden: true }))),
    h('div', { class: 'x-form-buttons' },
      h('button', { type: 'button', class: 'btn btn-big', onclick: () => { form.hidden = true; open.hidden = false; } }, x.form.cancel),
      h('button', { type: 'submit', class: 'btn btn-primary btn-big', testid: 'x-proposal-send' }, x.form.send)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (text.value.trim().length < 3) return fail(err, x.form.required);
    const items = name.value.trim() || num(ordered) !== null || num(needed) !== null ? [{ name: name.value.trim() || '—', ordered: num(ordered), needed: num(needed) }] : [];
    o.propose(c, { text: text.value.trim(), items });
  });
  const open = h('button', { type: 'button', class: 'btn btn-block', testid: 'x-propose', onclick: () => { form.hidden = false; open.hidden = true; text.focus(); } }, x.propose);
  return h('section', { class: 'x-section' }, h('h2', { class: 'x-h2' }, x.proposals), h('ul', { class: 'x-proposals' }, list), open, form);
}
