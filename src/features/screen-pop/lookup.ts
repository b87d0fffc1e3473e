// Caller lookup for the card: normalised number → contacts → accounts →
// buildings → management companies, narrowed by the line's company, plus the
// open requests at those accounts and addresses and the last calls from the number.
import type { Db } from '../../store/db.js';
import { isWithheld, normalizePhone } from '../../domain/phone.js';
import type { CardAccount, CardCall } from '../../realtime/contract.js';
import { CallRepository } from '../calls/repository.js';
import type { DirectoryService } from '../directory/service.js';

export interface FoundAccount extends CardAccount {
  id: number;
  buildingId: number;
}

const statusOrder = (s: string) => (s === 'active' ? 0 : 1);

/** Narrowed to the line's company when it has matches there, active accounts first. */
export function forLine(found: readonly FoundAccount[], lineTenantId: number | null): FoundAccount[] {
  const narrowed = lineTenantId !== null && found.some((a) => a.tenant.id === lineTenantId) ? found.filter((a) => a.tenant.id === lineTenantId) : found;
  return narrowed.map((a, i) => ({ a, i })).sort((x, y) => statusOrder(x.a.status) - statusOrder(y.a.status) || x.i - y.i).map(({ a }) => a);
}

export class CallerLookup {
  private readonly calls: CallRepository;

  constructor(db: Db, private readonly directory: DirectoryService) {
    this.calls = new CallRepository(db);
  }

  /**
   * Accounts for a caller number, within `tenantIds` (null = all), active ones
   * first. When the line belongs to a company with matches, only that
   * company's are returned.
   */
  accountsByPhone(raw: string, tenantIds: number[] | null, lineTenantId: number | null): FoundAccount[] {
    if (isWithheld(raw)) return [];
    return forLine(this.directory.lookupByPhone(raw, tenantIds), lineTenantId);
  }

  /**
   * The accounts of many caller numbers within `tenantIds`, in one go (a
   * burst of cards): per number, what accountsByPhone gives before the
   * line's narrowing (apply `forLine`).
   */
  accountsByPhones(raws: readonly string[], tenantIds: number[] | null): Map<string, FoundAccount[]> {
    const found = this.directory.lookupByPhones(raws.filter((r) => !isWithheld(r)), tenantIds);
    return new Map(raws.map((r) => [r, found.get(r) ?? []]));
  }

  /** Account by number within scope, with its ids (for registering a ticket). */
  accountByNumber(accountNumber: string, tenantIds: number[] | null): FoundAccount | null {
    return this.directory.accountByNumber(accountNumber, tenantIds);
  }

  /** The last calls from this number on lines the user may see, excluding one call. */
  recentCalls(raw: string, visibleLineIds: number[] | null, excludeCallId: string, limit = 5): CardCall[] {
    if (isWithheld(raw)) return [];
    const variants = [...new Set([raw, normalizePhone(raw) ?? raw])];
    return this.calls.recentFrom(variants, visibleLineIds, excludeCallId, limit);
  }
}
