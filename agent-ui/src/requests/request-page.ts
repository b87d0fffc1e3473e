// A request's page: number, kind, stage and deadline; the allowed stage
// buttons; details (editable); history; linked calls with their recordings;
// comments and «Дополнить» entries with a comment box; attachments (photos, PDFs) with upload;
// the executor's change proposals to confirm or reject.
import { api, HttpError } from '../lib/api.ts';
import { h, fill, submitOnCtrlEnter } from '../lib/dom.ts';
import { formatPhone, formatWhen, fullAddress, outcomeLabel } from '../lib/format.ts';
import { requestsApi, type RequestDetail } from '../lib/requests-api.ts';
import type { TicketCategory } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { recordingCell } from '../ui/history.ts';
import { dueChip } from './chips.ts';
import { attachmentsBox } from './attachments-box.ts';
import { proposalsBox } from './proposals-box.ts';
import { repliesBox } from './replies-box.ts';
import { visitBox } from './visit-box.ts';
import { messagesBox, statusLinkButton } from './messages-box.ts';
import { editForm } from './edit-form.ts';
import { StageControls } from './stage-form.ts';
import { dictionariesBox } from './dictionaries-box.ts';
import { printButton } from '../documents/print.ts';

const p = t.requests.page;

export class RequestPage {
  readonly el = h('article', { class: 'req-page', testid: 'request-page', tabindex: -1 }, h('p', { class: 'muted req-pick' }, t.requests.pick));
  id: number | null = null;
  private req: RequestDetail | null = null;
  private editing = false;
  private readonly flash = h('p', { class: 'req-flash', role: 'status', testid: 'request-flash' });
  private readonly stages: StageControls;

