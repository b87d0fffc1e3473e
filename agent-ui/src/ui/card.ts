// The call card: who calls (number or «Аноним № N»), on which line, the
// matched account(s) with a quick pick, open tickets and recent calls at the
// address, a search when nobody matched, and the new-ticket form.
import { h, fill } from '../lib/dom.ts';
import { formatDuration, formatPhone, formatWhen, fullAddress, outcomeLabel } from '../lib/format.ts';
import type { AccountItem, CallCard, CardTicket, Ticket, TicketCategory } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { accountSearch } from './account-search.ts';
import { billingLink } from './billing-link.ts';
import { TicketForm } from './ticket-form.ts';

export type CardPhase = 'ringing' | 'connected' | 'ended';

export class CardPanel {
  readonly el: HTMLElement;
  card: CallCard | null = null;
  phase: CardPhase = 'ringing';
  private picked: AccountItem | null = null;
  private extraAccounts: AccountItem[] = [];
  private searching = false;
  readonly form: TicketForm;
  private readonly head: HTMLElement;
  private readonly accountsBox: HTMLElement;
  private readonly infoBox: HTMLElement;
  private readonly idleBox: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly o: { categories: () => TicketCategory[]; compact?: boolean; onOpenTicket(id: number): void; onTicketSaved?(t: Ticket): void; onClose?(): void; onAppend?(tk: CardTicket, callId: string): void; onCallBack?(number: string, lineId: number | null): void }) {
    this.form = new TicketForm({ categories: o.categories, compact: o.compact, onOpenTicket: o.onOpenTicket, onSaved: o.onTicketSaved });
    this.head = h('header', { class: 'card-head' });
    this.accountsBox = h('section', { class: 'card-accounts', 'aria-label': t.card.accounts });
    this.infoBox = h('div', { class: 'card-info' });
    this.idleBox = h('div', { class: 'card-idle', testid: 'card-idle' }, h('div', { class: 'idle-icon', 'aria-hidden': 'true' }, '☎'), h('p', null, t.card.idle));
    this.body = h('div', { class: 'card-body', hidden: true }, this.head, this.accountsBox, this.infoBox, this.form.el);
    this.el = h('section', { class: `card${o.compact ? ' compact' : ''}`, testid: 'card', 'data-state': 'idle', 'aria-label': t.card.idleTitle }, this.idleBox, this.body);
  }

  /** A card arrived (call.offered, or re-sent after a reconnect). */
  show(card: CallCard): void {
    const same = this.card?.callId === card.callId;
    this.card = card;
    this.phase = card.state === 'connected' ? 'connected' : 'ringing';
    if (!same) {
      this.extraAccounts = [];
      this.searching = false;
      // The best match (the server ranks them) is picked; the operator confirms the address or takes another.
      this.picked = card.accounts[0] ?? null;
    }
    this.el.dataset.callId = card.callId;
    this.idleBox.hidden = true;
    this.body.hidden = false;
    this.render();
  }

  setPhase(callId: string, phase: CardPhase): void {
    if (this.card?.callId !== callId) return;
    this.phase = phase;
    this.renderHead();
  }

  clear(): void {
    this.card = null;
    this.picked = null;
    this.el.dataset.state = 'idle';
    delete this.el.dataset.callId;
    this.idleBox.hidden = false;
    this.body.hidden = true;
  }

  get accounts(): AccountItem[] {
    return [...(this.card?.accounts ?? []), ...this.extraAccounts];
  }

  /** Quick pick by the 1…9 keys; true when it picked. */
  pickByIndex(i: number): boolean {
    const a = this.accounts[i];
    if (!a || this.accounts.length < 2) return false;
    this.pick(a);
    return true;
  }

  /** Where the operator goes next: the account pick, the search, or the form. */
  focusNext(): void {
    if (!this.card) return;
    if (!this.picked) this.accountsBox.querySelector<HTMLElement>('[data-testid="account-search"]')?.focus();
    else this.form.focusFirst();
  }

  /** «Дополнить» went through: mark the request's row (the call is now linked to it). */
  noteAppended(id: number, number: string): void {
    const row = this.infoBox.querySelector(`[data-testid="card-ticket-row"][data-ticket-id="${id}"]`);
    row?.querySelector('[data-testid="card-ticket-appended"]')?.remove();
    row?.append(h('span', { class: 'chip chip-ok appended', testid: 'card-ticket-appended', role: 'status' }, t.requests.append.saved(number)));
  }

  private pick(a: AccountItem): void {
    if (!this.accounts.some((x) => x.accountNumber === a.accountNumber)) this.extraAccounts.push(a);
    this.picked = a;
    this.searching = false;
    this.renderAccounts();
    this.syncForm();
    this.form.focusFirst();
  }

  private render(): void {
    this.renderHead();
    this.renderAccounts();
    this.renderInfo();
    this.syncForm();
  }

  private syncForm(): void {
    const c = this.card;
    if (!c) return;
    this.form.setContext({
      callId: c.callId,
      caller: c.caller,
      callerName: c.callerName,
      anonymous: c.anonymous,
      tenant: this.picked?.tenant ?? c.tenant,
      account: this.picked,
    });
  }

  private renderHead(): void {
    const c = this.card;
    if (!c) return;
    this.el.dataset.state = this.phase;
    const who = c.anonymous ? (c.anonymousLabel ?? t.card.anonymous) : formatPhone(c.caller);
    const phaseLabel = this.phase === 'ringing' && c.direction === 'outbound' ? t.dial.dialling : { ringing: t.card.ringing, connected: t.card.connected, ended: t.card.ended }[this.phase];
    fill(
      this.head,
      h(
        'div',
        { class: 'card-who' },
        h('div', { class: 'card-caller', testid: 'card-caller' }, who),
        h(
          'div',
          { class: 'card-meta' },
          c.callerName ? h('span', null, c.callerName) : null,
          c.line ? h('span', { testid: 'card-line' }, `${t.card.line}: ${c.line.name}`) : null,
          c.tenant ? h('span', null, c.tenant.name) : null,
        ),
        c.direction === 'outbound'
          ? h('div', { class: 'card-meta', testid: 'card-outbound' },
            h('span', { class: 'chip' }, c.callback ? t.card.callbackCall : t.card.outboundCall),
            c.callback ? h('span', null, t.callbacks.reason[c.callback.reason] ?? c.callback.reason) : null,
            c.callback ? h('span', null, t.card.earlierAttempts(c.callback.attempts.length)) : null)
          : null,
      ),
      h(
        'div',
        { class: 'card-side' },
        h('span', { class: `chip chip-${this.phase}`, testid: 'card-phase' }, phaseLabel),
        this.phase === 'ended' && !c.anonymous && c.caller && this.o.onCallBack
          ? h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'card-call-back', onclick: () => this.o.onCallBack?.(c.caller, c.line?.id ?? null) }, t.dial.callBack)
          : null,
        this.phase === 'ended' && this.o.onClose
          ? h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'card-close', onclick: () => this.o.onClose?.() }, t.card.closeCard)
          : null,
      ),
    );
  }

  private renderAccounts(): void {
    const list = this.accounts;
    const many = list.length > 1;
    const title = list.length === 0 ? t.card.notFound : many ? (this.o.compact ? t.card.accountsManyTouch(list.length) : t.card.accountsMany(list.length)) : t.card.accounts;
    const items = list.map((a, i) => {
      const picked = this.picked?.accountNumber === a.accountNumber;
      return h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            class: `account${picked ? ' picked' : ''}`,
            testid: 'card-account',
            'data-account': a.accountNumber,
            'aria-pressed': String(picked),
            onclick: () => this.pick(a),
          },
          many && i < 9 && !this.o.compact ? h('kbd', { class: 'pick-key', 'aria-hidden': 'true', title: `Alt+${i + 1}` }, String(i + 1)) : null,
          h(
            'span',
            { class: 'account-main' },
            h('span', { class: 'account-address' }, fullAddress(a.address, a.flat)),
            h('span', { class: 'account-holder' }, a.holderName),
            h(
              'span',
              { class: 'account-meta' },
              `${t.card.account} ${a.accountNumber} · ${a.tenant.name}`,
              a.phones.length ? ` · ${a.phones.map(formatPhone).join(', ')}` : '',
              a.emails?.length ? h('span', { class: 'account-emails', testid: 'card-account-emails' }, ` · ${a.emails.join(', ')}`) : null,
            ),
          ),
          a.status === 'closed' ? h('span', { class: 'chip chip-warn' }, t.card.accountClosed) : null,
          picked && many ? h('span', { class: 'chip chip-ok' }, t.card.picked) : null,
        ),
      );
    });
    const showSearch = list.length === 0 || this.searching;
    fill(
      this.accountsBox,
      h('h3', { class: `section-title${list.length === 0 ? ' warn' : ''}`, testid: list.length === 0 ? 'card-not-found' : null }, title),
      list.length ? h('ul', { class: 'account-list' }, items) : h('p', { class: 'muted small' }, t.card.notFoundHelp),
      billingLink(this.picked?.accountNumber),
      showSearch
        ? accountSearch({ onPick: (a) => this.pick(a), autofocus: list.length > 0 })
        : h('button', { type: 'button', class: 'link small', testid: 'card-other-account', onclick: () => { this.searching = true; this.renderAccounts(); } }, t.card.changeAccount),
    );
  }

  private renderInfo(): void {
    const c = this.card;
    if (!c) return;
    const shown = 3;
    const more = (n: number) => (n > shown ? h('p', { class: 'muted small more' }, t.card.more(n - shown)) : null);
    const tickets = c.openTickets.slice(0, shown).map((tk) =>
      h(
        'li',
        { class: this.o.onAppend ? 'ticket-li' : null, testid: 'card-ticket-row', 'data-ticket-id': tk.id },
        h(
          'button',
          { type: 'button', class: 'row-link', testid: 'card-ticket', onclick: () => this.o.onOpenTicket(tk.id) },
          h('span', { class: `dot dot-${tk.kind}`, 'aria-hidden': 'true' }),
          h('span', { class: 'row-main' }, h('b', null, `№ ${tk.number}`), ` ${tk.category}`, h('span', { class: 'row-sub' }, tk.description)),
          h('span', { class: 'row-side' }, formatWhen(tk.createdAt), tk.dueAt ? h('span', { class: 'row-sub' }, `${t.card.due} ${formatWhen(tk.dueAt)}`) : null),
        ),
        this.o.onAppend
          ? h('button', { type: 'button', class: 'btn btn-small btn-append', testid: 'card-ticket-append', title: t.requests.append.title(tk.number), onclick: () => this.o.onAppend?.(tk, c.callId) }, t.requests.append.button)
          : null,
      ),
    );
    const calls = c.recentCalls.slice(0, shown).map((rc) =>
      h(
        'li',
        { class: 'row', testid: 'card-recent-call' },
        h('span', { class: `dot dot-${rc.outcome ?? 'active'}`, 'aria-hidden': 'true' }),
        h('span', { class: 'row-main' }, outcomeLabel(rc.outcome), rc.line ? h('span', { class: 'row-sub' }, rc.line) : null),
        h('span', { class: 'row-side' }, formatWhen(rc.arrivedAt), rc.talkSec ? h('span', { class: 'row-sub' }, formatDuration(rc.talkSec)) : null),
      ),
    );
    fill(
      this.infoBox,
      h(
        'section',
        { class: 'info-col', 'aria-label': t.card.openTickets },
        h('h3', { class: 'section-title' }, t.card.openTickets, c.openTickets.length ? h('span', { class: 'count' }, String(c.openTickets.length)) : null),
        tickets.length ? h('ul', { class: 'rows' }, tickets) : h('p', { class: 'muted small' }, t.card.noOpenTickets),
        more(c.openTickets.length),
      ),
      this.o.compact
        ? null
        : h(
            'section',
            { class: 'info-col', 'aria-label': t.card.recentCalls },
            h('h3', { class: 'section-title' }, t.card.recentCalls),
            calls.length ? h('ul', { class: 'rows' }, calls) : h('p', { class: 'muted small' }, t.card.noRecentCalls),
            more(c.recentCalls.length),
          ),
    );
  }
}
