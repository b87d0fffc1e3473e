// Building cards: the caller's accounts, open requests, recent calls, as
// the user who gets the card may see them. Cards offered in the same turn (a
// burst of callers reaching the operators together) are built together: the
// call rows, users and companies are read once each, and the accounts of all
// the callers one scope shares are found in one query, so the last card of a
// burst does not wait for twenty lookups done one at a time. A card built in
// a batch is exactly the card built alone.
import type { Db } from '../../store/db.js';
import { isWithheld } from '../../domain/phone.js';
import type { AuthService, User } from '../auth/service.js';
import type { CallRecord, CallRepository } from '../calls/repository.js';
import { visibleLineIds } from '../calls/routes.js';
import type { LineRepository } from '../lines/repository.js';
import type { TicketService } from '../tickets/service.js';
import type { CallCard } from '../../realtime/contract.js';
import { forLine, type CallerLookup, type FoundAccount } from './lookup.js';
import { CallbackRepository } from '../callbacks/repository.js';
import { TenantRepository } from '../tenants/repository.js';

export interface CardRequest {
  callId: string;
  userId: number;
  via: 'console' | 'mobile';
  offeredAt: string;
  state: 'ringing' | 'connected';
}

/** Memoised per batch: read once however many cards ask. */
function memo<K, V>(load: (k: K) => V): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    if (m.has(k)) return m.get(k)!;
    const v = load(k);
    m.set(k, v);
    return v;
  };
}

const scopeKey = (tenantIds: number[] | null) => (tenantIds === null ? 'all' : tenantIds.join(','));

export class CardBuilder {
  private readonly callbacks: CallbackRepository;
  private readonly tenants: TenantRepository;

  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
    private readonly calls: CallRepository,
    private readonly lines: LineRepository,
    private readonly lookup: CallerLookup,
    private readonly tickets: TicketService,
  ) {
    this.callbacks = new CallbackRepository(db);
    this.tenants = new TenantRepository(db);
  }

  /**
   * The cards for these requests, in order (null: the call or the user is
   * gone). `onError` gets a card that could not be built; the others still are.
   */
  cards(reqs: readonly CardRequest[], onError: (req: CardRequest, err: unknown) => void = (_r, err) => { throw err; }): (CallCard | null)[] {
    const call = memo((id: string) => this.calls.get(id));
    const user = memo((id: number) => this.auth.getUser(id));
    const tenant = memo((id: number) => this.tenants.get(id));
    const visibleLines = memo((u: User) => visibleLineIds(u, this.lines));
    // Every caller number of the batch, looked up once per scope (the users' sets of companies).
    const numbersByScope = new Map<string, { tenantIds: number[] | null; numbers: Set<string> }>();
    for (const r of reqs) {
      const c = call(r.callId);
      const u = user(r.userId);
      if (!c || !u) continue;
      const key = scopeKey(u.tenantIds);
      const entry = numbersByScope.get(key) ?? { tenantIds: u.tenantIds, numbers: new Set<string>() };
      entry.numbers.add(c.callerNumber);
      numbersByScope.set(key, entry);
    }
    const accountsInScope = memo((key: string) => {
      const e = numbersByScope.get(key)!;
      return this.lookup.accountsByPhones([...e.numbers], e.tenantIds);
    });
    return reqs.map((r) => {
      try {
        const c = call(r.callId);
        const u = user(r.userId);
        if (!c || !u) return null;
        const found = accountsInScope(scopeKey(u.tenantIds)).get(c.callerNumber) ?? [];
        return this.build(r, c, u, found, tenant, visibleLines(u));
      } catch (err) {
        onError(r, err);
        return null;
      }
    });
  }

  private build(r: CardRequest, call: CallRecord, user: User, found: FoundAccount[], tenantOf: (id: number) => { id: number; name: string } | null, visibleLines: number[] | null): CallCard {
    const line = call.lineId ? this.lines.get(call.lineId) : null;
    const tenant = line?.tenantId ? tenantOf(line.tenantId) : null;
    const anonymous = isWithheld(call.callerNumber);
    const accounts = anonymous ? [] : forLine(found, line?.tenantId ?? null);
    const openTickets = this.tickets.openAt(accounts.map((a) => a.id), [...new Set(accounts.map((a) => a.buildingId))], user.tenantIds).map((t) => ({
      id: t.id, number: t.number, kind: t.kind, category: t.category.name, description: t.description, address: t.flat ? `${t.address}, кв. ${t.flat}` : t.address, createdAt: t.createdAt, dueAt: t.dueAt,
    }));
    return {
      callId: r.callId,
      caller: anonymous ? '' : call.callerNumber,
      callerName: call.callerName,
      anonymous,
      anonymousLabel: anonymous ? this.tickets.anonymousFor(r.callId).label : null,
      did: call.did,
      line: line ? { id: line.id, name: line.name } : null,
      tenant,
      accounts: accounts.map(({ id: _id, buildingId: _b, ...a }) => a),
      openTickets,
      recentCalls: this.lookup.recentCalls(call.callerNumber, visibleLines, r.callId),
      via: r.via,
      offeredAt: r.offeredAt,
      state: r.state,
      direction: call.direction,
      callback: call.callbackTaskId !== null ? this.callbackOf(call.callbackTaskId, r.callId) : null,
    };
  }

  /** Why Pult is calling back, and the attempts before this one. */
  private callbackOf(taskId: number, callId: string): CallCard['callback'] {
    const task = this.callbacks.get(taskId);
    if (!task) return null;
    const attempts = this.callbacks.attemptsOf(taskId).filter((a) => a.callId !== callId).map(({ callId: _c, ...a }) => a);
    return { id: task.id, reason: task.reason, createdAt: task.createdAt, dueAt: task.dueAt, attempts };
  }
}
