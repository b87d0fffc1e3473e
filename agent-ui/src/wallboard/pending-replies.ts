// Replies to residents waiting for the supervisor's approval (issue 14,
// item 7), on the requests monitor (/wall/?view=monitor): each with its
// request, author and text; «Согласовать и отправить» sends it through the
// request's channel, «Отклонить» returns it to the author with the comment.
// Live: `reply.pending` (to supervisors:<tenantId>) re-reads the list.
import type { Socket } from 'socket.io-client';
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../src/realtime/contract.ts';
import type { Reply } from '../../../src/channels/replies/types.ts';
import { rp } from '../i18n/ru-replies.ts';
import '../requests/replies.css';

export class PendingReplies {
  private readonly list = h('ol', { class: 'rows', testid: 'pending-replies' });
  private readonly status = h('p', { class: 'muted small', role: 'status', testid: 'pending-replies-status' });
  readonly el = h('section', { class: 'panel desk-panel', testid: 'pending-replies-panel' }, h('h2', { class: 'panel-title' }, rp.pendingTitle), this.status, this.list);

  attach(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    socket.on('reply.pending', () => void this.load());
    socket.on('connect', () => void this.load());
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const { items } = await request<{ items: Reply[] }>('GET', '/api/replies/pending');
      this.status.textContent = items.length ? '' : rp.nonePending;
      fill(this.list, items.map((r) => this.row(r)));
    } catch {
      this.status.textContent = rp.loadFailed;
    }
  }

  private row(r: Reply): HTMLElement {
    const comment = h('input', { class: 'input input-compact', placeholder: rp.rejectComment, 'aria-label': rp.rejectComment, testid: 'pending-reply-comment', maxlength: 2000 });
    const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const fail = (err: unknown) => {
      error.textContent = err instanceof HttpError && err.status === 409 ? rp.already : err instanceof HttpError ? err.message : rp.loadFailed;
      error.hidden = false;
    };
    const decide = (path: string, body: unknown, message: string) =>
      request('POST', `/api/replies/${r.id}/${path}`, body).then(() => {
        this.status.textContent = message;
        return this.load().then(() => (this.status.textContent = message));
      }, fail);
    return h(
      'li',
      { class: 'row reply-row', testid: 'pending-reply', 'data-request': r.number },
      h('span', { class: 'row-main' },
        h('strong', null, rp.request(r.number)),
        r.document ? h('a', { class: 'reply-document-link', href: r.document.url, target: '_blank', rel: 'noopener', testid: 'pending-reply-document' }, rp.documentLink(r.document.title)) : null,
        h('span', { class: 'reply-body' }, r.body),
        h('span', { class: 'form-row' }, comment,
          h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'pending-reply-approve', onclick: () => void decide('approve', {}, rp.approvedMsg) }, rp.approve),
          h('button', { type: 'button', class: 'btn btn-small', testid: 'pending-reply-reject', onclick: () => {
            if (!comment.value.trim()) {
              error.textContent = rp.needComment;
              error.hidden = false;
              return comment.focus();
            }
            void decide('reject', { comment: comment.value.trim() }, rp.rejectedMsg);
          } }, rp.reject)),
        error),
      h('span', { class: 'row-side' }, formatWhen(r.createdAt), h('span', { class: 'row-sub' }, r.author.name)),
    );
  }
}
