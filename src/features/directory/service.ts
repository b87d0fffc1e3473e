// Search-as-you-type over the directory and the screen pop by caller number.
// A query is classified by its shape (digits → account number or phone;
// letters → surname or street; letters with digits → address), each kind
// runs as an index range read stopped at the limit, and the results are
// ranked: exact account number, exact phone, account prefix, phone prefix,
// phone by last digits, surname, address — within a kind in index order.
import { isPhoneLike, normalizePhone, phonePrefixKeys } from '../../domain/phone.js';
import { parseAddressQuery, textKey } from './keys.js';
import type { Db } from '../../store/db.js';
import { DirectoryRepository, ensureDirectoryIndexes, type AccountStatus, type AccountView } from './repository.js';
import { importAccounts, type ImportOptions, type ImportReport } from './import.js';

export type MatchKind = 'account' | 'phone' | 'surname' | 'address';

export interface AccountItem {
  id: number;
  buildingId: number;
  accountNumber: string;
  holderName: string;
  address: string;
  flat: string | null;
  tenant: { id: number; name: string };
  phones: string[];
  emails: string[];
  status: AccountStatus;
}

export interface SearchItem extends AccountItem {
  matchedBy: MatchKind;
}

export const searchDefaults = { limit: 20, maxLimit: 100 } as const;

/** Fewest digits for a search by the last digits of a phone (fewer match too much to be useful). */
const minSuffixDigits = 4;

const item = (v: AccountView): AccountItem => ({
  id: v.id,
  buildingId: v.buildingId,
  accountNumber: v.accountNumber,
  holderName: v.holderName,
  address: v.address,
  flat: v.flat,
  tenant: v.tenant,
  phones: v.phones,
  emails: v.emails,
  status: v.status,
});

export class DirectoryService {
  private readonly repo: DirectoryRepository;

  constructor(private readonly db: Db) {
    this.repo = new DirectoryRepository(db);
    // A bulk import stopped half-way leaves its deferred indexes out: put them back.
    ensureDirectoryIndexes(db);
  }

  /** Imports a billing export (CSV bytes); see import.ts. */
  importCsv(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, o: ImportOptions = {}): Promise<ImportReport> {
    return importAccounts(this.db, source, o);
  }

  searchAccounts(q: string, opts: { limit?: number; tenantIds: number[] | null }): SearchItem[] {
    const limit = Math.max(1, Math.min(opts.limit ?? searchDefaults.limit, searchDefaults.maxLimit));
    const scope = opts.tenantIds;
    const query = q.trim();
    if (!query || (scope !== null && scope.length === 0)) return [];

    // Ranked candidates: tier, then position within the kind.
    const found: { id: number; tier: number; pos: number; kind: MatchKind }[] = [];
    const add = (ids: number[], tier: number, kind: MatchKind) => ids.forEach((id, pos) => found.push({ id, tier, pos, kind }));

    if (isPhoneLike(query)) {
      const compact = query.replace(/[\s\-.]/g, '');
      if (/^\d+$/.test(compact)) {
        const rows = this.repo.accountNumberPrefix(compact, scope, limit);
        add(rows.filter((r) => r.k === compact).map((r) => r.id), 0, 'account');
        add(rows.filter((r) => r.k !== compact).map((r) => r.id), 2, 'account');
      }
      const normalised = normalizePhone(query);
      const full = normalised && normalised.length === 11 && normalised.startsWith('7') ? normalised : null;
      if (full) add(this.repo.phoneExact(full, scope, limit).map((r) => r.id), 1, 'phone');
      for (const key of phonePrefixKeys(query)) {
        if (key === full) continue;
        if (key.length >= 3) add(this.repo.phonePrefix(key, scope, limit).map((r) => r.id), 3, 'phone');
      }
      const digits = query.replace(/\D/g, '');
      if (digits.length >= minSuffixDigits && digits.length < 11 && !query.startsWith('+')) {
        add(this.repo.phoneSuffix(digits, scope, limit).map((r) => r.id), 4, 'phone');
      }
    } else if (/\p{L}/u.test(query)) {
      const addr = parseAddressQuery(query);
      const hasDigits = /\d/.test(query);
      if (!hasDigits && !addr?.explicit) {
        const key = textKey(query);
        if (key) add(this.repo.namePrefix(key, scope, limit).map((r) => r.id), 5, 'surname');
      }
      if (addr) add(this.repo.address(addr, scope, limit), 6, 'address');
    }

    found.sort((a, b) => a.tier - b.tier || a.pos - b.pos);
    const seen = new Set<number>();
    const best: { id: number; kind: MatchKind }[] = [];
    for (const f of found) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      best.push(f);
      if (best.length >= limit) break;
    }
    const views = new Map(this.repo.hydrate(best.map((b) => b.id)).map((v) => [v.id, v]));
    return best.flatMap((b) => {
      const v = views.get(b.id);
      return v ? [{ ...item(v), matchedBy: b.kind }] : [];
    });
  }

  /** The accounts with this caller number (exact match on the normalised phone), for the screen pop. */
  lookupByPhone(phone: string, tenantIds: number[] | null): AccountItem[] {
    const n = normalizePhone(phone);
    if (!n || (tenantIds !== null && tenantIds.length === 0)) return [];
    return this.repo.hydrate(this.repo.phoneExact(n, tenantIds, searchDefaults.maxLimit).map((r) => r.id)).map(item);
  }

  /**
   * lookupByPhone for many caller numbers at once (one query for the
   * phones, one for the accounts): the same lists, keyed by the number as given.
   */
  lookupByPhones(phones: readonly string[], tenantIds: number[] | null): Map<string, AccountItem[]> {
    const out = new Map<string, AccountItem[]>(phones.map((p) => [p, []]));
    if (tenantIds !== null && tenantIds.length === 0) return out;
    const normal = new Map<string, string>();
    for (const p of phones) {
      const n = normalizePhone(p);
      if (n) normal.set(p, n);
    }
    const rows = this.repo.phoneExactMany([...new Set(normal.values())], tenantIds, searchDefaults.maxLimit);
    if (rows.length === 0) return out;
    const views = new Map(this.repo.hydrate([...new Set(rows.map((r) => r.id))]).map((v) => [v.id, item(v)]));
    const byPhone = new Map<string, AccountItem[]>();
    for (const r of rows) {
      const v = views.get(r.id);
      if (!v) continue;
      const list = byPhone.get(r.k);
      if (list) list.push(v);
      else byPhone.set(r.k, [v]);
    }
    for (const [p, n] of normal) out.set(p, byPhone.get(n) ?? []);
    return out;
  }

  /** One account by its number; with tenantIds, null when it belongs to another management company. */
  accountByNumber(accountNumber: string, tenantIds: number[] | null = null): (AccountItem & { fiasId: string | null; updatedAt: string }) | null {
    const id = this.repo.accountIdByNumber(accountNumber.trim());
    if (id === null) return null;
    const v = this.repo.hydrate([id])[0];
    if (!v || (tenantIds !== null && !tenantIds.includes(v.tenant.id))) return null;
    return { ...item(v), fiasId: v.fiasId, updatedAt: v.updatedAt };
  }
}
