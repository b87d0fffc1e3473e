// The caller's post-call rating from a cloud PBX (Megafon / Dom.ru cmd=rating):
// stored against the call's channel key, the one ExternalCallService gives
// the call (`ext:<vendor>:<account>:<call id>`). The key holds the verified
// account, so one company's PBX can never rate another company's call, and a
// rating that arrives before the call's other events joins it once they come.
import { stmt, type Db } from '../../store/db.js';
import type { VpbxAccount } from './accounts.js';

export const externalChannelKey = (source: string, externalId: string): string => `ext:${source}:${externalId}`;

export class CallRatings {
  constructor(private readonly db: Db) {}

  /** Stores (or replaces: the PBX may resend) the rating of a call of this account. Returns the call's id when the call is known yet. */
  store(account: VpbxAccount, r: { source: string; externalId: string; score: number; agent: string | null }, at: string): { callId: string | null } {
    const key = externalChannelKey(r.source, r.externalId);
    stmt(this.db, `INSERT INTO call_ratings (channel_key, vpbx_account_id, tenant_id, score, agent, received_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (channel_key) DO UPDATE SET score = excluded.score, agent = excluded.agent, received_at = excluded.received_at`).run(key, account.id, account.tenantId, r.score, r.agent, at);
    const callId = (stmt(this.db, 'SELECT id FROM calls WHERE caller_channel_id = ?').pluck().get(key) as string | undefined) ?? null;
    return { callId };
  }
}
