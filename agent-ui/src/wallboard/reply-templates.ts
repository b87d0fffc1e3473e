// The company's reply templates (issue 14, item 6) on the requests monitor
// (/wall/?view=monitor), for supervisors: found by the first letters of the
// topic, added, edited, deleted; a document template's text goes out as a PDF. The server checks the placeholders: an
// unknown one is refused with the list of those allowed, shown as is.
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import type { ReplyTemplate } from '../../../src/channels/replies/types.ts';
import { rp } from '../i18n/ru-replies.ts';
import '../requests/replies.css';

const tp = rp.templates;

export class ReplyTemplates {
  private readonly company = h('select', { id: 'tpl-company', class: 'input input-compact', testid: 'templates-company' });
  private readonly search = h('input', { id: 'tpl-search', class: 'input input-compact', type: 'search', autocomplete: 'off', placeholder: tp.searchHint, testid: 'templates-search' });
  private readonly list = h('ul', { class: 'rows', testid: 'templates-list' });
  private readonly topic = h('input', { id: 'tpl-topic', class: 'input', maxlength: 200, testid: 'template-topic' });
  private readonly body = h('textarea', { id: 'tpl-body', class: 'input textarea', rows: 4, maxlength: 8000, testid: 'template-body' });
  private readonly approval = h('input', { type: 'checkbox', testid: 'template-approval' });
  private readonly document = h('input', { type: 'checkbox', testid: 'template-document' });
  private readonly error = h('p', { class: 'field-error', hidden: true, role: 'alert', testid: 'template-error' });
  private readonly status = h('p', { class: 'muted small', role: 'status', testid: 'templates-status' });
  private editing: number | null = null;
  private seq = 0;
  readonly el: HTMLElement;

  constructor() {
    const form = h('form', { class: 'reply-form', novalidate: true, testid: 'template-form' },
      h('label', { class: 'label', for: 'tpl-topic' }, tp.topic), this.topic,
      h('label', { class: 'label', for: 'tpl-body' }, tp.body), this.body,
      h('p', { class: 'muted small' }, tp.placeholders),
      h('label', { class: 'small' }, this.approval, ' ', tp.needsApproval),
      h('label', { class: 'small' }, this.document, ' ', tp.isDocument),
      this.error,
      h('div', { class: 'reply-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'template-save' }, tp.save),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => this.reset() }, tp.clear)));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.company.addEventListener('change', () => void this.load());
    this.search.addEventListener('input', () => void this.load());
    this.el = h('section', { class: 'panel desk-panel', testid: 'templates-panel' },
      h('h2', { class: 'panel-title' }, tp.title),
      h('div', { class: 'mon-filters' },
        h('label', { class: 'mon-filter', for: 'tpl-company' }, h('span', { class: 'small muted' }, tp.company), this.company),
        h('label', { class: 'mon-filter', for: 'tpl-search' }, h('span', { class: 'small muted' }, tp.search), this.search),
        this.status),
      this.list, form);
  }

  /** The supervisor's companies (from the wallboard snapshot); loads the first one's templates. */
  setCompanies(list: { tenantId: number; name: string }[]): void {
    if (this.company.options.length > 0 || list.length === 0) return;
    this.company.append(...list.map((c) => h('option', { value: String(c.tenantId) }, c.name)));
    void this.load();
  }

  private async load(): Promise<void> {
    const tenantId = this.company.value;
    if (!tenantId) return;
    const mine = ++this.seq;
    try {
      const { items } = await request<{ items: ReplyTemplate[] }>('GET', `/api/reply-templates?tenantId=${tenantId}&limit=200&q=${encodeURIComponent(this.search.value.trim())}`);
      if (mine !== this.seq) return;
      this.status.textContent = items.length ? tp.count(items.length) : tp.none;
      fill(this.list, items.map((t) => h('li', { class: 'row reply-row', testid: 'template-row' },
        h('span', { class: 'row-main' },
          h('strong', null, t.topic,
            t.kind === 'document' ? h('span', { class: 'chip chip-small', testid: 'template-document-chip' }, tp.documentChip) : null,
            t.needsApproval ? h('span', { class: 'chip chip-small reply-status-pending' }, ' ', tp.approvalChip) : null),
          h('span', { class: 'reply-body muted' }, t.body),
          h('span', { class: 'form-row' },
            h('button', { type: 'button', class: 'btn btn-small', testid: 'template-edit', onclick: () => this.edit(t) }, tp.edit),
            h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'template-delete', onclick: () => void this.remove(t) }, tp.remove))))));
    } catch {
      this.status.textContent = tp.loadFailed;
    }
  }

  private edit(t: ReplyTemplate): void {
    this.editing = t.id;
    this.topic.value = t.topic;
    this.body.value = t.body;
    this.approval.checked = t.needsApproval;
    this.document.checked = t.kind === 'document';
    this.error.hidden = true;
    this.topic.focus();
  }

  private reset(): void {
    this.editing = null;
    this.topic.value = '';
    this.body.value = '';
    this.approval.checked = false;
    this.document.checked = false;
    this.error.hidden = true;
  }

  private async save(): Promise<void> {
    const b = { tenantId: Number(this.company.value), topic: this.topic.value.trim(), body: this.body.value.trim(), needsApproval: this.approval.checked, kind: this.document.checked ? 'document' : 'reply' };
    try {
      await (this.editing ? request('PUT', `/api/reply-templates/${this.editing}`, b) : request('POST', '/api/reply-templates', b));
      this.reset();
      await this.load();
      this.status.textContent = tp.saved;
    } catch (err) {
      this.error.textContent = err instanceof HttpError ? (err.status === 409 ? tp.taken : (err.details.map((d) => d.problem).join('; ') || err.message)) : tp.loadFailed;
      this.error.hidden = false;
    }
  }

  private async remove(t: ReplyTemplate): Promise<void> {
    if (!confirm(tp.confirmRemove(t.topic))) return;
    await request('DELETE', `/api/reply-templates/${t.id}`).catch(() => undefined);
    if (this.editing === t.id) this.reset();
    await this.load();
  }
}
