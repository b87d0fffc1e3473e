// A request's status page (/s/<token>), opened by the private link alone:
// the stages with their times, the executor, the report and photos, the
// conversation with the dispatchers and, once closed, the rating form.
import '../styles/base.css';
import '../styles/resident.css';
import { h, fill } from '../lib/dom.ts';
import { rs } from '../i18n/ru-resident.ts';
import { publicApi, PublicError, type StatusView } from './api.ts';

const app = document.getElementById('app')!;
const token = decodeURIComponent(location.pathname.replace(/^\/s\//, '').replace(/\/$/, ''));
let notice: string | null = null;

function shell(title: string, ...children: (Node | string | null)[]): void {
  fill(app, h('div', { class: 'rs-app' },
    h('header', { class: 'rs-top' }, h('span', { class: 'rs-mark', 'aria-hidden': 'true' }, 'П'), h('h1', { class: 'rs-title', testid: 'status-title' }, title),
      h('button', { class: 'btn btn-ghost btn-small rs-refresh', type: 'button', onclick: () => void load() }, rs.refresh)),
    h('main', { class: 'rs-main' }, ...children)));
}

const section = (title: string, testid: string, ...children: (Node | string | null | false)[]) =>
  h('section', { class: 'rs-card', testid }, h('h2', { class: 'rs-h2' }, title), ...children);

function ratingForm(): HTMLElement {
  let score = 0;
  const stars = h('div', { class: 'rs-stars', role: 'radiogroup', 'aria-label': rs.rateTitle });
  const paint = () => stars.querySelectorAll<HTMLButtonElement>('button').forEach((b, i) => {
    b.classList.toggle('rs-star-on', i < score);
    b.setAttribute('aria-checked', String(i + 1 === score));
  });
  for (let n = 1; n <= 5; n++) stars.append(h('button', { class: 'rs-star', type: 'button', role: 'radio', 'aria-label': rs.rateStar(n), testid: `star-${n}`, onclick: () => { score = n; paint(); } }, '★'));
  const comment = h('textarea', { class: 'textarea', id: 'rs-rate-comment', rows: 3, maxlength: 2000, testid: 'rate-comment' });
  const questions = h('input', { type: 'checkbox', id: 'rs-questions', testid: 'questions-left' });
  const error = h('p', { class: 'rs-error', role: 'alert', hidden: true });
  const send = h('button', { class: 'btn btn-primary btn-block', type: 'submit', testid: 'rate-send' }, rs.rateSend);
  const form = h('form', { class: 'rs-rate', novalidate: true },
    stars,
    h('label', { class: 'label', for: 'rs-rate-comment' }, rs.rateComment), comment,
    h('label', { class: 'rs-check', for: 'rs-questions' }, questions, ' ', rs.questionsLeft),
    error, send);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (score === 0) {
      error.textContent = rs.ratePick;
      error.hidden = false;
      return;
    }
    send.disabled = true;
    try {
      const out = await publicApi.rate(token, { score, comment: comment.value.trim() || undefined, questionsLeft: questions.checked });
      notice = out.reopened ? rs.reopened : null;
      render(out.request);
    } catch (err) {
      send.disabled = false;
      error.textContent = err instanceof PublicError ? err.details[0]?.problem ?? err.message : rs.loadFailed;
      error.hidden = false;
    }
  });
  return section(rs.rateTitle, 'rating', form);
}

function conversation(v: StatusView): HTMLElement {
  const text = h('textarea', { class: 'textarea', id: 'rs-message', rows: 2, maxlength: 2000, placeholder: rs.writePlaceholder, testid: 'message-text' });
  const error = h('p', { class: 'rs-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'rs-write', novalidate: true }, h('label', { class: 'sr-only', for: 'rs-message' }, rs.write), text, error, h('button', { class: 'btn btn-block', type: 'submit', testid: 'message-send' }, rs.send));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    try {
      render((await publicApi.message(token, text.value.trim())).request);
    } catch (err) {
      error.textContent = err instanceof PublicError ? err.details[0]?.problem ?? err.message : rs.loadFailed;
      error.hidden = false;
    }
  });
  return section(rs.conversation, 'conversation',
    v.messages.length === 0 ? h('p', { class: 'muted' }, rs.noMessages)
      : h('ul', { class: 'rs-messages' }, v.messages.map((m) => h('li', { class: `rs-msg rs-msg-${m.direction}` },
        h('p', { class: 'rs-msg-meta' }, `${m.direction === 'in' ? rs.you : m.author || rs.dispatcher} · ${rs.when(m.at)}`),
        h('p', { class: 'rs-msg-body' }, m.body)))),
    form);
}

