// The billing link and push (issue 14 item 9, seed 002).
//
// Link: a company's URL template with the account number filled in, built
// here (never in the browser), for the card and the request page.
//
// Push: a closed request is written to billing_outbox by a trigger in the
// very transaction that closes it (migration 041), so it survives a crash or
// a restart. deliverDue() POSTs each due row's JSON, signed
// `X-Pult-Signature: sha256=<hex HMAC-SHA256(raw body)>` with the company's
// key (derived from PULT_BILLING_PUSH_SECRET), through safe-fetch (host
// allow-list PULT_BILLING_PUSH_HOSTS); a failure is retried after 1, 2, 4…
// × the base delay (capped), and after the last attempt the push is marked
// failed: listed for admins, who may put it back in the queue.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { safeFetchText, type FetchPolicy } from '../../net/safe-fetch.js';
import { backoffSec, companyPushKey, fillBillingTemplate, pushSignature } from '../../domain/billing.js';
import type { BillingRepository, OutboxRow } from './repository.js';

export interface BillingPushOptions {
  /** PULT_BILLING_PUSH_SECRET; null: pushes wait in the outbox undelivered. */
  masterSecret: string | null;
  policy: FetchPolicy;
  backoffSec: number;
  backoffMaxSec: number;
  attempts: number;
  batch?: number;
}

export class BillingService {
  private running: Promise<number> | null = null;

  constructor(private readonly repo: BillingRepository, private readonly clock: Clock, private readonly logger: Logger, private readonly o: BillingPushOptions) {}

  /** The billing link of an account number of a company, or null without a template. */
  link(tenantId: number, accountNumber: string): string | null {
    const t = this.repo.settings(tenantId)?.urlTemplate ?? null;
    return t ? fillBillingTemplate(t, { account: accountNumber, tenant: String(tenantId) }) : null;
  }

  /** The company's signing key for the push (shown to admins to configure the receiver), or null when no master secret is set. */
  signingKey(tenantId: number): string | null {
    return this.o.masterSecret ? companyPushKey(this.o.masterSecret, tenantId) : null;
  }

  /** Sends every due push once; at most one run at a time (a cron tick during a run joins it). Returns how many were delivered. */
  deliverDue(): Promise<number> {
    if (!this.running) this.running = this.run().finally(() => { this.running = null; });
    return this.running;
  }

  /** Puts a failed push back in the queue, due now; false when it is not failed. */
  retry(id: number): boolean {
    const ok = this.repo.retry(id, this.clock.now().toISOString());
    if (ok) void this.deliverDue();
    return ok;
  }

  /** Resolves once a run in progress has finished (before the database closes). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<number> {
    if (!this.o.masterSecret) return 0;
    let delivered = 0;
    for (const row of this.repo.due(this.clock.now().toISOString(), this.o.batch ?? 100)) {
      if (await this.deliver(row)) delivered++;
    }
    return delivered;
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const key = companyPushKey(this.o.masterSecret!, row.tenantId);
    let status: number | null = null;
    let error: string;
    try {
      const r = await safeFetchText({
        method: 'POST', url: row.url, body: row.body,
        headers: { 'content-type': 'application/json', 'x-pult-signature': pushSignature(key, row.body), 'x-pult-delivery': String(row.id), 'content-length': String(Buffer.byteLength(row.body)) },
      }, this.o.policy);
      status = r.status;
      if (r.status >= 200 && r.status < 300) {
        this.repo.delivered(row.id, r.status, this.clock.now().toISOString());
        this.logger.info('billing push delivered', { id: row.id, ticketId: row.ticketId, attempts: row.attempts + 1 });
        return true;
      }
      error = `HTTP ${r.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const failed = row.attempts + 1;
    const final = failed >= this.o.attempts;
    const nextAt = new Date(this.clock.now().getTime() + backoffSec(failed, this.o.backoffSec, this.o.backoffMaxSec) * 1000).toISOString();
    this.repo.attemptFailed(row.id, { status, error, nextAt, final });
    this.logger.warn(final ? 'billing push failed for good' : 'billing push failed, will retry', { id: row.id, ticketId: row.ticketId, attempt: failed, error, nextAt: final ? null : nextAt });
    return false;
  }
}
