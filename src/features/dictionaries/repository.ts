// A company's own dictionaries («Районная служба», «Специалист», «Категория
// клиента») with their values, and the values chosen on requests and
// accounts. All SQL of the dictionaries feature lives here.
import { stmt, type Db } from '../../store/db.js';

export type AppliesTo = 'requests' | 'accounts' | 'both';
export interface DictionaryValue { id: number; value: string; active: boolean }
export interface Dictionary { id: number; tenantId: number; name: string; appliesTo: AppliesTo; position: number; values: DictionaryValue[] }
/** One chosen value on a request or an account. */
export interface ChosenValue { dictionaryId: number; dictionary: string; valueId: number; value: string }

const ph = (xs: unknown[]) => xs.map(() => '?').join(',');
type Target = 'ticket' | 'account';
const table = (t: Target) => (t === 'ticket' ? 'ticket_dictionary_values' : 'account_dictionary_values');
const key = (t: Target) => (t === 'ticket' ? 'ticket_id' : 'account_id');

export class DictionaryRepository {
  constructor(private readonly db: Db) {}

  /** The dictionaries of these companies (null: of all). */
  list(tenantIds: number[] | null): Dictionary[] {
    if (tenantIds && !tenantIds.length) return [];
    const where = tenantIds ? `WHERE tenant_id IN (${ph(tenantIds)})` : '';
    const dicts = stmt(this.db, `SELECT id, tenant_id AS tenantId, name, applies_to AS appliesTo, position FROM company_dictionaries ${where} ORDER BY tenant_id, position, id`)
      .all(...(tenantIds ?? [])) as Omit<Dictionary, 'values'>[];
    return this.withValues(dicts);
  }

  get(id: number): Dictionary | null {
    const d = stmt(this.db, 'SELECT id, tenant_id AS tenantId, name, applies_to AS appliesTo, position FROM company_dictionaries WHERE id = ?').get(id) as Omit<Dictionary, 'values'> | undefined;
    return d ? this.withValues([d])[0]! : null;
  }

  private withValues(dicts: Omit<Dictionary, 'values'>[]): Dictionary[] {
    if (!dicts.length) return [];
    const ids = dicts.map((d) => d.id);
    const rows = stmt(this.db, `SELECT id, dictionary_id AS dictionaryId, value, active FROM dictionary_values WHERE dictionary_id IN (${ph(ids)}) ORDER BY position, id`).all(...ids) as { id: number; dictionaryId: number; value: string; active: number }[];
    const by = new Map<number, DictionaryValue[]>(ids.map((i) => [i, []]));
    for (const r of rows) by.get(r.dictionaryId)!.push({ id: r.id, value: r.value, active: r.active === 1 });
    return dicts.map((d) => ({ ...d, values: by.get(d.id)! }));
  }

  nameTaken(tenantId: number, name: string, exceptId: number | null): boolean {
    return stmt(this.db, 'SELECT 1 FROM company_dictionaries WHERE tenant_id = ? AND name = ? AND id IS NOT ?').pluck().get(tenantId, name, exceptId) !== undefined;
  }

  create(tenantId: number, name: string, appliesTo: AppliesTo, values: string[]): number {
    return this.db.transaction(() => {
      const pos = (stmt(this.db, 'SELECT coalesce(max(position), 0) + 1 FROM company_dictionaries WHERE tenant_id = ?').pluck().get(tenantId) as number);
      const id = Number(stmt(this.db, 'INSERT INTO company_dictionaries (tenant_id, name, applies_to, position) VALUES (?, ?, ?, ?)').run(tenantId, name, appliesTo, pos).lastInsertRowid);
      this.insertValues(id, values);
      return id;
    })();
  }

  private insertValues(dictionaryId: number, values: string[]): void {
    let pos = stmt(this.db, 'SELECT coalesce(max(position), 0) FROM dictionary_values WHERE dictionary_id = ?').pluck().get(dictionaryId) as number;
    const ins = stmt(this.db, 'INSERT INTO dictionary_values (dictionary_id, value, position) VALUES (?, ?, ?) ON CONFLICT (dictionary_id, value) DO UPDATE SET active = 1');
    for (const v of values) ins.run(dictionaryId, v, ++pos);
  }

