// The supervisor wallboard: a TV view (1920×1080, no scrolling, large
// figures coloured by thresholds) and a desk view (`?view=desk`: who waits,
// whom to call back, listen / whisper / barge, pause / log out an operator).
// Everything on screen is the server's snapshot (`GET /api/wallboard`, then
// the socket's `wallboard.snapshot` and the `wallboard.patch`es applied to
// it); the page computes no figure itself (only the seconds in a state / of
// waiting, from the patch's time, with the server's own formula).
import '../styles/base.css';
import './wallboard.css';
import { io, type Socket } from 'socket.io-client';
import { h, fill } from '../lib/dom.ts';
import type { ServerToClientEvents, ClientToServerEvents } from '../../../src/realtime/contract.ts';
import type { WallboardFigures, WallboardLine, WallboardOperator, WallboardSnapshot } from '../../../src/features/wallboard/contract.ts';
import { w } from '../i18n/ru-wallboard.ts';
import { chartSvg } from './chart.ts';
import { applyWallboardPatch } from '../../../src/features/wallboard/patch.ts';
import { RequestMonitor } from './monitor.ts';
import { PendingReplies } from './pending-replies.ts';

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Me { id: number; login: string; role: string; fullName: string }

const root = document.getElementById('app')!;
const tokenKey = 'pult.token';
const phoneKey = 'pult.wallboard.phone';
document.title = w.title;

const token = {
  get: () => localStorage.getItem(tokenKey),
  set: (t: string) => localStorage.setItem(tokenKey, t),
  clear: () => localStorage.removeItem(tokenKey),
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && path !== '/api/auth/login') {
    showLogin(w.failed);
    throw new HttpError(401, 'unauthenticated');
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new HttpError(res.status, (data as { error?: { message?: string } } | null)?.error?.message ?? res.statusText);
  return data as T;
}

// ---- formatting -------------------------------------------------------------

const num = (x: number) => x.toLocaleString('ru-RU');
const pct = (x: number | null) => (x === null ? '—' : `${x.toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %`);
function dur(sec: number | null): string {
  if (sec === null) return '—';
  const s = Math.max(0, Math.round(sec));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
const slClass = (sl: number | null) => (sl === null ? 'is-none' : sl >= 80 ? 'is-ok' : sl >= 60 ? 'is-warn' : 'is-bad');
const time = (iso: string, timeZone?: string) => new Date(iso).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone });
const phone = (n: string) => (/^7\d{10}$/.test(n) ? `+7 ${n.slice(1, 4)} ${n.slice(4, 7)}-${n.slice(7, 9)}-${n.slice(9)}` : n || 'Аноним');

/** The threshold the longest wait is judged by: of the line the oldest waiting call is on. */
function longestThreshold(s: WallboardSnapshot): number {
  const oldest = s.waitingCalls[0];
  const line = oldest ? s.lines.find((l) => l.lineId === oldest.lineId) : undefined;
  return line?.slThresholdSec ?? Math.min(20, ...s.lines.map((l) => l.slThresholdSec));
}

// ---- login ------------------------------------------------------------------

let socket: WallSocket | null = null;

