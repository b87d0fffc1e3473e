// Click-to-call through the company's cloud PBX: the PBX rings the operator
// (by the PBX name mapped to them), then dials the number. The request is
// built by the vendor's adapter and sent here, with a timeout.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { HttpRequestSpec } from '../../telephony/vpbx/shared.js';
import { itoolabsMakeCall } from '../../telephony/vpbx/itoolabs/commands.js';
import { mangoCallback } from '../../telephony/vpbx/mango/commands.js';
import { zadarmaCallback } from '../../telephony/vpbx/zadarma/commands.js';
import type { VpbxAccount } from './accounts.js';

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

export async function sendClickToCall(req: HttpRequestSpec, logger: Logger): Promise<{ status: number; body: string }> {
  const r = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000), redirect: 'error' });
  const body = (await r.text()).slice(0, 2000);
  if (!r.ok) {
    logger.warn('click-to-call refused by the cloud PBX', { url: req.url, status: r.status, body });
    throw new ClickToCallError(`the cloud PBX answered ${r.status}`);
  }
  return { status: r.status, body };
}
