// The audit log of cloud-PBX webhooks (pruned by src/features/retention/).
// A refused delivery (401/403/404: anyone on the network can send one) is
// logged without its body; an accepted or malformed one with its body, its
// secrets redacted by key name.
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';

export interface WebhookLogEntry {
  vendor: string;
  /** Our account, when the URL named one that exists. */
  accountId: number | null;
  /** The account id as the URL gave it. */
  accountGiven: string | null;
  receivedAt: string;
  status: number;
  body: unknown;
  size: number;
  error: string | null;
}

/** Keys whose values are secrets (tokens, signatures, keys, salts, passwords), at any depth. */
const SECRET_KEY = /^(sign|signature)$|token|secret|passw|api_?key|salt/i;
const MAX_BODY = 16_384;

/** A copy of `value` with every secret-named field replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1)]));
}

const refused = (status: number) => status === 401 || status === 403 || status === 404;

export class WebhookLog {
  constructor(private readonly db: Db) {}

  record(e: WebhookLogEntry): void {
    const body = refused(e.status) ? null : JSON.stringify(redactSecrets(e.body ?? null)).slice(0, MAX_BODY);
    stmt(this.db, 'INSERT INTO webhook_log (vendor, account_id, account_given, received_at, status, body, size, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.vendor, e.accountId, e.accountGiven?.slice(0, 40) ?? null, e.receivedAt, e.status, body, e.size, e.error?.slice(0, 500) ?? null);
  }
}
