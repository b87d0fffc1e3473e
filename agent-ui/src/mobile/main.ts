// The overflow staff's phone page: log in once, see the card of the call
// ringing on your mobile, register the ticket, and today's calls you took.
import '../styles/base.css';
import '../styles/mobile.css';
import { api, HttpError, onUnauthorized, session } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { connectRealtime, type PultSocket } from '../lib/realtime.ts';
import type { CallCard, CallItem, TicketCategory, User } from '../lib/types.ts';
import { CardPanel } from '../ui/card.ts';
import { HistoryPanel } from '../ui/history.ts';
import { loginView } from '../ui/login.ts';
import { openTicket } from '../ui/ticket-dialog.ts';
import { t } from '../i18n/index.ts';

const root = document.getElementById('app')!;
document.title = t.appTitleMobile;
let socket: PultSocket | null = null;

function showLogin(notice?: string): void {
  socket?.disconnect();
  socket = null;
  fill(root, loginView({ subtitle: t.login.subtitleMobile, notice, onLoggedIn: (u) => void start(u) }));
}

onUnauthorized(() => showLogin(t.login.expired));

async function boot(): Promise<void> {
  if (!session.token) return showLogin();
  try {
    const { user } = await api.me();
    await start(user);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return;
    showLogin(t.login.failed);
  }
}

async function logout(): Promise<void> {
  await api.logout().catch(() => undefined);
  session.clear();
  showLogin();
}

async function start(user: User): Promise<void> {
  let categories: TicketCategory[];
  try {
    categories = (await api.categories()).items;
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return;
    return showLogin(t.login.failed);
  }
  const banner = h('div', { class: 'net-banner', testid: 'realtime-lost', role: 'alert', hidden: true }, t.realtime.lost);
  const live = h('div', { class: 'sr-only', 'aria-live': 'assertive' });
  const card = new CardPanel({ categories: () => categories, compact: true, onOpenTicket: (id) => void openTicket(id), onClose: () => card.clear() });
  const history = new HistoryPanel({
    title: t.history.today,
    todayOnly: true,
    limit: 100,
    onMakeTicket: (c) => void fromHistory(c),
  });

  const fromHistory = async (c: CallItem) => {
    const found = c.from ? await api.searchAccounts(c.from, 9).catch(() => ({ items: [] })) : { items: [] };
    const synthetic: CallCard = {
      callId: c.id,
      caller: c.from,
      callerName: c.callerName ?? null,
      anonymous: !c.from,
      anonymousLabel: null,
      did: c.to,
      line: c.line ? { id: c.line.id, name: c.line.name ?? '' } : null,
      tenant: null,
      accounts: found.items.filter((a) => a.matchedBy === 'phone'),
      openTickets: [],
      recentCalls: [],
      via: 'mobile',
      offeredAt: c.arrivedAt,
      state: 'connected',
    };
    card.show(synthetic);
    card.setPhase(c.id, 'ended');
    card.el.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  fill(
    root,
    h(
      'div',
      { class: 'mobile' },
      h(
        'header',
        { class: 'm-top' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'П'),
        h('div', { class: 'm-who' }, h('span', { class: 'm-role' }, t.mobile.header), h('span', { class: 'm-name', testid: 'user-name' }, user.fullName)),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'logout', onclick: () => void logout() }, t.common.logout),
      ),
      banner,
      live,
      h('main', { class: 'm-main' }, card.el, history.el),
    ),
  );
  card.el.querySelector('.card-idle p')!.textContent = t.mobile.idle;
  void history.load();

  let first = true;
  socket = connectRealtime(session.token ?? '', {
    onUp: () => {
      banner.hidden = true;
      if (first) socket?.emit('card.resend');
      first = false;
    },
    onDown: () => (banner.hidden = false),
    onUnauthorized: () => {
      session.clear();
      showLogin(t.login.expired);
    },
  });
  socket.on('call.offered', (c) => {
    if (c.via !== 'mobile') return;
    card.show(c);
    live.textContent = t.mobile.incomingOnPhone;
    window.scrollTo({ top: 0 });
    navigator.vibrate?.([200, 100, 200]);
  });
  socket.on('call.answered', (e) => {
    if (e.byYou) card.setPhase(e.callId, 'connected');
    else if (card.card?.callId === e.callId) card.clear();
  });
  socket.on('call.ended', (e) => {
    card.setPhase(e.callId, 'ended');
    window.setTimeout(() => void history.load(), 300);
  });
  socket.on('call.recording', () => void history.load());
}

void boot();