  constructor(private readonly o: { categories: () => TicketCategory[]; onChanged(): void }) {
    this.stages = new StageControls({
      onMoved: (r, name) => {
        this.show(r);
        this.say(p.moved(name));
        this.o.onChanged();
        if (!this.stages.focusFirst()) this.focus();
      },
      onConflict: () => {
        void this.load(this.id!, true);
        this.say(p.notAllowed);
      },
    });
    this.el.addEventListener('keydown', (e) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code) && this.req) {
        if (this.stages.press(Number(e.code.slice(5)) - 1)) e.preventDefault();
      }
    });
  }

  /** Loads and shows a request; `quiet` keeps the flash and an open edit form. */
  async load(id: number, quiet = false): Promise<void> {
    if (quiet && this.editing) return;
    try {
      const { request } = await requestsApi.get(id);
      this.show(request);
      if (!quiet) this.say('');
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) return;
      this.id = id;
      fill(this.el, h('p', { class: 'form-summary' }, err instanceof HttpError && err.status === 404 ? p.notFound : t.common.serverError));
    }
  }

  focus(): void {
    this.el.focus();
  }

  private say(text: string): void {
    this.flash.textContent = text;
    this.flash.hidden = !text;
  }

  private show(req: RequestDetail): void {
    this.id = req.id;
    this.req = req;
    this.editing = false;
    this.stages.render(req);
    const dl = (label: string, value: string | null | undefined, testid?: string) => (value ? [h('dt', null, label), h('dd', { testid }, value)] : []);
    const details = h(
      'dl',
      { class: 'dl req-dl' },
      dl(t.ticket.address, fullAddress(req.address, req.flat), 'request-address'),
      dl(t.ticket.category, req.category.name),
      dl(p.company, req.tenantName),
      dl(p.executor, req.assignee?.name ?? p.noExecutor, 'request-assignee'),
      dl(t.ticket.callerName, req.anonymousCaller ?? req.callerName),
      dl(t.ticket.callerPhone, formatPhone(req.callerPhone)),
      dl(p.channel, t.requests.channels[req.channel] ?? req.channel, 'request-channel'),
      dl(t.ticket.createdAt, `${formatWhen(req.createdAt)} · ${req.createdBy.name}`),
      dl(t.ticket.dueAt, formatWhen(req.dueAt)),
      dl(p.handedAt, formatWhen(req.handedAt)),
      dl(p.acceptedAt, formatWhen(req.acceptedAt)),
      dl(p.doneAt, formatWhen(req.doneAt)),
      dl(p.postponedUntil, formatWhen(req.postponedUntil)),
      dl(p.resultLabel, req.result),
      dl(p.reasonLabel, req.reason),
    );
    const detailsBox = h('section', { class: 'req-details' }, h('p', { class: 'ticket-desc', testid: 'request-description' }, req.description), details);
    const editBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'request-edit-open' }, p.edit);
    editBtn.addEventListener('click', () => {
      this.editing = true;
      fill(detailsBox, editForm(req, { categories: this.o.categories, onSaved: (r) => { this.show(r); this.say(p.saved); this.o.onChanged(); }, onCancel: () => this.show(req) }));
    });
    fill(
      this.el,
      h(
        'header',
        { class: 'req-page-head' },
        h('h2', { class: 'panel-title', testid: 'request-number' }, `${t.ticket.details} № ${req.number}`),
        h('span', { class: `chip chip-kind-${req.kind}` }, t.ticket.kinds[req.kind]),
        h('span', { class: `chip chip-stage${req.status === 'closed' ? ' closed' : ''}`, testid: 'request-stage', 'data-stage': req.stage.code }, req.stage.name),
        dueChip(req),
        h('div', { class: 'spacer' }),
        printButton(req.id, (message) => this.say(message)),
        statusLinkButton(req.id, (message) => this.say(message)),
        editBtn,
      ),
      this.flash,
      this.stages.el,
      detailsBox,
      visitBox(req.id, req.status === 'open', (message) => {
        void this.load(req.id, true).then(() => this.say(message));
        this.o.onChanged();
      }),
      dictionariesBox({ requestId: req.id, tenantId: req.tenantId, chosen: req.dictionaryValues, onSaved: () => this.o.onChanged() }),
      proposalsBox(req.id, (message) => {
        void this.load(req.id, true).then(() => this.say(message));
        this.o.onChanged();
      }),
      this.history(req),
      messagesBox(req.id, () => this.o.onChanged()),
      repliesBox({ requestId: req.id, tenantId: req.tenantId, say: (message) => this.say(message) }),
      this.calls(req),
      this.comments(req),
      attachmentsBox({
        requestId: req.id,
        items: req.attachments,
        onUploaded: (message) => {
          void this.load(req.id, true).then(() => this.say(message));
          this.o.onChanged();
        },
      }),
    );
  }

  private history(req: RequestDetail): HTMLElement {
    return h(
      'section',
      { class: 'req-history' },
      h('h3', { class: 'section-title' }, p.history),
      h(
        'ol',
        { class: 'rows', testid: 'request-history' },
        req.history.map((x) =>
          h(
            'li',
            { class: 'row', testid: 'request-history-row', 'data-to': x.to },
            h('span', { class: 'row-main' }, x.fromName ? `${x.fromName} → ${x.toName}` : x.toName, x.comment ? h('span', { class: 'row-sub' }, x.comment) : null),
            h('span', { class: 'row-side' }, formatWhen(x.at), x.by ? h('span', { class: 'row-sub' }, x.by.name) : null),
          ),
        ),
      ),
    );
  }

  private calls(req: RequestDetail): HTMLElement {
    const rows = req.calls.map((c) => {
      const player = h('span', { class: 'req-player' });
      if (c.recordingUrl) {
        // the page's link needs the token; <audio> gets a short-lived signed one
        void api.recordingUrl(c.id).then((r) => fill(player, recordingCell({ id: c.id, recordingUrl: r.url, recording: null }))).catch(() => undefined);
      }
      return h(
        'li',
        { class: 'history-row', testid: 'request-call', 'data-call-id': c.id },
        h('div', { class: 'history-top' }, h('span', { class: 'history-time' }, formatWhen(c.arrivedAt)), h('span', { class: 'history-from' }, formatPhone(c.callerNumber)), h('span', { class: `chip chip-out-${c.outcome ?? 'active'}` }, outcomeLabel(c.outcome))),
        player,
      );
    });
    return h('section', null, h('h3', { class: 'section-title' }, p.calls), rows.length ? h('ul', { class: 'rows' }, rows) : h('p', { class: 'muted small' }, p.noCalls));
  }

  private comments(req: RequestDetail): HTMLElement {
    const text = h('textarea', { id: 'rq-comment', class: 'input textarea', rows: 2, testid: 'request-comment-text', placeholder: p.commentPlaceholder });
    const error = h('p', { class: 'field-error', hidden: true, testid: 'request-comment-error' });
    const form = h(
      'form',
      { class: 'req-comment-form', novalidate: true },
      h('label', { class: 'label', for: 'rq-comment' }, p.addComment),
      text,
      error,
      h('button', { type: 'submit', class: 'btn btn-small', testid: 'request-comment-send' }, p.send),
    );
    submitOnCtrlEnter(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = text.value.trim();
      if (!v) {
        error.textContent = p.fieldProblems.text!;
        error.hidden = false;
        return text.focus();
      }
      requestsApi
        .comment(req.id, v)
        .then(({ request }) => { this.show(request); this.o.onChanged(); })
        .catch((x: unknown) => {
          if (x instanceof HttpError && x.status === 401) return;
          error.textContent = x instanceof HttpError && x.status === 400 ? (p.fieldProblems.text ?? x.message) : t.common.serverError;
          error.hidden = false;
        });
    });
    return h(
      'section',
      null,
      h('h3', { class: 'section-title' }, p.comments),
      req.comments.length
        ? h(
            'ul',
            { class: 'rows' },
            req.comments.map((c) =>
              h(
                'li',
                { class: `row req-comment kind-${c.kind}`, testid: 'request-comment', 'data-kind': c.kind },
                h('span', { class: 'row-main' }, h('span', { class: 'chip chip-small' }, p.commentKinds[c.kind] ?? c.kind), ' ', c.text),
                h('span', { class: 'row-side' }, formatWhen(c.at), h('span', { class: 'row-sub' }, c.by.name)),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, p.noComments),
      req.status === 'open' ? form : null,
    );
  }
}
