// «Ответить заявителю» on a request's page: pick a template by typing the
// first letters of its topic, edit the filled text, send it through the
// request's channel (or for approval); the replies so far with their status,
// and for supervisors «Согласовать» / «Отклонить» on pending ones. A document
// template turns the form into a document (title + text, sent as a PDF).
import { HttpError, request } from '../lib/api.ts';
import { h, fill, submitOnCtrlEnter } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { t } from '../i18n/index.ts';
import { rp } from '../i18n/ru-replies.ts';
import type { RepliesView, Reply, ReplyDraft, ReplyTemplate } from '../../../src/channels/replies/types.ts';
import './replies.css';

const api = {
  list: (id: number) => request<RepliesView>('GET', `/api/requests/${id}/replies`),
  templates: (tenantId: number, q: string) => request<{ items: ReplyTemplate[] }>('GET', `/api/reply-templates?tenantId=${tenantId}&limit=8&q=${encodeURIComponent(q)}`),
  draft: (id: number, templateId: number) => request<ReplyDraft>('GET', `/api/requests/${id}/reply-draft?templateId=${templateId}`),
  send: (id: number, b: { body: string; templateId: number | null; forApproval: boolean; document: { title: string } | null }) => request<{ reply: Reply }>('POST', `/api/requests/${id}/replies`, b),
  approve: (id: number) => request<{ reply: Reply }>('POST', `/api/replies/${id}/approve`, {}),
  reject: (id: number, comment: string) => request<{ reply: Reply }>('POST', `/api/replies/${id}/reject`, { comment }),
  retry: (id: number) => request<{ reply: Reply }>('POST', `/api/replies/${id}/retry`, {}),
};

/** Drafts survive the page being re-rendered (another dispatcher moved the request meanwhile). */
const drafts = new Map<number, { text: string; templateId: number | null; title: string | null }>();

const problem = (err: unknown) => (err instanceof HttpError ? (err.details[0]?.problem ?? err.message) : t.common.serverError);

