// SQL for the directory: prefix lookups on normalised keys (each reads an
// index range in order and stops at its LIMIT), hydration of the accounts
// found, and the write side used by the import and the demo seed.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/db.js';
import { reverseDigits } from '../../domain/phone.js';
import type { AddressQuery } from './keys.js';
import { flatKey, formatAddress, houseKey, leadingNumber, streetKey, textKey } from './keys.js';

export type AccountStatus = 'active' | 'closed';

export interface AccountView {
  id: number;
  accountNumber: string;
  holderName: string;
  address: string;
  flat: string | null;
  tenant: { id: number; name: string };
  phones: string[];
  /** From the directory's import (lowercase); the mail channel matches senders by them. */
  emails: string[];
  status: AccountStatus;
  buildingId: number;
  fiasId: string | null;
  updatedAt: string;
}

/** One account as it comes from a billing export, already validated. */
export interface AccountInput {
  accountNumber: string;
  holderName: string;
  tenant: string;
  city: string;
  street: string;
  house: string;
  block: string | null;
  flat: string | null;
  fiasId: string | null;
  phones: string[];
  status: AccountStatus;
  /** WGS84 coordinates of the building, when the export has them. */
  lat?: number | null;
  lon?: number | null;
  /** E-mail addresses (lowercase), when the export has them. */
  emails?: string[];
}

/** Page cache for bulk loads, as PRAGMA cache_size (negative = KiB): 32 MiB (random-order indexes are deferred; writes mostly append). */
export const bulkCacheKib = -32_768;

/**
 * Secondary indexes of the directory that a bulk import may drop and build
 * again at its end: a million inserts at random places in a B-tree (names,
 * phones, reversed phones) cost far more than sorting once. The indexes whose
 * keys follow a billing export's order (by company and number, by building)
 * are kept up as rows arrive. The definitions are those of migrations 002
 * and 004; `ensureDirectoryIndexes` puts back any that a stopped import left out.
 */
export const deferrableIndexes: Record<string, string> = {
  accounts_name: 'CREATE INDEX IF NOT EXISTS accounts_name ON accounts(name_key, account_number, tenant_id)',
  account_phones_phone: 'CREATE INDEX IF NOT EXISTS account_phones_phone ON account_phones(phone)',
  account_phones_rev: 'CREATE INDEX IF NOT EXISTS account_phones_rev ON account_phones(phone_rev)',
};

/** Creates whichever deferrable index is missing (at start, and at the end of a bulk import). */
export function ensureDirectoryIndexes(db: Db): void {
  db.transaction(() => {
    for (const sql of Object.values(deferrableIndexes)) db.exec(sql);
  })();
}

/** Drops the deferrable indexes (a bulk import; searches scan meanwhile). */
export function dropDirectoryIndexes(db: Db): void {
  db.transaction(() => {
    for (const name of Object.keys(deferrableIndexes)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  })();
}

/** The upper bound of a prefix range: every string starting with p sorts below it. */
export const prefixEnd = (p: string) => p + '\uffff';

type Scope = number[] | null;

/** Runs a scoped query once per tenant (using the tenant-leading index) or once unscoped, merging by key. */
function perTenant<T extends { k: string; id: number }>(scope: Scope, run: (tenant: number | null) => T[], limit: number): T[] {
  if (scope === null) return run(null);
  if (scope.length === 1) return run(scope[0]!);
  const all = scope.flatMap((t) => run(t));
  all.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id - b.id));
  return all.slice(0, limit);
}

const scopeSql = (scope: Scope, col: string) => (scope === null ? '' : `AND ${col} IN (${scope.map((n) => Number(n)).join(',') || 'NULL'})`);

interface HydrateRow {
  id: number; account_number: string; holder_name: string; flat: string | null; status: AccountStatus; updated_at: string;
  building_id: number; address: string; fias_id: string | null; tenant_id: number; tenant_name: string; emails: string | null;
}

