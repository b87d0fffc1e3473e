// Screen pop: when a call is offered to someone, they get the card with the
// caller's accounts, open requests and recent calls; then answered/ended.
// A client that reconnects mid-call gets its current card again.
import type { Db } from '../../store/db.js';
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import type { AuthService } from '../auth/service.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { Operator, OperatorService } from '../operators/service.js';
import type { TicketService } from '../tickets/service.js';
import type { CallCard } from '../../realtime/contract.js';
import { rooms, type RealtimeServer, type RealtimeSocket } from '../../realtime/server.js';
import type { CallerLookup } from './lookup.js';
import { CardBuilder, type CardRequest } from './cards.js';

/** Real timers, taken before any test fakes them: state pushes go out after the current burst of work. */
const later = setImmediate;

export class ScreenPop {
  private readonly builder: CardBuilder;
  /** Offers made in the current run of code (a dispatch round offers a burst of callers at once): their cards are built together. */
  private pendingCards: CardRequest[] = [];
  /** Operator states changed in this turn of the event loop, latest per operator, pushed once after it. */
  private readonly pendingStates = new Map<number, Operator>();

  constructor(
    private readonly db: Db,
    private readonly io: RealtimeServer,
    private readonly auth: AuthService,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly lookup: CallerLookup,
    private readonly tickets: TicketService,
    private readonly logger: Logger,
  ) {
    this.builder = new CardBuilder(db, auth, calls, lines, lookup, tickets);
  }

  /** Subscribes to the call events. */
  attach(events: CallEvents, operators: OperatorService): void {
    // The cards of the offers made in one run of code (emitted one after
    // another after their transaction committed) go out together as soon as
    // that run ends, before any later event or I/O is handled.
    events.on('call.offered', (e) => {
      if (e.userId === null) return;
      if (this.pendingCards.length === 0) queueMicrotask(() => this.sendCards());
      this.pendingCards.push({ callId: e.callId, userId: e.userId, via: e.kind === 'operator' ? 'console' : 'mobile', offeredAt: e.at, state: 'ringing' });
    });
    // A card still waiting goes before any later news of its call (listeners run in the order they were added).
    for (const news of ['call.answered', 'call.ended', 'recording.ready', 'recording.failed'] as const) events.on(news, () => this.sendCards());
    events.on('call.answered', (e) => {
      this.safely('answered', () => {
        for (const userId of this.offeredUsers(e.callId)) this.io.to(rooms.user(userId)).emit('call.answered', { callId: e.callId, answeredBy: e.userId, byYou: userId === e.userId, via: e.via, at: e.at });
      });
    });
    events.on('call.ended', (e) => {
      this.safely('ended', () => {
        const rec = this.calls.recordingForCall(e.callId);
        const recordingUrl = rec?.state === 'stored' ? `/api/calls/${e.callId}/recording` : null;
        for (const userId of this.offeredUsers(e.callId)) this.io.to(rooms.user(userId)).emit('call.ended', { callId: e.callId, outcome: e.outcome, reason: e.reason, at: e.at, recordingUrl });
      });
    });
    events.on('recording.ready', (e) => {
      this.safely('recording', () => {
        for (const userId of this.offeredUsers(e.callId)) this.io.to(rooms.user(userId)).emit('call.recording', { callId: e.callId, recordingUrl: `/api/calls/${e.callId}/recording`, durationSec: e.durationSec, error: null });
      });
    });
    events.on('recording.failed', (e) => {
      this.safely('recording', () => {
        for (const userId of this.offeredUsers(e.callId)) this.io.to(rooms.user(userId)).emit('call.recording', { callId: e.callId, recordingUrl: null, durationSec: null, error: e.error });
      });
    });
    // Cards first: a burst of calls changes many operators' states inside the
    // routing steps (often inside their transactions); those pushes wait until
    // the burst's work is done, one per operator with its latest state.
    operators.on('changed', (op) => {
      if (this.pendingStates.size === 0) later(() => this.flushStates());
      this.pendingStates.set(op.userId, op);
    });
  }

  private sendCards(): void {
    if (this.pendingCards.length === 0) return;
    const reqs = this.pendingCards;
    this.pendingCards = [];
    this.safely('card', () => {
      const cards = this.builder.cards(reqs, (r, err) => this.logger.error('screen pop failed', { what: 'card', callId: r.callId, err, stack: (err as Error).stack }));
      reqs.forEach((r, i) => {
        const card = cards[i];
        if (card) this.safely('card', () => this.io.to(rooms.user(r.userId)).emit('call.offered', card));
      });
    });
  }

  private flushStates(): void {
    const ops = [...this.pendingStates.values()];
    this.pendingStates.clear();
    for (const op of ops) {
      this.safely('state', () => {
        const payload = { userId: op.userId, state: op.state, pauseReason: op.pauseReason, since: op.stateSince, wrapupUntil: op.state === 'wrapup' ? op.wrapupUntil : null };
        // The operator, admins, and the supervisors of the operator's companies only.
        this.io.to([rooms.user(op.userId), rooms.role('admin'), ...op.tenantIds.map(rooms.supervisors)]).emit('operator.state', payload);
      });
    }
  }

  /** On (re)connect: the card of the call ringing or up for this user, if any. */
  onConnect(socket: RealtimeSocket): void {
    const send = () =>
      this.safely('resend', () => {
        const active = this.calls.activeOfferOf(socket.data.userId);
        if (!active) return;
        const card = this.card(active.callId, socket.data.userId, active.kind === 'operator' ? 'console' : 'mobile', active.offeredAt, active.state === 'connected' && active.mine ? 'connected' : 'ringing');
        if (card) socket.emit('call.offered', card);
      });
    send();
    socket.on('card.resend', send);
  }

  /** Builds the card for a user, within what that user may see. */
  card(callId: string, userId: number, via: 'console' | 'mobile', offeredAt: string, state: 'ringing' | 'connected'): CallCard | null {
    return this.builder.cards([{ callId, userId, via, offeredAt, state }])[0] ?? null;
  }

  private offeredUsers(callId: string): number[] {
    return [...new Set(this.calls.offers(callId).map((o) => o.userId).filter((u): u is number => u !== null))];
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error('screen pop failed', { what, err, stack: (err as Error).stack });
    }
  }
}