function showLogin(notice?: string): void {
  socket?.disconnect();
  socket = null;
  const login = h('input', { id: 'login', class: 'input', autocomplete: 'username', testid: 'login-user', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', type: 'password', class: 'input', autocomplete: 'current-password', testid: 'login-password' });
  const error = h('p', { class: 'form-summary', role: 'alert', hidden: !notice }, notice ?? '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', testid: 'login-submit' }, w.submit);
  const form = h('form', { class: 'login-form', novalidate: true },
    h('h1', { class: 'login-title' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'), 'Пульт'),
    h('p', { class: 'muted' }, w.loginSubtitle),
    h('div', { class: 'field' }, h('label', { class: 'label', for: 'login' }, w.loginLabel), login),
    h('div', { class: 'field' }, h('label', { class: 'label', for: 'password' }, w.password), password),
    error, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!login.value.trim() || !password.value) {
      error.textContent = w.required;
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = w.submitting;
    call<{ token: string; user: Me }>('POST', '/api/auth/login', { login: login.value.trim(), password: password.value })
      .then((r) => {
        token.set(r.token);
        start(r.user);
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof HttpError && (err.status === 401 || err.status === 400) ? w.bad : w.failed;
        error.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = w.submit;
      });
  });
  document.body.className = 'wall-login';
  fill(root, h('main', { class: 'login-page' }, form));
  queueMicrotask(() => login.focus());
}

// ---- the page -----------------------------------------------------------------

const viewParam = new URLSearchParams(location.search).get('view');
const view = viewParam === 'desk' || viewParam === 'monitor' ? viewParam : 'tv';
let monitor: RequestMonitor | null = null;
const connBox = h('div', { class: 'wall-conn is-down', role: 'status' }, w.lost);
let snap: WallboardSnapshot | null = null;
let me: Me | null = null;
let connected = false;

function start(user: Me): void {
  if (user.role !== 'supervisor' && user.role !== 'admin') {
    token.clear();
    return showLogin(w.notSupervisor);
  }
  me = user;
  document.body.className = view === 'tv' ? 'wall-tv-body' : 'wall-desk-body';
  monitor = null;
  const t = token.get() ?? '';
  socket = io({ auth: { token: t }, reconnectionDelay: 500, reconnectionDelayMax: 5000 });
  socket.on('connect', () => ((connected = true), render()));
  socket.on('disconnect', (reason) => {
    connected = false;
    render();
    // Cut by the server when the session ended: reconnecting shows the login if the token is dead.
    if (reason === 'io server disconnect') socket?.connect();
  });
  socket.on('connect_error', (err) => {
    connected = false;
    if (err.message === 'unauthorized') {
      token.clear();
      showLogin(w.failed);
    } else render();
  });
  if (view === 'monitor') {
    monitor = new RequestMonitor(call, monitorHeader());
    monitor.attach(socket);
    // Replies to residents waiting for approval (issue 14).
    const replies = new PendingReplies();
    monitor.el.append(replies.el);
    replies.attach(socket);
    fill(root, monitor.el);
  }
  socket.on('wallboard.snapshot', (s) => {
    snap = s;
    render();
  });
  socket.on('wallboard.patch', (p) => {
    const next = snap ? applyWallboardPatch(snap, p) : null;
    // A patch missed (or only the REST snapshot so far): ask for the whole board again.
    if (!next) return void socket?.emit('wallboard.resync');
    snap = next;
    render();
  });
  call<WallboardSnapshot>('GET', '/api/wallboard').then((s) => {
    snap ??= s;
    render();
  }).catch(() => undefined);
}

setInterval(() => {
  const c = document.querySelector('[data-testid="wall-clock"]');
  if (c) c.textContent = new Date().toLocaleTimeString('ru-RU');
}, 1000);

function monitorHeader(): HTMLElement {
  return h('header', { class: 'wall-head' },
    h('div', { class: 'wall-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'), h('span', null, w.viewMonitor)),
    connBox,
    h('div', { class: 'wall-clock', testid: 'wall-clock' }, new Date().toLocaleTimeString('ru-RU')),
    h('a', { class: 'wall-switch', href: '?view=desk' }, w.viewDesk),
    h('button', { class: 'btn btn-small', onclick: () => void logout() }, w.logout));
}

function header(s: WallboardSnapshot): HTMLElement {
  const scope = s.tenants.length === 1 ? s.tenants[0]!.name : w.allCompanies;
  const other = view === 'tv' ? h('a', { class: 'wall-switch', href: '?view=desk' }, w.viewDesk) : h('a', { class: 'wall-switch', href: '?' }, w.viewTv);
  return h('header', { class: 'wall-head' },
    h('div', { class: 'wall-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'), h('span', null, view === 'tv' ? w.viewTv : w.viewDesk), h('span', { class: 'wall-scope' }, scope)),
    h('div', { class: `wall-conn ${connected ? 'is-up' : 'is-down'}`, role: 'status' }, connected ? w.live : w.lost),
    h('div', { class: 'wall-clock', testid: 'wall-clock' }, new Date().toLocaleTimeString('ru-RU')),
    other,
    view === 'desk' ? h('a', { class: 'wall-switch', href: '?view=monitor', testid: 'wall-to-monitor' }, w.viewMonitor) : null,
    view === 'desk' ? h('button', { class: 'btn btn-small', onclick: () => void logout() }, w.logout) : null);
}

async function logout(): Promise<void> {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  token.clear();
  showLogin();
}

function tile(label: string, value: string, o: { cls?: string; sub?: string; testid?: string; big?: boolean } = {}): HTMLElement {
  return h('div', { class: `tile ${o.big ? 'tile-big' : ''} ${o.cls ?? ''}` },
    h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value', testid: o.testid }, value),
    o.sub ? h('div', { class: 'tile-sub' }, o.sub) : null);
}

function tiles(s: WallboardSnapshot, big: boolean): HTMLElement {
  const t: WallboardFigures = s.total;
  const longRed = t.longestWaitSec > longestThreshold(s);
  const primary = h('div', { class: 'tiles tiles-primary' },
    tile(w.waiting, num(t.waiting), { big, testid: 'wall-waiting', cls: t.waiting > 0 ? 'is-warn' : 'is-ok' }),
    tile(w.longest, dur(t.waiting > 0 ? t.longestWaitSec : 0), { big, testid: 'wall-longest', cls: t.waiting === 0 ? 'is-ok' : longRed ? 'is-bad' : 'is-warn' }),
    tile(w.sl, pct(t.serviceLevel), { big, testid: 'wall-sl', cls: slClass(t.serviceLevel), sub: w.slToday }),
    tile(w.callbacks, num(t.callbacksPending), {
      big, testid: 'wall-callbacks',
      // Decree 416: a task past (or near) its due time alarms.
      cls: s.commitments.callbacksOverdue > 0 ? 'is-bad' : s.commitments.callbacksNearDue > 0 || t.callbacksPending > 0 ? 'is-warn' : 'is-ok',
      sub: w.callbacksAlarm(s.commitments.callbacksOverdue, s.commitments.callbacksNearDue),
    }));
  const secondary = h('div', { class: 'tiles tiles-secondary' },
    tile(w.offered, num(t.offered), { testid: 'wall-offered' }),
    tile(w.answered, num(t.answered), { sub: `+ ${num(t.answeredOnMobile)} ${w.onMobile}`, testid: 'wall-answered' }),
    tile(w.abandoned, num(t.abandoned), { sub: `+ ${num(t.shortAbandoned)} ${w.short}`, cls: t.abandoned > 0 ? 'val-warn' : '' }),
    tile(w.unanswered, num(t.unanswered), { cls: t.unanswered > 0 ? 'val-bad' : '' }),
    tile(w.overflowed, num(t.overflowed)),
    tile(w.asa, dur(t.asaSec)),
    tile(w.talk, dur(t.avgTalkSec)),
    tile(w.answered5Min, pct(s.commitments.answeredWithin5Min.pct), { testid: 'wall-answered-5min', sub: w.ofDecided(s.commitments.answeredWithin5Min.met, s.commitments.answeredWithin5Min.of) }),
    tile(w.callbacksInTime, pct(s.commitments.callbacksInTime.pct), { testid: 'wall-callbacks-in-time', sub: w.ofDecided(s.commitments.callbacksInTime.met, s.commitments.callbacksInTime.of) }));
  return h('section', { class: 'wall-tiles' }, primary, secondary);
}

function linesTable(s: WallboardSnapshot): HTMLElement {
  const row = (name: string, sub: string, f: WallboardFigures, threshold: number | null, testid: string) =>
    h('tr', { testid },
      h('th', { scope: 'row' }, h('div', { class: 'cell-name' }, name), h('div', { class: 'cell-sub' }, sub)),
      h('td', { class: f.waiting > 0 ? 'is-warn-text' : '' }, num(f.waiting)),
      h('td', { class: f.waiting > 0 && threshold !== null && f.longestWaitSec > threshold ? 'is-bad-text' : '' }, f.waiting > 0 ? dur(f.longestWaitSec) : '—'),
      h('td', { class: `cell-sl ${slClass(f.serviceLevel)}-text` }, pct(f.serviceLevel)),
      h('td', null, num(f.offered)),
      h('td', null, num(f.answered), f.answeredOnMobile ? h('span', { class: 'cell-sub-inline' }, ` +${num(f.answeredOnMobile)}`) : null),
      h('td', { class: f.abandoned > 0 ? 'is-warn-text' : '' }, num(f.abandoned)),
      h('td', null, num(f.overflowed)),
      h('td', { class: f.callbacksPending > 0 ? 'is-warn-text' : '' }, num(f.callbacksPending)));
  return h('table', { class: 'wall-table' },
    h('thead', null, h('tr', null, ...[w.line, w.waiting, w.colLongest, w.colSl, w.offered, w.colAnswered, w.abandoned, w.colOverflowed, w.callbacks].map((x, i) => h('th', { scope: 'col', class: i === 0 ? 'th-line' : '' }, x)))),
    h('tbody', null,
      ...s.lines.map((l: WallboardLine) => row(l.name, `${l.tenant?.name ?? ''} · ${w.threshold} ${l.slThresholdSec} с`, l, l.slThresholdSec, 'line-row')),
      ...(s.tenants.length > 1 ? s.tenants.map((t) => row(t.name, w.company, t, Math.min(...s.lines.filter((l) => l.tenant?.id === t.tenantId).map((l) => l.slThresholdSec)), 'tenant-row')) : [])));
}

function operatorCard(o: WallboardOperator, actions: boolean): HTMLElement {
  const detail = o.state === 'paused' ? (o.pauseReason ?? '') : o.currentCaller ? phone(o.currentCaller) : '';
  const long = (o.state === 'paused' && o.stateSinceSec >= 15 * 60) || (o.state === 'wrapup' && o.stateSinceSec >= 120);
  return h('li', { class: `op op-${o.state} ${long ? 'op-long' : ''}`, testid: 'operator' },
    h('div', { class: 'op-top' },
      h('span', { class: 'op-name' }, o.name),
      h('span', { class: 'op-ext' }, o.extension)),
    h('div', { class: 'op-mid' },
      h('span', { class: `op-state st-${o.state}` }, w.states[o.state] ?? o.state),
      h('span', { class: 'op-time' }, dur(o.stateSinceSec)),
      h('span', { class: 'op-handled' }, `${num(o.handledToday)} ${w.handled}`)),
    detail ? h('div', { class: 'op-detail' }, detail) : null,
    actions ? operatorActions(o) : null);
}

// ---- desk actions -----------------------------------------------------------------

const flash = h('div', { class: 'wall-flash', role: 'status', hidden: true });
function say(text: string, bad = false): void {
  flash.textContent = text;
  flash.className = `wall-flash ${bad ? 'is-bad' : ''}`;
  flash.hidden = false;
  setTimeout(() => (flash.hidden = true), 3500);
}
function act(p: Promise<unknown>, ok?: string): void {
  p.then(() => ok && say(ok)).catch((e: unknown) => say(`${w.actionFailed}: ${(e as Error).message}`, true));
}

function operatorActions(o: WallboardOperator): HTMLElement {
  const onCall = o.state === 'oncall' && o.callId !== null;
  const sup = (mode: 'listen' | 'whisper' | 'barge') => () => {
    const ext = localStorage.getItem(phoneKey) ?? '';
    act(call('POST', '/api/supervise', { callId: o.callId, mode, ...(ext ? { supervisorEndpoint: ext } : {}) }), w.superviseStarted);
  };
  const pause = () => {
    const reason = prompt(w.pauseReason, w.pauseDefault);
    if (reason) act(call('POST', `/api/operators/${o.userId}/state`, { state: 'paused', reason }));
  };
  return h('div', { class: 'op-actions' },
    h('button', { class: 'btn btn-small', disabled: !onCall, onclick: sup('listen') }, w.listen),
    h('button', { class: 'btn btn-small', disabled: !onCall, onclick: sup('whisper') }, w.whisper),
    h('button', { class: 'btn btn-small', disabled: !onCall, onclick: sup('barge') }, w.barge),
    h('button', { class: 'btn btn-small', disabled: o.state === 'offline' || o.state === 'paused', onclick: pause }, w.pause),
    h('button', { class: 'btn btn-small', disabled: o.state === 'offline', onclick: () => act(call('POST', `/api/operators/${o.userId}/state`, { state: 'offline' })) }, w.logoutOp));
}

/** The operator chosen per callback row survives re-renders. */
const chosen = new Map<number, string>();

function deskLists(s: WallboardSnapshot): HTMLElement {
  const threshold = (lineId: number | null) => s.lines.find((l) => l.lineId === lineId)?.slThresholdSec ?? 20;
  const waiting = h('section', { class: 'panel desk-panel' },
    h('h2', { class: 'panel-title' }, w.waitingList, h('span', { class: 'count' }, num(s.waitingCalls.length))),
    s.waitingCalls.length === 0 ? h('p', { class: 'muted desk-empty' }, w.noWaiting) : h('ul', { class: 'rows' }, ...s.waitingCalls.map((c) =>
      h('li', { class: 'row', testid: 'waiting-row' },
        h('div', { class: 'row-main' }, h('strong', null, phone(c.caller)), h('span', { class: 'row-sub' }, `${c.line ?? ''}${c.state === 'overflow' ? ` · ${w.onMobileState}` : ''}`)),
        h('div', { class: `row-side desk-wait ${c.waitSec > threshold(c.lineId) ? 'is-bad-text' : ''}` }, dur(c.waitSec))))));
  const ops = s.operators.filter((o) => o.state !== 'offline');
  const callbacks = h('section', { class: 'panel desk-panel' },
    h('h2', { class: 'panel-title' }, w.callbacksList, h('span', { class: 'count' }, num(s.callbacks.length))),
    s.callbacks.length === 0 ? h('p', { class: 'muted desk-empty' }, w.noCallbacks) : h('ul', { class: 'rows' }, ...s.callbacks.map((c) => {
      const select = h('select', { class: 'input input-compact', 'aria-label': w.pickOperator },
        h('option', { value: '' }, `${w.pickOperator}…`),
        ...(ops.length ? ops : s.operators).map((o) => h('option', { value: String(o.userId), selected: (chosen.get(c.id) ?? String(c.assignedTo?.userId ?? '')) === String(o.userId) }, `${o.name} (${w.states[o.state]})`)));
      select.addEventListener('change', () => {
        chosen.set(c.id, select.value);
        select.blur(); // the page re-renders only while no list is open
      });
      const assign = () => {
        if (!select.value) return say(w.pickOperator, true);
        act(call('POST', `/api/callbacks/${c.id}/assign`, { userId: Number(select.value) }));
      };
      return h('li', { class: 'row cb-row', testid: 'callback-row' },
        h('div', { class: 'row-main' },
          h('strong', null, phone(c.caller)),
          h('span', { class: 'row-sub' }, `${time(c.createdAt, s.timeZone)} · ${c.line ?? ''} · ${w.reasons[c.reason] ?? c.reason}`),
          c.dueAt ? h('span', { class: `chip ${c.alarm === 'overdue' ? 'chip-bad' : c.alarm === 'near' ? 'chip-warn' : ''}`, testid: 'callback-due' }, `${c.alarm === 'overdue' ? w.overdue : w.dueBy} ${time(c.dueAt, s.timeZone)}`) : null,
          c.callable ? null : h('span', { class: 'chip' }, w.withheld),
          c.status === 'assigned' ? h('span', { class: 'chip chip-ok' }, `${w.assigned}: ${c.assignedTo?.name ?? ''}`) : null),
        h('div', { class: 'cb-actions' }, select,
          h('button', { class: 'btn btn-small btn-primary', onclick: assign }, w.callBack),
          h('button', { class: 'btn btn-small', onclick: () => act(call('POST', `/api/callbacks/${c.id}/done`)) }, w.done)));
    })));
  const phoneInput = h('input', { class: 'input input-compact', value: localStorage.getItem(phoneKey) ?? '', placeholder: '1201', inputmode: 'numeric', 'aria-label': w.myPhone });
  phoneInput.addEventListener('change', () => localStorage.setItem(phoneKey, phoneInput.value.trim()));
  const operators = h('section', { class: 'panel desk-panel' },
    h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, w.operators),
      h('label', { class: 'desk-phone', title: w.myPhoneHint }, h('span', { class: 'small muted' }, w.myPhone), phoneInput)),
    s.operators.length === 0 ? h('p', { class: 'muted desk-empty' }, w.noOperators) : h('ul', { class: 'ops ops-desk' }, ...s.operators.map((o) => operatorCard(o, true))));
  return h('div', { class: 'desk-cols' }, waiting, callbacks, operators);
}