export class DirectoryRepository {
  private readonly s: Record<string, Statement>;
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      numberAll: p('SELECT id, account_number AS k FROM accounts WHERE account_number >= ? AND account_number < ? ORDER BY account_number LIMIT ?'),
      numberTenant: p('SELECT id, account_number AS k FROM accounts WHERE tenant_id = ? AND account_number >= ? AND account_number < ? ORDER BY tenant_id, account_number LIMIT ?'),
      byNumber: p('SELECT id FROM accounts WHERE account_number = ?'),
      hydrate: p(`SELECT a.id, a.account_number, a.holder_name, a.flat, a.status, a.updated_at, a.building_id, b.address, b.fias_id, t.id AS tenant_id, t.name AS tenant_name,
                  (SELECT group_concat(e.email, ' ') FROM account_directory_emails e WHERE e.account_id = a.id) AS emails
                  FROM accounts a JOIN buildings b ON b.id = a.building_id JOIN tenants t ON t.id = a.tenant_id
                  WHERE a.id IN (SELECT value FROM json_each(?))`),
      phones: p('SELECT account_id, phone FROM account_phones WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, phone'),
      accountsInBuilding: p('SELECT id FROM accounts WHERE building_id = ? ORDER BY flat_num, flat_key, account_number LIMIT ?'),
      accountsInFlat: p('SELECT id FROM accounts WHERE building_id = ? AND flat_num = ? AND flat_key = ? ORDER BY account_number LIMIT ?'),
      // write side
      tenantByName: p('SELECT id FROM tenants WHERE name = ?'),
      insertTenant: p('INSERT INTO tenants (name) VALUES (?)'),
      buildingByKey: p('SELECT id, fias_id FROM buildings WHERE tenant_id = ? AND addr_key = ?'),
      insertBuilding: p(`INSERT INTO buildings (tenant_id, fias_id, city, street, house, block, address, street_key, house_key, house_num, addr_key)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setBuildingFias: p('UPDATE buildings SET fias_id = ? WHERE id = ?'),
      accountForImport: p('SELECT id, import_hash FROM accounts WHERE account_number = ?'),
      insertAccount: p(`INSERT INTO accounts (account_number, holder_name, building_id, tenant_id, flat, status, updated_at, name_key, flat_key, flat_num, import_hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertNewAccount: p(`INSERT INTO accounts (account_number, holder_name, building_id, tenant_id, flat, status, updated_at, name_key, flat_key, flat_num, import_hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_number) DO NOTHING`),
      updateAccount: p(`UPDATE accounts SET holder_name = ?, building_id = ?, tenant_id = ?, flat = ?, status = ?, updated_at = ?, name_key = ?, flat_key = ?, flat_num = ?, import_hash = ?
                        WHERE id = ?`),
      deletePhones: p('DELETE FROM account_phones WHERE account_id = ?'),
      insertPhone: p('INSERT OR IGNORE INTO account_phones (account_id, phone, phone_rev) VALUES (?, ?, ?)'),
      deleteEmails: p('DELETE FROM account_directory_emails WHERE account_id = ?'),
      insertEmail: p('INSERT OR IGNORE INTO account_directory_emails (account_id, email) VALUES (?, ?)'),
      anyEmail: p('SELECT EXISTS (SELECT 1 FROM account_directory_emails)'),
    };
  }

