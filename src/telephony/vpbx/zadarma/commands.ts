// CRM → Zadarma API requests, built but not sent.
//
// Zadarma API auth (official PHP client, lib/Client.php): parameters sorted by
// name and encoded like PHP http_build_query (RFC 1738: space → '+'); then
//   Authorization: <key>:<base64(hmac_sha1_hex(method + params + md5(params), secret))>
// where method is the path with version, e.g. '/v1/request/callback/'. The
// client always adds format=json, and it is part of the signed parameters.
import { normalizePhone } from '../../../domain/phone.js';
import type { HttpRequestSpec } from '../shared.js';
import { hmacSha1Hex, md5Hex } from '../shared.js';

export const ZADARMA_API_BASE = 'https://api.zadarma.com';

/** PHP urlencode(): only A-Z a-z 0-9 - _ . stay; space is '+'. */
export function phpUrlencode(v: string): string {
  return encodeURIComponent(v)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** ksort + http_build_query. */
export function zadarmaParamString(params: Record<string, string>): string {
  return Object.keys(params).sort()
    .map((k) => `${phpUrlencode(k)}=${phpUrlencode(params[k]!)}`)
    .join('&');
}

export function zadarmaAuthorization(p: { key: string; secret: string; method: string; paramString: string }): string {
  const signed = p.method + p.paramString + md5Hex(p.paramString);
  return `${p.key}:${Buffer.from(hmacSha1Hex(signed, p.secret), 'utf8').toString('base64')}`;
}

/** A signed GET to any Zadarma API method, e.g. '/v1/request/callback/'. */
export function zadarmaGet(p: { key: string; secret: string; method: string; params: Record<string, string>; baseUrl?: string }): HttpRequestSpec {
  const params = { ...p.params, format: 'json' };
  const paramString = zadarmaParamString(params);
  return {
    method: 'GET',
    url: `${(p.baseUrl ?? ZADARMA_API_BASE).replace(/\/+$/, '')}${p.method}?${paramString}`,
    headers: { Authorization: zadarmaAuthorization({ key: p.key, secret: p.secret, method: p.method, paramString }) },
  };
}

/**
 * Click-to-call (/v1/request/callback/): Zadarma calls `from` (an extension,
 * SIP or phone), then `to`. `sip` picks the SIP/extension whose caller ID is
 * used; `predicted` calls `to` first.
 */
export function zadarmaCallback(p: { key: string; secret: string; from: string; to: string; sip?: string; predicted?: boolean; baseUrl?: string }): HttpRequestSpec {
  const to = normalizePhone(p.to);
  if (!to) throw new Error(`not a phone number: ${p.to}`);
  const params: Record<string, string> = { from: p.from, to };
  if (p.sip) params.sip = p.sip;
  if (p.predicted) params.predicted = 'predicted';
  return zadarmaGet({ key: p.key, secret: p.secret, method: '/v1/request/callback/', params, baseUrl: p.baseUrl });
}