/** The section; `say` shows a line in the page's flash; hidden when the request has no channel to answer through and no replies. */
export function repliesBox(o: { requestId: number; tenantId: number; say(message: string): void }): HTMLElement {
  const box = h('section', { class: 'req-replies', hidden: true, testid: 'request-replies-box' });
  let templateId: number | null = drafts.get(o.requestId)?.templateId ?? null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const search = h('input', { id: `rp-tpl-${o.requestId}`, class: 'input', type: 'search', autocomplete: 'off', placeholder: rp.templateHint, testid: 'reply-template-search', 'aria-controls': `rp-sug-${o.requestId}` });
  const suggestions = h('ul', { id: `rp-sug-${o.requestId}`, class: 'reply-suggest', testid: 'reply-template-suggestions', 'aria-live': 'polite' });
  const text = h('textarea', { id: `rp-text-${o.requestId}`, class: 'input textarea', rows: 6, testid: 'reply-text', maxlength: 8000 });
  text.value = drafts.get(o.requestId)?.text ?? '';
  // A document: its title (null: a plain reply).
  const docTitle = h('input', { id: `rp-doc-${o.requestId}`, class: 'input', maxlength: 200, testid: 'reply-document-title' });
  const textLabel = h('label', { class: 'label', for: text.id }, rp.text);
  const textHint = h('p', { class: 'muted small' }, rp.textHint);
  const docBox = h('div', { class: 'reply-document', hidden: true, testid: 'reply-document' },
    h('strong', { class: 'small' }, rp.documentMode),
    h('label', { class: 'label', for: docTitle.id }, rp.documentTitle), docTitle,
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'reply-not-document', onclick: () => setDocument(null) }, rp.notDocument));
  const isDocument = () => !docBox.hidden;
  const keep = () => drafts.set(o.requestId, { text: text.value, templateId, title: isDocument() ? docTitle.value : null });
  const setDocument = (title: string | null) => {
    docBox.hidden = title === null;
    docTitle.value = title ?? '';
    textLabel.textContent = title === null ? rp.text : rp.documentText;
    textHint.textContent = title === null ? rp.textHint : rp.documentHint;
    keep();
  };
  text.addEventListener('input', keep);
  docTitle.addEventListener('input', keep);
  const forApproval = h('input', { type: 'checkbox', testid: 'reply-for-approval' });
  const approvalNote = h('p', { class: 'muted small', hidden: true, testid: 'reply-approval-note' }, rp.approvalRequired);
  const error = h('p', { class: 'field-error', hidden: true, role: 'alert', testid: 'reply-error' });
  const sendBtn = h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'reply-send' }, rp.send);
  const via = h('p', { class: 'muted small', testid: 'reply-via' });
  const list = h('ul', { class: 'rows', testid: 'request-replies' });
  let companyApproval = false;

  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = !message;
  };
  const updateSendLabel = () => {
    sendBtn.textContent = companyApproval || forApproval.checked ? rp.sendForApproval : rp.send;
  };
  forApproval.addEventListener('change', updateSendLabel);

  const pick = (tpl: ReplyTemplate) => {
    api.draft(o.requestId, tpl.id)
      .then((d) => {
        templateId = tpl.id;
        text.value = d.body;
        setDocument(d.document?.title ?? null);
        if (d.needsApproval) forApproval.checked = true;
        updateSendLabel();
        fill(suggestions);
        search.value = tpl.topic;
        text.focus();
      })
      .catch((err: unknown) => showError(problem(err)));
  };
  let seq = 0;
  const findTemplates = () => {
    const q = search.value.trim();
    const mine = ++seq;
    api.templates(o.tenantId, q)
      .then(({ items }) => mine === seq && fill(suggestions, items.length
        ? items.map((tpl) => h('li', null, h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'reply-template-option', onclick: () => pick(tpl) }, tpl.topic,
          tpl.kind === 'document' ? h('span', { class: 'chip chip-small' }, ' ', rp.documentChip) : null)))
        : q ? h('li', { class: 'muted small' }, rp.noTemplates) : null))
      .catch(() => undefined);
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(findTemplates, 150);
  });
  search.addEventListener('focus', findTemplates);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      suggestions.querySelector<HTMLButtonElement>('button')?.click();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      suggestions.querySelector<HTMLButtonElement>('button')?.focus();
    }
  });

  const form = h(
    'form',
    { class: 'reply-form', novalidate: true, testid: 'reply-form' },
    via,
    h('label', { class: 'label', for: search.id }, rp.template),
    search,
    suggestions,
    docBox,
    textLabel,
    text,
    textHint,
    approvalNote,
    error,
    h('div', { class: 'reply-actions' }, sendBtn, h('label', { class: 'small', testid: 'reply-for-approval-label' }, forApproval, ' ', rp.forApproval)),
  );
  submitOnCtrlEnter(form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = text.value.trim();
    if (!body) {
      showError(rp.empty);
      return text.focus();
    }
    const title = isDocument() ? docTitle.value.trim() : null;
    if (title !== null && title.length < 2) {
      showError(rp.documentTitle);
      return docTitle.focus();
    }
    showError('');
    sendBtn.disabled = true;
    api.send(o.requestId, { body, templateId, forApproval: forApproval.checked, document: title !== null ? { title } : null })
      .then(({ reply }) => {
        text.value = '';
        search.value = '';
        templateId = null;
        setDocument(null);
        drafts.delete(o.requestId);
        forApproval.checked = false;
        updateSendLabel();
        if (reply.status === 'failed') showError(rp.failedSend(reply.error ?? ''));
        else if (reply.document) o.say(reply.status === 'pending' ? rp.documentPending : rp.documentSent);
        else o.say(reply.status === 'pending' ? rp.pendingSaved : rp.sent);
        void load();
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 401) return;
        showError(problem(err));
      })
      .finally(() => (sendBtn.disabled = false));
  });

  const row = (r: Reply, canApprove: boolean) => {
    const rowError = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const fail = (err: unknown) => {
      rowError.textContent = err instanceof HttpError && err.status === 409 ? rp.already : problem(err);
      rowError.hidden = false;
      void load();
    };
    const comment = h('input', { class: 'input', placeholder: rp.rejectComment, 'aria-label': rp.rejectComment, testid: 'reply-decision-comment', maxlength: 2000 });
    const actions = r.status === 'pending' && canApprove
      ? h('span', { class: 'form-row' }, comment,
        h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'reply-approve', onclick: () => void api.approve(r.id).then(() => { o.say(rp.approvedMsg); void load(); }, fail) }, rp.approve),
        h('button', { type: 'button', class: 'btn btn-small', testid: 'reply-reject', onclick: () => {
          if (!comment.value.trim()) {
            rowError.textContent = rp.needComment;
            rowError.hidden = false;
            return comment.focus();
          }
          void api.reject(r.id, comment.value.trim()).then(() => { o.say(rp.rejectedMsg); void load(); }, fail);
        } }, rp.reject))
      : r.status === 'failed'
        ? h('button', { type: 'button', class: 'btn btn-small', testid: 'reply-retry', onclick: () => void api.retry(r.id).then(() => void load(), fail) }, rp.retry)
        : null;
    return h(
      'li',
      { class: 'row reply-row', testid: 'request-reply', 'data-status': r.status },
      h('span', { class: 'row-main' },
        h('span', { class: `chip chip-small reply-status-${r.status}`, testid: 'reply-status' }, rp.status[r.status] ?? r.status),
        r.document ? h('a', { class: 'reply-document-link', href: r.document.url, target: '_blank', rel: 'noopener', testid: 'reply-document-link' }, rp.documentLink(r.document.title)) : null,
        h('span', { class: 'reply-body' }, ' ', r.body),
        r.decidedBy ? h('span', { class: 'row-sub', testid: 'reply-decision' }, rp.decided(r.decidedBy.name), r.decisionComment ? ` — ${r.decisionComment}` : '') : null,
        r.error ? h('span', { class: 'row-sub field-error' }, r.error) : null,
        actions,
        rowError),
      h('span', { class: 'row-side' }, formatWhen(r.sentAt ?? r.createdAt), h('span', { class: 'row-sub' }, r.author.name)),
    );
  };

  const load = async () => {
    try {
      const v = await api.list(o.requestId);
      box.hidden = !v.canReply && v.replies.length === 0;
      companyApproval = v.needsApproval && !v.canApprove;
      approvalNote.hidden = !companyApproval;
      updateSendLabel();
      via.textContent = rp.via(t.requests.channels[v.channel] ?? v.channel);
      fill(box,
        h('h3', { class: 'section-title' }, rp.title),
        v.canReply ? form : h('p', { class: 'muted small' }, rp.noChannel),
        v.replies.length ? h('h4', { class: 'label' }, rp.history) : null,
        v.replies.length ? list : null);
      fill(list, v.replies.map((r) => row(r, v.canApprove)));
    } catch {
      box.hidden = true; // not staff (an executor) or gone: the section stays hidden
    }
  };
  const saved = drafts.get(o.requestId);
  if (saved?.title != null) {
    setDocument(saved.title);
  }
  void load();
  return box;
}
