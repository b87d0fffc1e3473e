// Click-to-call through the company's cloud PBX: the PBX rings the operator
// (by the PBX name mapped to them), then dials the number. The request is
// built by the vendor's adapter and sent here, with a timeout.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { HttpRequestSpec } from '../../telephony/vpbx/shared.js';
import { itoolabsMakeCall } from '../../telephony/vpbx/itoolabs/commands.js';
import { mangoCallback } from '../../telephony/vpbx/mango/commands.js';
import { zadarmaCallback } from '../../telephony/vpbx/zadarma/commands.js';
import type { VpbxAccount, VpbxAccounts } from './accounts.js';
import type { ExternalCallService } from './service.js';
import { hostOf, safeFetchText, type FetchPolicy } from '../../net/safe-fetch.js';

export class ClickToCallError extends Error {}

/** The vendor request for "ring `agent`, then call `number`". */
export function clickToCallRequest(account: VpbxAccount, agent: string, number: string): HttpRequestSpec {
  const s = account.secrets;
  switch (account.vendor) {
    case 'itoolabs':
      if (!s.apiKey || !s.apiBaseUrl) throw new ClickToCallError('the account has no apiKey/apiBaseUrl for click-to-call');
      return itoolabsMakeCall({ baseUrl: s.apiBaseUrl, apiKey: s.apiKey, phone: number, user: agent });
    case 'mango':
      return mangoCallback({ apiKey: account.account, apiSalt: s.apiSalt ?? '', commandId: randomUUID(), fromExtension: agent, toNumber: number, baseUrl: s.apiBaseUrl });
    case 'zadarma':
      return zadarmaCallback({ key: account.account, secret: s.secret ?? '', from: agent, to: number, baseUrl: s.apiBaseUrl });
  }
}

/** Sends the request through the safe fetch: the account's API address (or the vendor's) plus PULT_RECORDING_HOSTS, no private addresses. */
export async function sendClickToCall(req: HttpRequestSpec, policy: FetchPolicy, logger: Logger): Promise<{ status: number; body: string }> {
  const r = await safeFetchText({ method: req.method, url: req.url, headers: req.headers, body: req.body }, { ...policy, hosts: [...policy.hosts, ...hostOf(req.url)], timeoutMs: Math.min(policy.timeoutMs, 10_000), maxBytes: 64 * 1024 });
  const body = r.body.slice(0, 2000);
  if (r.status < 200 || r.status >= 300) {
    logger.warn('click-to-call refused by the cloud PBX', { url: req.url, status: r.status, body });
    throw new ClickToCallError(`the cloud PBX answered ${r.status}`);
  }
  return { status: r.status, body };
}

export interface CloudDialDeps {
  accounts: VpbxAccounts;
  service: ExternalCallService;
  fetchPolicy: FetchPolicy;
  logger: Logger;
}

/** Is `tenantId` served by a cloud PBX (its calls come in through an account's webhooks)? */
export function servedByCloudPbx(accounts: VpbxAccounts, tenantId: number): boolean {
  return accounts.list().some((a) => a.tenantId === tenantId);
}

/**
 * Click-to-call through the cloud PBX of one of `tenantIds` (null: any) whose
 * account maps `userId` to a PBX login. Throws ClickToCallError when no account
 * knows the user, ApiError-free so callers choose their status codes.
 */
export async function cloudClickToCall(d: CloudDialDeps, userId: number, tenantIds: number[] | null, number: string): Promise<{ vendor: VpbxAccount['vendor']; agent: string }> {
  const mine = d.accounts.list().filter((a) => tenantIds === null || tenantIds.includes(a.tenantId));
  const account = mine.map((a) => d.accounts.get(a.id)!).find((a) => d.service.pbxLoginOf(a, userId) !== null);
  if (!account) throw new NoCloudAccountError('no cloud PBX account knows you: ask an admin to map your PBX login');
  const agent = d.service.pbxLoginOf(account, userId)!;
  await sendClickToCall(clickToCallRequest(account, agent, number), d.fetchPolicy, d.logger);
  return { vendor: account.vendor, agent };
}

export class NoCloudAccountError extends Error {}
