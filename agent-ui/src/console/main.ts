// The operator console: login, presence, the softphone, the call card with
// the new-ticket form, and the operator's own call history.
import '../styles/base.css';
import '../styles/console.css';
import { api, HttpError, onUnauthorized, session } from '../lib/api.ts';
import { h, fill, typingIn } from '../lib/dom.ts';
import { formatPhone } from '../lib/format.ts';
import { connectRealtime, type PultSocket } from '../lib/realtime.ts';
import { audioLocked, installAudioUnlock, onAudioLockChange, startRinging, stopRinging } from '../lib/ringtone.ts';
import { Softphone } from '../lib/softphone.ts';
import { placeCall } from '../lib/dial.ts';
import { DialPad } from '../ui/dialpad.ts';
import type { CallCard, OperatorMe, OperatorState, TicketCategory, User } from '../lib/types.ts';
import { CardPanel } from '../ui/card.ts';
import { HistoryPanel } from '../ui/history.ts';
import { CallbacksPanel } from '../ui/callbacks.ts';
import { loginView } from '../ui/login.ts';
import { openAppend } from '../requests/append-dialog.ts';
import { RequestsView } from '../requests/list-view.ts';
import '../styles/requests.css';
import { JournalView } from '../journal/journal-view.ts';
import { jr } from '../i18n/ru-journal.ts';
import '../styles/journal.css';
import { t } from '../i18n/index.ts';

declare global {
  interface Window {
    __pult?: { pc(): RTCPeerConnection | null; phone(): Softphone | null };
  }
}

const root = document.getElementById('app')!;
document.title = t.appTitleConsole;
installAudioUnlock();

let phone: Softphone | null = null;
let socket: PultSocket | null = null;
let teardown: (() => void) | null = null;

window.__pult = { pc: () => phone?.pc() ?? null, phone: () => phone };

function showLogin(notice?: string): void {
  teardown?.();
  teardown = null;
  fill(root, loginView({ subtitle: t.login.subtitleConsole, notice, onLoggedIn: (u) => void startConsole(u) }));
}

onUnauthorized(() => showLogin(t.login.expired));

async function boot(): Promise<void> {
  if (!session.token) return showLogin();
  try {
    const { user } = await api.me();
    await startConsole(user);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return; // handler shows the login form
    showLogin(t.login.failed);
  }
}

async function startConsole(user: User): Promise<void> {
  let me: OperatorMe | null;
  let categories: TicketCategory[];
  try {
    const [m, c] = await Promise.all([api.operatorMe().catch((e: unknown) => (e instanceof HttpError && (e.status === 404 || e.status === 403) ? null : Promise.reject(e))), api.categories()]);
    me = m;
    categories = c.items;
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return;
    return showLogin(t.login.failed);
  }
  if (!me) {
    fill(root, h('main', { class: 'login-page' }, h('div', { class: 'login-form' }, h('p', { testid: 'no-operator' }, t.state.noOperator), h('button', { type: 'button', class: 'btn', onclick: () => void logout() }, t.common.logout))));
    return;
  }
  const ui = new ConsoleUi(user, me, categories);
  fill(root, ui.el);
  teardown = () => ui.destroy();
  ui.start();
  // A request's link (the journal's files point here): /?request=<id> opens its page.
  const linked = new URLSearchParams(location.search).get('request');
  if (linked && /^\d{1,12}$/.test(linked)) {
    history.replaceState(null, '', location.pathname);
    ui.openRequest(Number(linked));
  }
}

async function logout(): Promise<void> {
  try {
    await api.setState('offline').catch(() => undefined);
    await phone?.stop();
    await api.logout().catch(() => undefined);
  } finally {
    session.clear();
    showLogin();
  }
}

