// Cloud PBX accounts (one management company each) and the mapping of the
// PBX's agents to Pult users. Secrets are set by an admin through the API.
import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';

export const vendors = ['itoolabs', 'mango', 'zadarma'] as const;
export type Vendor = (typeof vendors)[number];

// apiBaseUrl: where click-to-call requests go (the vendor's API; itoolabs: the PBX's own address).
const apiBaseUrl = z.string().url().optional();
export const secretsSchema = {
  itoolabs: z.object({ crmToken: z.string().min(8), apiKey: z.string().min(8).optional(), apiBaseUrl }),
  mango: z.object({ apiSalt: z.string().min(8), apiBaseUrl }),
  zadarma: z.object({ secret: z.string().min(8), apiBaseUrl }),
} as const;

export interface VpbxAccount {
  id: number;
  vendor: Vendor;
  name: string;
  tenantId: number;
  account: string;
  secrets: Record<string, string>;
  lineId: number | null;
  timeZone: string;
}

interface Row { id: number; vendor: Vendor; name: string; tenant_id: number; account: string; secrets: string; line_id: number | null; time_zone: string }

const toAccount = (r: Row): VpbxAccount => ({ id: r.id, vendor: r.vendor, name: r.name, tenantId: r.tenant_id, account: r.account, secrets: JSON.parse(r.secrets) as Record<string, string>, lineId: r.line_id, timeZone: r.time_zone });

export class VpbxAccounts {
  constructor(private readonly db: Db) {}

  create(a: Omit<VpbxAccount, 'id'>, agents: Record<string, number>): VpbxAccount {
    const id = this.db.transaction(() => {
      const newId = Number(
        stmt(this.db, 'INSERT INTO vpbx_accounts (vendor, name, tenant_id, account, secrets, line_id, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(a.vendor, a.name, a.tenantId, a.account, JSON.stringify(a.secrets), a.lineId, a.timeZone).lastInsertRowid,
      );
      for (const [agent, userId] of Object.entries(agents)) stmt(this.db, 'INSERT INTO vpbx_agents (account_id, agent, user_id) VALUES (?, ?, ?)').run(newId, agent, userId);
      return newId;
    })();
    return this.get(id)!;
  }

  /**
   * What is wrong with an account's references: its company must exist, and
   * its line and every mapped user must belong to that company (an account
   * never reaches another company's line or operators). Empty = all good.
   */
  foreignReferences(tenantId: number, lineId: number | null, agents: Record<string, number>): { field: string; problem: string }[] {
    const out: { field: string; problem: string }[] = [];
    if (!stmt(this.db, 'SELECT 1 FROM tenants WHERE id = ?').pluck().get(tenantId)) out.push({ field: 'tenantId', problem: `no company ${tenantId}` });
    if (lineId !== null && stmt(this.db, 'SELECT tenant_id FROM lines WHERE id = ?').pluck().get(lineId) !== tenantId) {
      out.push({ field: 'lineId', problem: `line ${lineId} is not a line of company ${tenantId}` });
    }
    for (const [agent, userId] of Object.entries(agents)) {
      if (!stmt(this.db, 'SELECT 1 FROM user_tenants WHERE user_id = ? AND tenant_id = ?').pluck().get(userId, tenantId)) {
        out.push({ field: `agents.${agent}`, problem: `user ${userId} does not work for company ${tenantId}` });
      }
    }
    return out;
  }

  get(id: number): VpbxAccount | null {
    const r = stmt(this.db, 'SELECT * FROM vpbx_accounts WHERE id = ?').get(id) as Row | undefined;
    return r ? toAccount(r) : null;
  }

  of(vendor: Vendor, id: number): VpbxAccount | null {
    const a = this.get(id);
    return a?.vendor === vendor ? a : null;
  }

  /** Without secrets, for listing. */
  list(): Omit<VpbxAccount, 'secrets'>[] {
    return (stmt(this.db, 'SELECT * FROM vpbx_accounts ORDER BY id').all() as Row[]).map((r) => {
      const a = toAccount(r);
      return { id: a.id, vendor: a.vendor, name: a.name, tenantId: a.tenantId, account: a.account, lineId: a.lineId, timeZone: a.timeZone };
    });
  }
}
