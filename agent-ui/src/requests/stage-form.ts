// A request's stage buttons (only the transitions its pipeline allows, each
// with its Alt+digit key shown) and the small form a transition needs: the
// fields the target stage requires (result, reason, until, executor) plus an
// optional comment. The server checks the same; its field problems are shown.
import { HttpError, type FieldProblem } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { requestsApi, type RequestDetail, type StageRef, type TransitionBody } from '../lib/requests-api.ts';
import { t } from '../i18n/index.ts';
import { showFieldProblems } from './field-problems.ts';

const p = t.requests.page;
type Field = 'result' | 'reason' | 'until' | 'assignee' | 'comment';

const required = new Map<string, Promise<Map<string, Field[]>>>();
/** Required fields per stage code of a company's pipeline (cached). */
function requiredFields(tenantId: number, kind: 'emergency' | 'planned'): Promise<Map<string, Field[]>> {
  const key = `${tenantId}:${kind}`;
  let v = required.get(key);
  if (!v) {
    v = requestsApi
      .pipeline(tenantId, kind)
      .then(({ pipeline }) => new Map(pipeline.stages.map((s) => [s.code, s.rules.filter((r) => r.type === 'require').flatMap((r) => (r.fields ?? []) as Field[])])))
      .catch(() => new Map<string, Field[]>());
    required.set(key, v);
  }
  return v;
}

export class StageControls {
  readonly el = h('section', { class: 'req-stages', testid: 'request-stages' });
  private readonly formBox = h('div', { class: 'req-stage-form-box' });
  private buttons: HTMLButtonElement[] = [];

  constructor(private readonly o: { onMoved(r: RequestDetail, stage: string): void; onConflict(): void }) {}

  render(req: RequestDetail): void {
    this.buttons = req.allowedNext.map((s, i) =>
      h(
        'button',
        { type: 'button', class: `btn btn-small stage-btn stage-${s.code}`, testid: `stage-${s.code}`, 'aria-keyshortcuts': i < 9 ? `Alt+${i + 1}` : null, onclick: () => void this.openForm(req, s) },
        h('span', null, s.name),
        i < 9 ? h('kbd', { class: 'btn-kbd' }, `Alt+${i + 1}`) : null,
      ),
    );
    fill(
      this.el,
      h('h3', { class: 'section-title' }, p.moveTo, h('span', { class: 'muted small req-keys' }, p.keys)),
      this.buttons.length ? h('div', { class: 'stage-buttons' }, this.buttons) : h('p', { class: 'muted small' }, p.noMoves),
      this.formBox,
    );
    fill(this.formBox);
  }

  /** Alt+digit from the page. */
  press(i: number): boolean {
    const b = this.buttons[i];
    if (!b) return false;
    b.click();
    return true;
  }

  focusFirst(): boolean {
    const b = this.buttons[0];
    b?.focus();
    return Boolean(b);
  }

  private async openForm(req: RequestDetail, to: StageRef): Promise<void> {
    const need = (await requiredFields(req.tenantId, req.kind)).get(to.code) ?? [];
    const executors = need.includes('assignee') ? await requestsApi.executors(req.tenantId).then((r) => r.items).catch(() => []) : [];
    const errors = new Map<string, HTMLElement>();
    const err = (f: string) => {
      const e = h('p', { class: 'field-error', testid: `stage-error-${f}`, hidden: true });
      errors.set(f, e);
      return e;
    };
    const row = (label: string, id: string, input: HTMLElement, field: string) => h('div', { class: 'field' }, h('label', { class: 'label', for: id }, label), input, err(field));
    const result = h('textarea', { id: 'st-result', class: 'input textarea', rows: 2, testid: 'stage-result' });
    const reason = h('textarea', { id: 'st-reason', class: 'input textarea', rows: 2, testid: 'stage-reason' });
    const until = h('input', { id: 'st-until', type: 'datetime-local', class: 'input', testid: 'stage-until' });
    const assignee = h('select', { id: 'st-assignee', class: 'input', testid: 'stage-assignee' }, h('option', { value: '' }, p.chooseAssignee), executors.map((x) => h('option', { value: String(x.id) }, x.name)));
    if (req.assignee) assignee.value = String(req.assignee.id);
    const comment = h('input', { id: 'st-comment', class: 'input', testid: 'stage-comment', autocomplete: 'off' });
    const summary = h('p', { class: 'form-summary', role: 'alert', testid: 'stage-summary', hidden: true });
    const go = h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'stage-confirm' }, `${p.confirm}: ${to.name}`);
    const form = h(
      'form',
      { class: 'req-stage-form', testid: 'stage-form', 'data-to': to.code, novalidate: true },
      need.includes('assignee') ? row(p.assignee, 'st-assignee', assignee, 'assigneeId') : null,
      need.includes('result') ? row(p.result, 'st-result', result, 'result') : null,
      need.includes('reason') ? row(p.reason, 'st-reason', reason, 'reason') : null,
      need.includes('until') ? row(p.until, 'st-until', until, 'until') : null,
      row(p.comment, 'st-comment', comment, 'comment'),
      err('to'),
      summary,
      h('div', { class: 'form-actions' }, go, h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => fill(this.formBox) }, p.cancel)),
    );
    const show = (problems: FieldProblem[]) => showFieldProblems(errors, summary, p.fixErrors, problems, (x) => p.fieldProblems[x.field] ?? x.problem);
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        fill(this.formBox);
        this.focusFirst();
      } else if (e.key === 'Enter' && (e.ctrlKey || e.target instanceof HTMLInputElement)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const b: TransitionBody = { to: to.code };
      const local: FieldProblem[] = [];
      const text = (el: HTMLTextAreaElement | HTMLInputElement) => el.value.trim();
      if (need.includes('assignee')) {
        if (assignee.value) b.assigneeId = Number(assignee.value);
        else local.push({ field: 'assigneeId', problem: p.fieldProblems.assigneeId! });
      }
      if (need.includes('result')) {
        if (text(result)) b.result = text(result);
        else local.push({ field: 'result', problem: p.fieldProblems.result! });
      }
      if (need.includes('reason')) {
        if (text(reason)) b.reason = text(reason);
        else local.push({ field: 'reason', problem: p.fieldProblems.reason! });
      }
      if (need.includes('until')) {
        const at = until.value ? new Date(until.value) : null;
        if (at && at.getTime() > Date.now()) b.until = at.toISOString();
        else local.push({ field: 'until', problem: p.fieldProblems.until! });
      }
      if (text(comment)) b.comment = text(comment);
      else if (need.includes('comment')) local.push({ field: 'comment', problem: p.fieldProblems.comment! });
      if (local.length) return show(local);
      go.disabled = true;
      requestsApi
        .transition(req.id, b)
        .then(({ request }) => this.o.onMoved(request, to.name))
        .catch((x: unknown) => {
          if (x instanceof HttpError && x.status === 409) return this.o.onConflict();
          if (x instanceof HttpError && x.status === 400) return show(x.details.length ? x.details : [{ field: 'form', problem: x.message }]);
          if (!(x instanceof HttpError && x.status === 401)) show([{ field: 'form', problem: t.common.serverError }]);
        })
        .finally(() => (go.disabled = false));
    });
    fill(this.formBox, form);
    form.querySelector<HTMLElement>('select, textarea, input')?.focus();
  }
}