class ConsoleUi {
  readonly el: HTMLElement;
  private state: OperatorState;
  private pauseReason: string | null;
  private wrapupUntil: number | null;
  private readonly card: CardPanel;
  private readonly history: HistoryPanel;
  private readonly requests: RequestsView;
  private readonly workspace: HTMLElement;
  private readonly requestsBtn: HTMLButtonElement;
  private readonly journal: JournalView;
  private readonly journalBtn: HTMLButtonElement;
  private readonly callbacks = new CallbacksPanel();
  private readonly phone: Softphone;
  private readonly stateBox = h('div', { class: 'state-control', role: 'group', 'aria-label': t.state.label });
  private readonly stateHint = h('div', { class: 'state-hint', testid: 'state-hint', 'aria-live': 'polite' });
  private readonly phoneStatus = h('div', { class: 'phone-status', testid: 'softphone-status', role: 'status' });
  private readonly wrapup = h('div', { class: 'wrapup', testid: 'wrapup', 'aria-live': 'off', hidden: true });
  private readonly netBanner = h('div', { class: 'net-banner', testid: 'realtime-lost', role: 'alert', hidden: true }, t.realtime.lost);
  private readonly callBox = h('div', { class: 'call-box', testid: 'call-panel' });
  private readonly callLive = h('div', { class: 'sr-only', 'aria-live': 'assertive', testid: 'incoming-live' });
  private readonly micHelp = h('div', { class: 'mic-help', hidden: true });
  private readonly soundHint = h('button', { type: 'button', class: 'sound-hint', testid: 'sound-locked', hidden: true }, t.phone.soundLocked);
  private readonly buttons: Record<'answer' | 'hangup' | 'hold' | 'mute' | 'keypad' | 'transfer', HTMLButtonElement>;
  private readonly keypad: HTMLElement;
  private readonly transferBox: HTMLElement;
  private readonly pauseMenu: HTMLElement;
  private readonly dialpad: DialPad;
  private tick: number | null = null;
  private lastEndedAt = 0;