  /** Renames, retargets, adds values and edits existing ones, in one transaction. */
  update(id: number, p: { name?: string; appliesTo?: AppliesTo; addValues?: string[]; values?: { id: number; value?: string; active?: boolean }[] }): void {
    this.db.transaction(() => {
      if (p.name !== undefined) stmt(this.db, 'UPDATE company_dictionaries SET name = ? WHERE id = ?').run(p.name, id);
      if (p.appliesTo !== undefined) stmt(this.db, 'UPDATE company_dictionaries SET applies_to = ? WHERE id = ?').run(p.appliesTo, id);
      for (const v of p.values ?? []) {
        if (v.value !== undefined) stmt(this.db, 'UPDATE dictionary_values SET value = ? WHERE id = ? AND dictionary_id = ?').run(v.value, v.id, id);
        if (v.active !== undefined) stmt(this.db, 'UPDATE dictionary_values SET active = ? WHERE id = ? AND dictionary_id = ?').run(v.active ? 1 : 0, v.id, id);
      }
      if (p.addValues?.length) this.insertValues(id, p.addValues);
    })();
  }

  /** How many requests and accounts hold a value of this dictionary. */
  uses(id: number): number {
    return (stmt(this.db, 'SELECT (SELECT count(*) FROM ticket_dictionary_values WHERE dictionary_id = ?) + (SELECT count(*) FROM account_dictionary_values WHERE dictionary_id = ?)').pluck().get(id, id) as number);
  }

  delete(id: number): void {
    stmt(this.db, 'DELETE FROM company_dictionaries WHERE id = ?').run(id);
  }

  accountByNumber(accountNumber: string): { id: number; tenantId: number } | null {
    return (stmt(this.db, 'SELECT id, tenant_id AS tenantId FROM accounts WHERE account_number = ?').get(accountNumber) as { id: number; tenantId: number } | undefined) ?? null;
  }

  /** Replaces the chosen values of the given dictionaries (valueId null: none) on a request or account. */
  choose(target: Target, ownerId: number, choices: { dictionaryId: number; valueId: number | null }[]): void {
    this.db.transaction(() => {
      for (const c of choices) {
        if (c.valueId === null) stmt(this.db, `DELETE FROM ${table(target)} WHERE ${key(target)} = ? AND dictionary_id = ?`).run(ownerId, c.dictionaryId);
        else stmt(this.db, `INSERT INTO ${table(target)} (${key(target)}, dictionary_id, value_id) VALUES (?, ?, ?) ON CONFLICT (${key(target)}, dictionary_id) DO UPDATE SET value_id = excluded.value_id`).run(ownerId, c.dictionaryId, c.valueId);
      }
    })();
  }

  /** Chosen values per owner, in one query (for a page of requests or accounts). */
  chosenFor(target: Target, ownerIds: number[]): Map<number, ChosenValue[]> {
    const out = new Map<number, ChosenValue[]>(ownerIds.map((i) => [i, []]));
    if (!ownerIds.length) return out;
    const rows = stmt(this.db, `SELECT x.${key(target)} AS ownerId, d.id AS dictionaryId, d.name AS dictionary, v.id AS valueId, v.value
      FROM ${table(target)} x JOIN company_dictionaries d ON d.id = x.dictionary_id JOIN dictionary_values v ON v.id = x.value_id
      WHERE x.${key(target)} IN (${ph(ownerIds)}) ORDER BY d.position, d.id`).all(...ownerIds) as (ChosenValue & { ownerId: number })[];
    for (const { ownerId, ...v } of rows) out.get(ownerId)?.push(v);
    return out;
  }

  /** A request's dictionary values by request id: what the journal's export adds as columns. */
  dictionaryValuesFor(ticketIds: number[]): Map<number, ChosenValue[]> {
    return this.chosenFor('ticket', ticketIds);
  }
}