function definition(s: WallboardSnapshot): HTMLElement {
  return h('p', { class: 'wall-def', testid: 'wall-sl-definition' }, s.definitions.serviceLevel ?? '', ' ', s.definitions.day ?? '');
}

function render(): void {
  if (!me) return;
  if (view === 'monitor') {
    connBox.className = `wall-conn ${connected ? 'is-up' : 'is-down'}`;
    connBox.textContent = connected ? w.live : w.lost;
    if (snap) monitor?.setCompanies(snap.tenants);
    return;
  }
  if (!snap) {
    fill(root, h('main', { class: 'wall-loading' }, '…'));
    return;
  }
  const s = snap;
  // Keep focus on a control across the re-render (desk view re-renders every second while calls wait).
  const active = document.activeElement;
  if (active instanceof HTMLSelectElement || active instanceof HTMLInputElement) return; // do not pull a list out from under the user
  const chartBox = h('section', { class: 'wall-chart' }, h('div', { class: 'wall-chart-title' }, w.chart));
  chartBox.append(chartSvg(s.chart, s.dayStart, s.timeZone, view === 'tv'));
  if (view === 'tv') {
    fill(root, h('main', { class: 'wall wall-tv', testid: 'wall-tv' },
      header(s),
      tiles(s, true),
      h('div', { class: 'wall-mid' },
        h('section', { class: 'wall-lines' }, linesTable(s)),
        h('section', { class: 'wall-ops' },
          h('h2', { class: 'wall-h2' }, w.operators),
          h('ul', { class: 'ops' }, ...s.operators.map((o) => operatorCard(o, false))))),
      h('div', { class: 'wall-bottom' }, chartBox, definition(s))));
  } else {
    fill(root, h('main', { class: 'wall wall-desk', testid: 'wall-desk' },
      header(s),
      tiles(s, false),
      deskLists(s),
      h('section', { class: 'panel desk-panel desk-bottom' }, linesTable(s), chartBox, definition(s)),
      flash));
  }
}

async function boot(): Promise<void> {
  if (!token.get()) return showLogin();
  try {
    const r = await call<{ user: Me } | Me>('GET', '/api/me');
    start('user' in r ? r.user : r);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return;
    showLogin(w.failed);
  }
}

void boot();