  /** Statements whose text depends on the scope, prepared once per distinct text. */
  private prep(sql: string): Statement {
    let st = this.cache.get(sql);
    if (!st) {
      if (this.cache.size > 500) this.cache.clear();
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  // ---- search: each returns account ids in the kind's natural order ----

  accountNumberPrefix(prefix: string, scope: Scope, limit: number): { id: number; k: string }[] {
    return perTenant(scope, (t) => (t === null
      ? this.s.numberAll!.all(prefix, prefixEnd(prefix), limit)
      : this.s.numberTenant!.all(t, prefix, prefixEnd(prefix), limit)) as { id: number; k: string }[], limit);
  }

  namePrefix(prefix: string, scope: Scope, limit: number): { id: number; k: string }[] {
    const sql = (hint: string) => `SELECT id, name_key AS k FROM accounts ${hint} WHERE name_key >= ? AND name_key < ? ${scopeSql(scope, 'tenant_id')}
      ORDER BY name_key, account_number LIMIT ?`;
    try {
      return this.prep(sql('INDEXED BY accounts_name')).all(prefix, prefixEnd(prefix), limit) as { id: number; k: string }[];
    } catch (err) {
      // A bulk import has the index dropped for a while (deferrableIndexes): scan instead.
      if (!(err instanceof Error) || !/no such index/.test(err.message)) throw err;
      this.cache.clear();
      return this.db.prepare(sql('')).all(prefix, prefixEnd(prefix), limit) as { id: number; k: string }[];
    }
  }

  /** Accounts with exactly this normalised phone. */
  phoneExact(phone: string, scope: Scope, limit: number): { id: number; k: string }[] {
    return this.prep(`SELECT p.account_id AS id, p.phone AS k FROM account_phones p CROSS JOIN accounts a ON a.id = p.account_id
      WHERE p.phone = ? ${scopeSql(scope, 'a.tenant_id')} ORDER BY p.phone, a.account_number LIMIT ?`).all(phone, limit) as { id: number; k: string }[];
  }

  /** phoneExact for many normalised phones in one query: up to `limit` per phone, in the same order. */
  phoneExactMany(phones: string[], scope: Scope, limit: number): { id: number; k: string }[] {
    if (phones.length === 0) return [];
    return this.prep(`SELECT id, k FROM (SELECT p.account_id AS id, p.phone AS k, ROW_NUMBER() OVER (PARTITION BY p.phone ORDER BY a.account_number) AS n
      FROM account_phones p CROSS JOIN accounts a ON a.id = p.account_id
      WHERE p.phone IN (SELECT value FROM json_each(?)) ${scopeSql(scope, 'a.tenant_id')}) WHERE n <= ? ORDER BY k, n`).all(JSON.stringify(phones), limit) as { id: number; k: string }[];
  }

  /** Accounts with a phone starting with the normalised prefix. */
  phonePrefix(prefix: string, scope: Scope, limit: number): { id: number; k: string }[] {
    return this.prep(`SELECT p.account_id AS id, p.phone AS k FROM account_phones p CROSS JOIN accounts a ON a.id = p.account_id
      WHERE p.phone >= ? AND p.phone < ? ${scopeSql(scope, 'a.tenant_id')} ORDER BY p.phone, p.account_id LIMIT ?`).all(prefix, prefixEnd(prefix), limit) as { id: number; k: string }[];
  }

  /** Accounts with a phone ending with these digits. */
  phoneSuffix(digits: string, scope: Scope, limit: number): { id: number; k: string }[] {
    const rev = reverseDigits(digits);
    return this.prep(`SELECT p.account_id AS id, p.phone AS k FROM account_phones p CROSS JOIN accounts a ON a.id = p.account_id
      WHERE p.phone_rev >= ? AND p.phone_rev < ? ${scopeSql(scope, 'a.tenant_id')} ORDER BY p.phone_rev, p.account_id LIMIT ?`).all(rev, prefixEnd(rev), limit) as { id: number; k: string }[];
  }

  /** Accounts at the buildings matching the address, in street, house, flat order. */
  address(q: AddressQuery, scope: Scope, limit: number): number[] {
    const params: unknown[] = [q.street, prefixEnd(q.street)];
    let houseSql = '';
    if (q.house !== undefined && q.block !== undefined) {
      houseSql = 'AND house_key = ?';
      params.push(houseKey(q.house, q.block));
    } else if (q.house !== undefined) {
      // «5» matches 5, 5а, 5к2, 5/1 but not 57.
      houseSql = 'AND house_num = ? AND house_key >= ? AND house_key < ?';
      params.push(leadingNumber(q.house), q.house, prefixEnd(q.house));
    }
    const buildings = this.prep(`SELECT id FROM buildings WHERE street_key >= ? AND street_key < ? ${houseSql} ${scopeSql(scope, 'tenant_id')}
      ORDER BY street_key, house_num, house_key, id`).pluck();
    const ids: number[] = [];
    for (const b of buildings.iterate(...params) as IterableIterator<number>) {
      const left = limit - ids.length;
      const rows = (q.flat !== undefined
        ? this.s.accountsInFlat!.pluck().all(b, leadingNumber(q.flat), q.flat, left)
        : this.s.accountsInBuilding!.pluck().all(b, left)) as number[];
      ids.push(...rows);
      if (ids.length >= limit) break;
    }
    return ids;
  }

  accountIdByNumber(accountNumber: string): number | null {
    return (this.s.byNumber!.pluck().get(accountNumber) as number | undefined) ?? null;
  }

  /** Full views of the accounts, in the order of ids. */
  hydrate(ids: number[]): AccountView[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const rows = this.s.hydrate!.all(json) as HydrateRow[];
    const phones = new Map<number, string[]>();
    for (const r of this.s.phones!.all(json) as { account_id: number; phone: string }[]) {
      const list = phones.get(r.account_id);
      if (list) list.push(r.phone);
      else phones.set(r.account_id, [r.phone]);
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: AccountView[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) continue;
      out.push({
        id: r.id,
        accountNumber: r.account_number,
        holderName: r.holder_name,
        address: r.address,
        flat: r.flat,
        tenant: { id: r.tenant_id, name: r.tenant_name },
        phones: phones.get(r.id) ?? [],
        emails: r.emails ? r.emails.split(' ').sort() : [],
        status: r.status,
        buildingId: r.building_id,
        fiasId: r.fias_id,
        updatedAt: r.updated_at,
      });
    }
    return out;
  }

  // ---- write side ----

  tenantId(name: string, create: boolean): number | null {
    const id = this.s.tenantByName!.pluck().get(name) as number | undefined;
    if (id !== undefined) return id;
    return create ? Number(this.s.insertTenant!.run(name).lastInsertRowid) : null;
  }

  /** The building of this tenant at this address, created when new. */
  buildingId(tenantId: number, a: Pick<AccountInput, 'city' | 'street' | 'house' | 'block' | 'fiasId'>): number {
    const sKey = streetKey(a.street) || textKey(a.street);
    const hKey = houseKey(a.house, a.block);
    const addrKey = `${textKey(a.city)}|${sKey}|${hKey}`;
    const row = this.s.buildingByKey!.get(tenantId, addrKey) as { id: number; fias_id: string | null } | undefined;
    if (row) {
      if (a.fiasId && row.fias_id !== a.fiasId) this.s.setBuildingFias!.run(a.fiasId, row.id);
      return row.id;
    }
    const address = formatAddress(a);
    return Number(this.s.insertBuilding!.run(tenantId, a.fiasId, a.city, a.street, a.house, a.block, address, sKey, hKey, leadingNumber(hKey), addrKey).lastInsertRowid);
  }

  accountCount(): number {
    return this.db.prepare('SELECT count(*) FROM accounts').pluck().get() as number;
  }

  /** The account id and the hash of the source row it was last imported from. */
  importState(accountNumber: string): { id: number; hash: string | null } | null {
    const r = this.s.accountForImport!.get(accountNumber) as { id: number; import_hash: string | null } | undefined;
    return r ? { id: r.id, hash: r.import_hash } : null;
  }

  insertAccount(a: AccountInput, buildingId: number, tenantId: number, hash: string | null, now: string): number {
    const fk = flatKey(a.flat);
    const id = Number(this.s.insertAccount!.run(a.accountNumber, a.holderName, buildingId, tenantId, a.flat, a.status, now, textKey(a.holderName), fk, leadingNumber(fk), hash).lastInsertRowid);
    this.insertContacts(id, a);
    return id;
  }

  /** Inserts the account unless its number exists: the new id, or null (then look at importState). One index probe instead of two for a new account. */
  insertAccountIfNew(a: AccountInput, buildingId: number, tenantId: number, hash: string | null, now: string): number | null {
    const fk = flatKey(a.flat);
    const r = this.s.insertNewAccount!.run(a.accountNumber, a.holderName, buildingId, tenantId, a.flat, a.status, now, textKey(a.holderName), fk, leadingNumber(fk), hash);
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    this.insertContacts(id, a);
    return id;
  }

  updateAccount(id: number, a: AccountInput, buildingId: number, tenantId: number, hash: string | null, now: string): void {
    const fk = flatKey(a.flat);
    this.s.updateAccount!.run(a.holderName, buildingId, tenantId, a.flat, a.status, now, textKey(a.holderName), fk, leadingNumber(fk), hash, id);
    this.s.deletePhones!.run(id);
    this.insertPhones(id, a.phones);
    // No statement for a row without e-mails while no account has any (the usual directory).
    if (a.emails?.length || this.emailsStored()) this.s.deleteEmails!.run(id);
    if (a.emails?.length) this.insertEmails(id, a.emails);
  }

  /** Whether any account has a directory e-mail (asked once per repository, i.e. per import). */
  private emailsKnown: boolean | null = null;
  private emailsStored(): boolean {
    this.emailsKnown ??= this.s.anyEmail!.pluck().get() === 1;
    return this.emailsKnown;
  }

  private insertEmails(accountId: number, emails: string[]): void {
    for (const e of emails) this.s.insertEmail!.run(accountId, e);
    this.emailsKnown = true;
  }

  /** A new account's phones and e-mails. */
  private insertContacts(accountId: number, a: AccountInput): void {
    this.insertPhones(accountId, a.phones);
    if (a.emails?.length) this.insertEmails(accountId, a.emails);
  }

  private insertPhones(accountId: number, phones: string[]): void {
    for (const ph of phones) this.s.insertPhone!.run(accountId, ph, reverseDigits(ph));
  }
}