  constructor(private readonly user: User, private readonly me: OperatorMe, private readonly categories: TicketCategory[]) {
    this.state = me.operator.state;
    this.pauseReason = me.operator.pauseReason;
    this.wrapupUntil = me.operator.wrapupUntil ? Date.parse(me.operator.wrapupUntil) : null;
    this.phone = phone = new Softphone();
    this.requests = new RequestsView({ user, categories: () => this.categories, onClose: () => this.showRequests(false), callId: () => this.card.card?.callId ?? null });
    this.card = new CardPanel({
      categories: () => this.categories,
      onOpenTicket: (id) => this.showRequests(true, id),
      onClose: () => this.card.clear(),
      onAppend: (tk, callId) => openAppend(tk, callId, (r) => this.card.noteAppended(r.id, r.number)),
      onCallBack: (number, lineId) => void this.dial(number, lineId),
    });
    this.history = new HistoryPanel({ title: t.history.title, limit: 50, onCallBack: (c) => void this.dial(c.from, c.line?.id ?? null) });
    this.dialpad = new DialPad({ onCall: (n) => void this.dial(n, null), onEnd: () => void this.hangup() });
    this.journal = new JournalView({ onClose: () => this.showJournal(false), onOpenRequest: (id) => this.openRequest(id) });

    const btn = (testid: string, label: string, cls: string, onclick: () => void, kbd?: string) =>
      h('button', { type: 'button', class: `btn ${cls}`, testid, disabled: true, onclick }, h('span', null, label), kbd ? h('kbd', { class: 'btn-kbd' }, kbd) : null);
    this.buttons = {
      answer: btn('answer', t.phone.answer, 'btn-answer', () => void this.answer(), 'F2'),
      hangup: btn('hangup', t.phone.hangup, 'btn-hangup', () => void this.hangup(), 'F4'),
      hold: btn('hold', t.phone.hold, 'btn-secondary', () => void this.toggleHold()),
      mute: btn('mute', t.phone.mute, 'btn-secondary', () => this.toggleMute()),
      keypad: btn('keypad-toggle', t.phone.keypad, 'btn-secondary', () => this.toggle(this.keypad)),
      transfer: btn('transfer-toggle', t.phone.transfer, 'btn-secondary', () => this.toggle(this.transferBox)),
    };
    this.buttons.keypad.setAttribute('aria-expanded', 'false');
    this.buttons.transfer.setAttribute('aria-expanded', 'false');

    this.keypad = h(
      'div',
      { class: 'keypad', testid: 'keypad', role: 'group', 'aria-label': t.phone.dtmfLabel, hidden: true },
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((d) => h('button', { type: 'button', class: 'key', testid: `dtmf-${d}`, onclick: () => this.phone.dtmf(d) }, d)),
    );
    const target = h('input', { id: 'transfer-target', class: 'input', inputmode: 'tel', autocomplete: 'off', placeholder: t.phone.transferPlaceholder, testid: 'transfer-target' });
    const transferErr = h('p', { class: 'field-error', testid: 'transfer-error', hidden: true });
    const transferForm = h(
      'form',
      { class: 'transfer', novalidate: true },
      h('label', { class: 'label', for: 'transfer-target' }, t.phone.transferLabel),
      h('div', { class: 'inline' }, target, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'transfer-go' }, t.phone.transferGo)),
      transferErr,
    );
    transferForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = target.value.replace(/[\s()+-]/g, '');
      if (!/^\d{3,15}$/.test(v)) {
        transferErr.textContent = t.phone.transferBad;
        transferErr.hidden = false;
        target.focus();
        return;
      }
      transferErr.hidden = true;
      this.phone.transfer(v, async (to, pultCallId) => {
        const callId = pultCallId ?? this.card.card?.callId;
        if (!callId) throw new Error('no call');
        await api.transfer(callId, to);
      });
    });
    this.transferBox = h('div', { class: 'transfer-box', testid: 'transfer', hidden: true }, transferForm);

    this.pauseMenu = this.buildPauseMenu();

    this.requestsBtn = h('button', { type: 'button', class: 'btn btn-small btn-requests', testid: 'requests-open', title: t.requests.openTitle, 'aria-pressed': 'false', onclick: () => this.showRequests(!this.requests.visible) }, t.requests.open, h('kbd', { class: 'btn-kbd' }, 'F3'));
    const header = h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'), h('span', { class: 'brand-name' }, t.appName)),
      h('div', { class: 'who' }, h('span', { class: 'who-name', testid: 'user-name' }, user.fullName), h('span', { class: 'who-ext' }, t.phone.ext(me.operator.extension))),
      h('div', { class: 'state-wrap' }, this.stateBox, this.pauseMenu),
      this.wrapup,
      h('div', { class: 'spacer' }),
      (this.journalBtn = h('button', { type: 'button', class: 'btn btn-small btn-journal', testid: 'journal-open', title: jr.openTitle, 'aria-pressed': 'false', onclick: () => this.showJournal(!this.journal.visible) }, jr.open)),
      this.requestsBtn,
      this.phoneStatus,
    );

    const phonePanel = h(
      'section',
      { class: 'panel phone-panel', 'aria-label': t.phone.idleTitle },
      this.callLive,
      this.soundHint,
      this.micHelp,
      this.callBox,
      h('div', { class: 'call-actions' }, this.buttons.answer, this.buttons.hangup),
      h('div', { class: 'call-tools' }, this.buttons.hold, this.buttons.mute, this.buttons.keypad, this.buttons.transfer),
      this.keypad,
      this.transferBox,
      this.dialpad.el,
      h(
        'div',
        { class: 'hints', 'aria-label': t.phone.hintsTitle },
        h('div', null, h('kbd', null, 'F2'), ' / ', h('kbd', null, 'Enter'), ` — ${t.phone.hintAnswer}`),
        h('div', null, h('kbd', null, 'F4'), ' / ', h('kbd', null, 'Esc'), ` — ${t.phone.hintHangup}`),
        h('div', null, h('kbd', null, 'Alt'), '+', h('kbd', null, '1'), '…', h('kbd', null, '9'), ` — ${t.phone.hintPick}`),
        h('div', null, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Enter'), ` — ${t.phone.hintSave}`),
      ),
    );

    this.el = h(
      'div',
      { class: 'console' },
      header,
      this.netBanner,
      (this.workspace = h('main', { class: 'workspace' }, h('div', { class: 'col col-phone' }, phonePanel, this.stateHint), h('div', { class: 'col col-card' }, this.card.el), h('div', { class: 'col col-history' }, this.callbacks.el, this.history.el))),
      this.requests.el,
      this.journal.el,
    );
    this.soundHint.addEventListener('click', () => this.renderSound());
    onAudioLockChange(() => this.renderSound());
  }

  private buildPauseMenu(): HTMLElement {
    const other = h('input', { id: 'pause-other', class: 'input', placeholder: t.state.pauseOtherPlaceholder, maxlength: 100, testid: 'pause-other-input' });
    const otherErr = h('p', { class: 'field-error', hidden: true });
    const otherForm = h(
      'form',
      { class: 'pause-other', hidden: true, novalidate: true },
      h('label', { class: 'label', for: 'pause-other' }, t.state.pauseOtherLabel),
      other,
      otherErr,
      h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'pause-other-submit' }, t.state.pauseOtherSubmit),
    );
    otherForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!other.value.trim()) {
        otherErr.textContent = t.state.pauseReasonRequired;
        otherErr.hidden = false;
        other.focus();
        return;
      }
      void this.setState('paused', other.value.trim());
    });
    const menu = h(
      'div',
      { class: 'pause-menu', testid: 'pause-menu', role: 'menu', hidden: true },
      t.state.pauseReasons.map((r, i) => h('button', { type: 'button', class: 'menu-item', role: 'menuitem', testid: `pause-reason-${i}`, onclick: () => void this.setState('paused', r) }, r)),
      h('button', { type: 'button', class: 'menu-item', role: 'menuitem', testid: 'pause-reason-other', onclick: () => { otherForm.hidden = false; other.focus(); } }, t.state.pauseOther),
      otherForm,
    );
    menu.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.closePauseMenu();
      }
    });
    return menu;
  }

  private closePauseMenu(): void {
    this.pauseMenu.hidden = true;
    this.stateBox.querySelector<HTMLButtonElement>('[data-testid="state-pause"]')?.setAttribute('aria-expanded', 'false');
  }

  start(): void {
    this.renderState();
    this.renderPhone();
    this.renderSound();
    this.phone.onChange(() => this.renderPhone());
    this.phone.onCallEnded(() => {
      this.lastEndedAt = Date.now();
      this.dialpad.say('');
      stopRinging();
      this.renderPhone();
    });
    if (this.me.sip) void this.phone.start(this.me.sip);
    void this.history.load();
    this.callbacks.start();
    this.tick = window.setInterval(() => this.onTick(), 250);
    window.addEventListener('keydown', this.onKey);
    document.addEventListener('click', this.onDocClick);

    let first = true;
    socket = connectRealtime(session.token ?? '', {
      onUp: () => {
        this.netBanner.hidden = true;
        if (first) socket?.emit('card.resend');
        first = false;
        // state may have changed while we were away
        void api.operatorMe().then((m) => this.applyState(m.operator.state, m.operator.pauseReason, m.operator.wrapupUntil)).catch(() => undefined);
      },
      onDown: () => (this.netBanner.hidden = false),
      onUnauthorized: () => {
        session.clear();
        showLogin(t.login.expired);
      },
    });
    socket.on('call.offered', (card) => this.onOffered(card));
    socket.on('call.answered', (e) => {
      if (e.byYou) this.card.setPhase(e.callId, 'connected');
      else if (this.card.card?.callId === e.callId) {
        this.card.clear();
        this.announce(t.phone.anotherDevice);
      }
    });
    socket.on('call.ended', (e) => {
      this.card.setPhase(e.callId, 'ended');
      window.setTimeout(() => void this.history.load(), 300);
    });
    socket.on('call.recording', () => void this.history.load());
    socket.on('request.changed', (e) => this.requests.onChanged(e.requestId));
    // A reply waits for approval (supervisors) or was decided (its author): the open request page refreshes.
    socket.on('reply.pending', (e) => this.requests.onChanged(e.requestId));
    socket.on('reply.decided', (e) => this.requests.onChanged(e.requestId));
    socket.on('operator.state', (e) => {
      if (e.userId !== this.user.id) return;
      this.applyState(e.state as OperatorState, e.pauseReason, e.wrapupUntil ?? null);
    });
  }

  destroy(): void {
    this.callbacks.stop();
    if (this.tick !== null) window.clearInterval(this.tick);
    window.removeEventListener('keydown', this.onKey);
    document.removeEventListener('click', this.onDocClick);
    socket?.disconnect();
    socket = null;
    stopRinging();
    void this.phone.stop();
  }

  private onOffered(card: CallCard): void {
    if (card.via !== 'console') return;
    if (this.requests.visible) this.showRequests(false);
    if (this.journal.visible) this.showJournal(false);
    this.card.show(card);
    this.renderPhone();
  }

  private applyState(state: OperatorState, reason: string | null, wrapupUntil: string | null): void {
    this.state = state;
    this.pauseReason = reason;
    this.wrapupUntil = wrapupUntil ? Date.parse(wrapupUntil) : null;
    this.renderState();
  }

  private async setState(state: 'available' | 'paused' | 'offline', reason?: string): Promise<void> {
    this.closePauseMenu();
    try {
      const { operator } = await api.setState(state, reason);
      this.applyState(operator.state, operator.pauseReason, operator.wrapupUntil);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) this.stateHint.textContent = t.state.changeFailed;
    }
  }

  private renderState(): void {
    const s = this.state;
    const working = s === 'available' || s === 'ringing' || s === 'oncall' || s === 'wrapup';
    const stateLabel = s === 'paused' && this.pauseReason ? t.state.pausedWith(this.pauseReason) : t.state[s];
    const pauseBtn = h(
      'button',
      { type: 'button', class: `seg-btn${s === 'paused' ? ' on pause' : ''}`, testid: 'state-pause', 'aria-haspopup': 'menu', 'aria-expanded': String(!this.pauseMenu.hidden), 'aria-pressed': String(s === 'paused'), onclick: (e: MouseEvent) => { e.stopPropagation(); this.togglePauseMenu(); } },
      s === 'paused' && this.pauseReason ? t.state.pausedWith(this.pauseReason) : t.state.setPause,
      ' ▾',
    );
    fill(
      this.stateBox,
      h('button', { type: 'button', class: `seg-btn${working ? ' on ready' : ''}`, testid: 'state-available', 'aria-pressed': String(working), onclick: () => void this.setState('available') }, h('span', { class: 'led', 'aria-hidden': 'true' }), t.state.setAvailable),
      pauseBtn,
      h('button', { type: 'button', class: 'seg-btn', testid: 'logout', title: t.state.logoutTitle, onclick: () => void logout() }, t.state.logout),
    );
    this.stateBox.dataset.state = s;
    this.stateBox.setAttribute('aria-description', stateLabel);
    this.stateHint.textContent = s === 'offline' ? t.state.offlineHint : s === 'paused' ? t.state.pausedHint(this.pauseReason ?? '') : '';
    this.stateHint.dataset.state = s;
    this.onTick();
  }

  private togglePauseMenu(): void {
    this.pauseMenu.hidden = !this.pauseMenu.hidden;
    this.stateBox.querySelector('[data-testid="state-pause"]')?.setAttribute('aria-expanded', String(!this.pauseMenu.hidden));
    if (!this.pauseMenu.hidden) this.pauseMenu.querySelector<HTMLButtonElement>('.menu-item')?.focus();
  }

  private readonly onDocClick = (e: MouseEvent) => {
    if (!this.pauseMenu.hidden && !this.pauseMenu.contains(e.target as Node)) this.closePauseMenu();
  };

  private onTick(): void {
    // wrap-up countdown
    if (this.state === 'wrapup' && this.wrapupUntil) {
      const left = Math.max(0, Math.ceil((this.wrapupUntil - Date.now()) / 1000));
      this.wrapup.textContent = t.state.wrapupCountdown(t.duration(left));
      this.wrapup.hidden = false;
    } else {
      this.wrapup.hidden = true;
    }
    // talk timer and retry countdown
    const c = this.phone.call;
    const timer = this.callBox.querySelector('[data-role="timer"]');
    if (timer && c?.connectedAt) timer.textContent = t.duration((Date.now() - c.connectedAt) / 1000);
    if (this.phone.regState === 'unregistered' && this.phone.retryAt) {
      const sec = Math.max(0, Math.ceil((this.phone.retryAt - Date.now()) / 1000));
      const text = this.phoneStatus.querySelector('[data-role="text"]');
      if (text) text.textContent = sec > 1 ? t.phone.unregisteredIn(sec) : t.phone.unregistered;
    }
  }

  private renderSound(): void {
    this.soundHint.hidden = !audioLocked();
  }

  private announce(text: string): void {
    this.callLive.textContent = text;
  }

  private renderPhone(): void {
    const p = this.phone;
    // status pill
    const reg = p.regState;
    const text = !this.me.sip ? t.phone.noSip : { registered: t.phone.registered, connecting: t.phone.connecting, unregistered: t.phone.unregistered, 'mic-denied': t.phone.micDenied }[reg];
    this.phoneStatus.dataset.state = reg;
    fill(this.phoneStatus, h('span', { class: 'led', 'aria-hidden': 'true' }), h('span', { 'data-role': 'text' }, text));
    // microphone help
    if (reg === 'mic-denied') {
      const why = p.micProblem === 'insecure' ? t.phone.micInsecure : p.micProblem === 'missing' ? t.phone.micMissing : t.phone.micDeniedHelp;
      fill(this.micHelp, h('p', null, h('b', null, t.phone.micDenied), h('br'), why), h('button', { type: 'button', class: 'btn btn-small', testid: 'mic-retry', onclick: () => void p.recheckMicAndConnect() }, t.phone.micRetry));
      this.micHelp.hidden = false;
    } else {
      this.micHelp.hidden = true;
    }
    // the call
    const c = p.call;
    const card = this.card.card;
    const line = card?.line?.name ?? '';
    if (c) {
      const who = card?.anonymous ? (card.anonymousLabel ?? t.card.anonymous) : formatPhone(c.from) || c.displayName;
      const ringing = c.phase === 'ringing';
      const dialling = c.phase === 'dialling';
      const label = ringing ? t.phone.incoming : dialling ? t.dial.dialling : c.held ? t.phone.onHold : t.phone.connected;
      fill(
        this.callBox,
        h(
          'div',
          { class: `call ${ringing ? 'ringing' : dialling ? 'dialling' : 'connected'}`, testid: ringing ? 'incoming' : dialling ? 'outgoing' : 'in-call', 'data-from': c.from, 'data-direction': c.direction },
          h('div', { class: 'call-label' }, label, ringing || dialling ? null : h('span', { class: 'call-timer', 'data-role': 'timer' }, '0:00')),
          h('div', { class: 'call-number', testid: 'call-number' }, who),
          h('div', { class: 'call-line' }, line ? `${t.phone.line}: ${line}` : '\u00a0'),
          c.transfer !== 'idle' ? h('div', { class: `call-transfer ${c.transfer}`, testid: 'transfer-state', 'data-state': c.transfer }, { pending: t.phone.transferring, done: t.phone.transferDone, failed: t.phone.transferFailed }[c.transfer]) : null,
        ),
      );
      if (ringing) {
        this.announce(t.phone.incomingAria(who, line));
        startRinging();
      } else {
        stopRinging();
      }
    } else {
      stopRinging();
      fill(this.callBox, h('div', { class: 'call idle', testid: 'no-call' }, h('div', { class: 'call-label' }, Date.now() - this.lastEndedAt < 3000 ? t.phone.ended : t.phone.idleTitle), h('div', { class: 'call-number muted' }, t.phone.idle), h('div', { class: 'call-line' }, '\u00a0')));
    }
    const inCall = c?.phase === 'connected';
    this.dialpad.setBusy(!!c);
    this.buttons.answer.disabled = c?.phase !== 'ringing';
    this.buttons.hangup.disabled = !c;
    this.buttons.hangup.querySelector('span')!.textContent = c?.phase === 'ringing' ? t.phone.reject : t.phone.hangup;
    this.buttons.hold.disabled = !inCall;
    this.buttons.mute.disabled = !inCall;
    this.buttons.keypad.disabled = !inCall;
    this.buttons.transfer.disabled = !inCall;
    this.buttons.hold.querySelector('span')!.textContent = c?.held ? t.phone.unhold : t.phone.hold;
    this.buttons.hold.setAttribute('aria-pressed', String(!!c?.held));
    this.buttons.mute.querySelector('span')!.textContent = c?.muted ? t.phone.unmute : t.phone.mute;
    this.buttons.mute.setAttribute('aria-pressed', String(!!c?.muted));
    if (!inCall) {
      this.keypad.hidden = true;
      this.transferBox.hidden = true;
      this.buttons.keypad.setAttribute('aria-expanded', 'false');
      this.buttons.transfer.setAttribute('aria-expanded', 'false');
    }
    this.onTick();
  }

  /** «Заявки» in place of the workspace (the softphone keeps working: F2 / F4). */
  private showRequests(on: boolean, openId?: number): void {
    if (on && this.journal.visible) this.showJournal(false);
    this.workspace.hidden = on;
    this.requestsBtn.setAttribute('aria-pressed', String(on));
    if (on) this.requests.show(openId);
    else {
      this.requests.hide();
      this.card.focusNext();
    }
  }

  /** A request's page in «Заявки» (from the journal, or a /?request=<id> link). */
  openRequest(id: number): void {
    this.showRequests(true, id);
  }

  /** «Журнал» in place of the workspace (the softphone keeps working: F2 / F4). */
  private showJournal(on: boolean): void {
    if (on && this.requests.visible) this.showRequests(false);
    this.workspace.hidden = on;
    this.journalBtn.setAttribute('aria-pressed', String(on));
    if (on) this.journal.show();
    else {
      this.journal.hide();
      this.card.focusNext();
    }
  }

  private toggle(box: HTMLElement): void {
    const other = box === this.keypad ? this.transferBox : this.keypad;
    other.hidden = true;
    box.hidden = !box.hidden;
    this.buttons.keypad.setAttribute('aria-expanded', String(!this.keypad.hidden));
    this.buttons.transfer.setAttribute('aria-expanded', String(!this.transferBox.hidden));
    if (!box.hidden) box.querySelector<HTMLElement>('input, button')?.focus();
  }

  private async answer(): Promise<void> {
    stopRinging();
    try {
      await this.phone.answer();
    } catch {
      this.announce(t.phone.answerFailed);
    }
    // the form is where the operator goes next
    this.card.focusNext();
  }

  /** The dial pad's «Позвонить», «Перезвонить» in the card and the history. */
  private async dial(number: string, lineId: number | null): Promise<void> {
    if (this.phone.call) return;
    this.dialpad.prefill(number);
    this.dialpad.say(t.dial.calling(formatPhone(number) || number));
    const r = await placeCall(this.phone, number, lineId);
    if (!r.ok) this.dialpad.say(r.message, true);
    else if (r.via === 'cloud-pbx') this.dialpad.say(t.dial.viaCloud);
  }

  private async hangup(): Promise<void> {
    stopRinging();
    await this.phone.hangup().catch(() => undefined);
  }

  private async toggleHold(): Promise<void> {
    const c = this.phone.call;
    if (c) await this.phone.setHold(!c.held).catch(() => undefined);
  }

  private toggleMute(): void {
    const c = this.phone.call;
    if (c) this.phone.setMute(!c.muted);
  }

  private readonly onKey = (e: KeyboardEvent) => {
    const c = this.phone.call;
    const dialogOpen = document.querySelector('dialog[open]') !== null;
    if (e.key === 'F2') {
      e.preventDefault();
      if (c?.phase === 'ringing') void this.answer();
      return;
    }
    if (e.key === 'F4') {
      e.preventDefault();
      if (c) void this.hangup();
      return;
    }
    if (e.key === 'F3') {
      e.preventDefault();
      if (!dialogOpen) this.showRequests(!this.requests.visible);
      return;
    }
    if (dialogOpen || e.defaultPrevented) return;
    const typing = typingIn(e.target);
    const onControl = e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement || e.target instanceof HTMLAudioElement;
    if (e.key === 'Enter' && !e.ctrlKey && !typing && !onControl && c?.phase === 'ringing') {
      e.preventDefault();
      void this.answer();
      return;
    }
    if (e.key === 'Escape' && this.journal.visible) {
      e.preventDefault();
      this.showJournal(false);
      return;
    }
    if (e.key === 'Escape' && this.requests.visible) {
      // Esc leaves the journal (never hangs up from there); F4 still does.
      e.preventDefault();
      this.showRequests(false);
      return;
    }
    if (this.requests.visible || this.journal.visible) return; // keys below belong to the card
    if (e.key === 'Escape' && !typing) {
      if (!this.pauseMenu.hidden) return this.closePauseMenu();
      if (c) {
        e.preventDefault();
        void this.hangup();
      }
      return;
    }
    // Alt+1…9 picks another account even from a text field (1…9 alone outside of one).
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
      if (this.card.pickByIndex(Number(e.code.slice(5)) - 1)) e.preventDefault();
      return;
    }
    if (typing || e.ctrlKey || e.altKey || e.metaKey) return;
    if (!this.keypad.hidden && /^[0-9*#]$/.test(e.key)) {
      e.preventDefault();
      this.phone.dtmf(e.key);
      return;
    }
    if (/^[1-9]$/.test(e.key) && this.card.pickByIndex(Number(e.key) - 1)) e.preventDefault();
  };
}

void boot();
