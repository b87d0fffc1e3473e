// The executor's phone page (/x/): log in once (a 30-day session renewed on
// use), see my requests, open one, act on it. Actions go through an offline
// queue with idempotency keys; the page reminds of requests waiting for an
// answer; new assignments arrive over socket.io.
import '../styles/base.css';
import '../styles/executor.css';
import { api, HttpError, onUnauthorized, session } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { connectRealtime, type PultSocket } from '../lib/realtime.ts';
import type { User } from '../lib/types.ts';
import { loginView } from '../ui/login.ts';
import { t } from '../i18n/index.ts';
import { x } from '../i18n/ru-executor.ts';
import { newKey, xapi, type Card, type Summary } from './api.ts';
import { cardView } from './card.ts';
import { countdown, listView } from './list.ts';
import { Outbox, type Outcome } from './outbox.ts';
import { beep, Reminder } from './reminder.ts';

const root = document.getElementById('app')!;
document.title = x.title;
let socket: PultSocket | null = null;
let stopPage: (() => void) | null = null;

function showLogin(notice?: string): void {
  stopPage?.();
  socket?.disconnect();
  socket = null;
  fill(root, loginView({ subtitle: x.subtitle, notice, onLoggedIn: (u) => start(u) }));
}

onUnauthorized(() => showLogin(t.login.expired));

async function boot(): Promise<void> {
  if (!session.token) return showLogin();
  try {
    const { user } = await api.me();
    start(user);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return;
    showLogin(t.login.failed);
  }
}

function start(user: User): void {
  const notice = h('p', { class: 'x-notice', role: 'status', testid: 'x-notice', hidden: true });
  const net = h('p', { class: 'net-banner', role: 'alert', testid: 'x-offline', hidden: true }, x.offline);
  const queued = h('p', { class: 'x-queued', testid: 'x-queued', hidden: true });
  const reminder = new Reminder();
  const main = h('main', { class: 'x-main', testid: 'x-main' });
  const header = h('header', { class: 'x-top' },
    h('div', {}, h('h1', { class: 'x-title' }, x.heading), h('p', { class: 'muted small', testid: 'x-user' }, user.fullName)),
    h('button', { type: 'button', class: 'btn btn-ghost', testid: 'x-logout', onclick: () => void logout() }, x.logout));
  fill(root, h('div', { class: 'x-app' }, header, net, reminder.el, queued, notice, main));

  let items: Summary[] = [];
  let openId: number | null = Number(/^#\/r\/(\d+)$/.exec(location.hash)?.[1]) || null;
  let current: Card | null = null;
  const say = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
    setTimeout(() => { if (notice.textContent === text) notice.hidden = true; }, 6000);
  };
  const pendingFor = () => new Set(outbox.entries().map((e) => e.requestId));

  const outbox = new Outbox(user.id,
    (o: Outcome) => {
      say(o.ok ? x.applied(`№ ${o.entry.number}`) : x.refused(o.message));
      void refresh();
    },
    (n, offline) => {
      queued.hidden = n === 0;
      queued.textContent = x.pending(n);
      net.hidden = !offline;
    },
  );

  const render = () => {
    if (openId !== null && current && current.id === openId) {
      const note = pendingFor().has(openId) ? x.queued : null;
      fill(main, cardView(current, { back: () => go(null), act, propose }, note));
    } else {
      fill(main, listView(items, pendingFor(), (id) => go(id)));
    }
  };

  async function refresh(): Promise<void> {
    try {
      const r = await xapi.list();
      items = r.items;
      reminder.pending = items.filter((s) => s.needsAttention).length;
      if (openId !== null) {
        try {
          current = (await xapi.card(openId)).request;
        } catch (err) {
          if (err instanceof HttpError && err.status === 404) openId = null;
          else throw err;
        }
      }
      net.hidden = true;
      render();
      return void remindEvery(r.remindEveryMin);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) return;
      if (err instanceof HttpError && err.status === 403) return void fill(main, h('p', { class: 'x-empty', testid: 'x-not-executor' }, x.notExecutor));
      net.hidden = false;
      if (!items.length && !current) fill(main, h('p', { class: 'x-empty' }, x.loadFailed));
    }
  }

  let remindMin = 0;
  const remindEvery = (min: number) => {
    if (min !== remindMin) reminder.start((remindMin = min));
  };

  function go(id: number | null): void {
    openId = id;
    current = null;
    history.replaceState(null, '', id === null ? '#' : `#/r/${id}`);
    if (id === null) render();
    else fill(main, h('p', { class: 'muted x-empty' }, '…'));
    void refresh();
    window.scrollTo(0, 0);
  }

  function act(c: Card, body: Parameters<typeof xapi.act>[1]): void {
    outbox.add({ key: newKey(), requestId: c.id, number: c.number, kind: 'action', body, at: new Date().toISOString() });
    render();
  }

  function propose(c: Card, body: Parameters<typeof xapi.propose>[1]): void {
    outbox.add({ key: newKey(), requestId: c.id, number: c.number, kind: 'proposal', body, at: new Date().toISOString() });
    render();
  }

  // Countdowns tick on this device's clock; the list refreshes every minute and on focus.
  const tick = setInterval(() => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-due]')) {
      const due = el.dataset.due;
      if (!due) continue;
      const cd = countdown({ dueAt: due, postponedUntil: null, stage: { code: '', name: '' } });
      el.textContent = cd.text;
      el.classList.toggle('x-late', cd.late);
    }
  }, 15_000);
  const poll = setInterval(() => void refresh(), 60_000);
  const onFocus = () => document.visibilityState === 'visible' && void refresh();
  document.addEventListener('visibilitychange', onFocus);

  socket = connectRealtime(session.token ?? '', {
    onUp: () => void refresh(),
    onDown: () => undefined,
    onUnauthorized: () => showLogin(t.login.expired),
  });
  socket.on('request.notify', (e) => {
    if (e.reason === 'assigned') {
      say(x.newAssigned(e.number));
      beep();
      navigator.vibrate?.([200, 100, 200]);
    }
    void refresh();
  });
  socket.on('request.reminder', () => reminder.fire());

  stopPage = () => {
    clearInterval(tick);
    clearInterval(poll);
    document.removeEventListener('visibilitychange', onFocus);
    reminder.stop();
    outbox.stop();
    stopPage = null;
  };
  outbox.start();
  void refresh();
}

async function logout(): Promise<void> {
  await api.logout().catch(() => undefined);
  session.clear();
  showLogin();
}

void boot();
