// The webhook audit log: refused deliveries keep no body, secrets are
// redacted at any depth, and both retention methods delete by age only.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { WebhookLog, redactSecrets } from '../../src/features/external-calls/webhook-log.js';

const entry = (status: number, receivedAt: string, body: unknown) => ({ vendor: 'itoolabs', accountId: null, accountGiven: '7', receivedAt, status, body, size: 10, error: null });

describe('WebhookLog', () => {
  it('stores no body for 401/403/404 and redacts secrets in the others', () => {
    const db = openDb(':memory:');
    const log = new WebhookLog(db);
    for (const status of [401, 403, 404]) log.record(entry(status, '2026-01-01T00:00:00.000Z', { crm_token: 't0ken-value', phone: '7916' }));
    log.record(entry(200, '2026-01-01T00:00:00.000Z', { crm_token: 't0ken-value', phone: '7916', nested: { apiKey: 'k3y-value', list: [{ signature: 's1g' }] } }));
    const bodies = db.prepare('SELECT status, body FROM webhook_log ORDER BY id').all() as { status: number; body: string | null }[];
    expect(bodies.slice(0, 3).map((b) => b.body)).toEqual([null, null, null]);
    expect(JSON.parse(bodies[3]!.body!)).toEqual({ crm_token: '[redacted]', phone: '7916', nested: { apiKey: '[redacted]', list: [{ signature: '[redacted]' }] } });
  });

  it('redactSecrets keeps what is not a secret', () => {
    expect(redactSecrets({ sign: 'x', json: '{"a":1}', vpbx_api_key: 'k', caller_id: '1' })).toEqual({ sign: '[redacted]', json: '{"a":1}', vpbx_api_key: '[redacted]', caller_id: '1' });
  });
});