function render(v: StatusView): void {
  document.title = rs.statusTitle(v.number);
  const current = v.timeline.length - 1;
  shell(rs.statusTitle(v.number),
    notice ? h('p', { class: 'rs-notice', role: 'status', testid: 'notice' }, notice) : null,
    h('section', { class: `rs-card rs-summary${v.emergency ? ' rs-emergency-card' : ''}`, testid: 'summary' },
      // The current stage only (the last one of «Ход работ»): after a reopen that is «Новая», nothing else.
      h('div', { class: 'rs-badges' },
        h('span', { class: `chip ${v.status === 'closed' ? 'rs-closed' : 'rs-open'}`, testid: 'stage' }, v.stage.name),
        v.emergency ? h('span', { class: 'chip chip-kind-emergency' }, rs.emergencyMark) : null),
      h('p', { class: 'rs-company-name' }, v.company),
      h('dl', { class: 'rs-facts' },
        h('dt', null, rs.received), h('dd', null, rs.when(v.createdAt)),
        h('dt', null, rs.category2), h('dd', null, v.category),
        h('dt', null, rs.address2), h('dd', { testid: 'address' }, v.flat ? `${v.address}, ${rs.flatShort(v.flat)}` : v.address),
        h('dt', null, rs.problem), h('dd', { class: 'rs-pre' }, v.description),
        v.executor !== null ? [h('dt', null, rs.executor), h('dd', { testid: 'executor' }, v.executor || rs.executorAssigned)] : null)),
    section(rs.stages, 'timeline', h('ol', { class: 'rs-timeline' }, v.timeline.map((s, i) => h('li', { class: `rs-step${i === current ? ' rs-step-now' : ''}` },
      h('span', { class: 'rs-step-name' }, s.name), h('time', { class: 'rs-step-time', datetime: s.at }, rs.when(s.at)))))),
    v.report ? section(rs.report, 'report', h('p', { class: 'rs-pre' }, v.report)) : null,
    v.photos.length ? section(rs.photos2, 'photos', h('div', { class: 'rs-photos' }, v.photos.map((p) => h('a', { class: 'rs-photo', href: p.url, target: '_blank', rel: 'noopener' }, h('img', { src: p.thumbUrl ?? p.url, alt: p.name, loading: 'lazy' }))))) : null,
    v.documents.length ? section(rs.documents, 'documents', h('ul', { class: 'rs-documents' }, v.documents.map((d) => h('li', null,
      h('a', { href: d.url, target: '_blank', rel: 'noopener', testid: 'document-link' }, rs.documentLink(d.title)), ' ', h('time', { class: 'rs-step-time', datetime: d.sentAt }, rs.when(d.sentAt)))))) : null,
    v.canRate ? ratingForm() : null,
    v.ratings.length ? h('p', { class: 'rs-rated', testid: 'rated' }, rs.rated(v.ratings.at(-1)!.score)) : null,
    conversation(v));
}

async function load(): Promise<void> {
  try {
    render((await publicApi.status(token)).request);
  } catch (err) {
    shell(rs.formTitle, h('p', { class: 'rs-error', role: 'alert', testid: 'status-error' }, err instanceof PublicError && err.status === 404 ? rs.statusNotFound : rs.loadFailed));
  }
}

void load();
// The page follows the work: reloaded every minute while it is visible.
window.setInterval(() => {
  if (document.visibilityState === 'visible' && !app.querySelector('textarea:focus, .rs-rate')) void load();
}, 60_000);
