// CRM → itoolabs PBX requests, built but not sent.
import { normalizePhone } from '../../../domain/phone.js';
import type { HttpRequestSpec } from '../shared.js';

/**
 * Click-to-call: the PBX rings the employee (`user`: PBX login or extension),
 * then dials `phone`. `clid` optionally picks the outgoing number.
 * `baseUrl` is the PBX's address, e.g. https://vats123456.megapbx.ru.
 */
export function itoolabsMakeCall(p: { baseUrl: string; apiKey: string; phone: string; user: string; clid?: string }): HttpRequestSpec {
  const phone = normalizePhone(p.phone);
  if (!phone) throw new Error(`not a phone number: ${p.phone}`);
  const body: Record<string, string> = { phone, user: p.user };
  if (p.clid) body.clid = normalizePhone(p.clid) ?? p.clid;
  return {
    method: 'POST',
    url: `${p.baseUrl.replace(/\/+$/, '')}/crmapi/v1/makecall`,
    headers: { 'Content-Type': 'application/json', 'X-API-KEY': p.apiKey },
    body: JSON.stringify(body),
  };
}
