// Caller lookup for the card: normalised number → contacts → accounts →
// buildings → management companies, narrowed by the line's company, plus the
// open requests at those accounts and addresses and the last calls from the number.
import { stmt } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import { isWithheld, normalizePhone } from '../../domain/phone.js';
import type { CardAccount, CardCall } from '../../realtime/contract.js';

export interface FoundAccount extends CardAccount {
  id: number;
  buildingId: number;
}

interface Row { id: number; account_number: string; holder_name: string; flat: string | null; status: string; building_id: number; address: string; tenant_id: number; tenant_name: string }

export class CallerLookup {
  constructor(private readonly db: Db) {}

  /**
   * Accounts for a caller number, within `tenantIds` (null = all). When the
   * line belongs to a company with matches, only that company's are returned.
   */
  accountsByPhone(raw: string, tenantIds: number[] | null, lineTenantId: number | null): FoundAccount[] {
    if (isWithheld(raw)) return [];
    const phone = normalizePhone(raw);
    if (!phone) return [];
    const rows = stmt(this.db, 
        `SELECT a.id, a.account_number, a.holder_name, a.flat, a.status, a.building_id, b.address, t.id AS tenant_id, t.name AS tenant_name
         FROM account_phones p JOIN accounts a ON a.id = p.account_id JOIN buildings b ON b.id = a.building_id JOIN tenants t ON t.id = a.tenant_id
         WHERE p.phone = ? ORDER BY a.status, a.account_number LIMIT 50`,
      )
      .all(phone) as Row[];
    let visible = tenantIds ? rows.filter((r) => tenantIds.includes(r.tenant_id)) : rows;
    if (lineTenantId !== null && visible.some((r) => r.tenant_id === lineTenantId)) visible = visible.filter((r) => r.tenant_id === lineTenantId);
    const phones = stmt(this.db, 'SELECT phone FROM account_phones WHERE account_id = ? ORDER BY phone').pluck();
    return visible.map((r) => ({
      id: r.id,
      buildingId: r.building_id,
      accountNumber: r.account_number,
      holderName: r.holder_name,
      address: r.address,
      flat: r.flat,
      tenant: { id: r.tenant_id, name: r.tenant_name },
      phones: phones.all(r.id) as string[],
      status: r.status,
    }));
  }

  /** Account by number within scope, with its ids (for registering a ticket). */
  accountByNumber(accountNumber: string, tenantIds: number[] | null): FoundAccount | null {
    const r = stmt(this.db, 
        `SELECT a.id, a.account_number, a.holder_name, a.flat, a.status, a.building_id, b.address, t.id AS tenant_id, t.name AS tenant_name
         FROM accounts a JOIN buildings b ON b.id = a.building_id JOIN tenants t ON t.id = a.tenant_id WHERE a.account_number = ?`,
      )
      .get(accountNumber) as Row | undefined;
    if (!r || (tenantIds && !tenantIds.includes(r.tenant_id))) return null;
    const phones = stmt(this.db, 'SELECT phone FROM account_phones WHERE account_id = ? ORDER BY phone').pluck().all(r.id) as string[];
    return { id: r.id, buildingId: r.building_id, accountNumber: r.account_number, holderName: r.holder_name, address: r.address, flat: r.flat, tenant: { id: r.tenant_id, name: r.tenant_name }, phones, status: r.status };
  }

  /** The last calls from this number on lines the user may see, excluding one call. */
  recentCalls(raw: string, visibleLineIds: number[] | null, excludeCallId: string, limit = 5): CardCall[] {
    if (isWithheld(raw)) return [];
    const variants = [...new Set([raw, normalizePhone(raw) ?? raw])];
    const scope = visibleLineIds ? (visibleLineIds.length ? ` AND c.line_id IN (${visibleLineIds.map(() => '?').join(',')})` : ' AND 0') : '';
    return stmt(this.db, 
        `SELECT c.id, c.arrived_at AS arrivedAt, c.outcome, c.answered_via AS answeredVia, c.talk_sec AS talkSec, l.name AS line
         FROM calls c LEFT JOIN lines l ON l.id = c.line_id
         WHERE c.caller_number IN (${variants.map(() => '?').join(',')}) AND c.id <> ?${scope}
         ORDER BY c.arrived_at DESC LIMIT ?`,
      )
      .all(...variants, excludeCallId, ...(visibleLineIds ?? []), limit) as CardCall[];
  }
}
