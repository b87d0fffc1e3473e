// CRM → Mango VPBX requests, built but not sent. Same envelope as webhooks:
// form fields vpbx_api_key, sign, json.
import { normalizePhone } from '../../../domain/phone.js';
import type { HttpRequestSpec } from '../shared.js';
import { mangoSign } from './verify.js';

export const MANGO_API_BASE = 'https://app.mango-office.ru/vpbx';

/** Any signed Mango command: `path` like 'commands/callback'. */
export function mangoCommand(p: { apiKey: string; apiSalt: string; path: string; payload: unknown; baseUrl?: string }): HttpRequestSpec {
  const json = JSON.stringify(p.payload);
  const form = new URLSearchParams({ vpbx_api_key: p.apiKey, sign: mangoSign(p.apiKey, json, p.apiSalt), json });
  return {
    method: 'POST',
    url: `${(p.baseUrl ?? MANGO_API_BASE).replace(/\/+$/, '')}/${p.path.replace(/^\/+/, '')}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  };
}

/**
 * Click-to-call (commands/callback): Mango rings the employee's extension,
 * then dials `toNumber`. `commandId` comes back in the result callback and in
 * the call events (command_id); make it unique, e.g. a UUID.
 */
export function mangoCallback(p: {
  apiKey: string; apiSalt: string; commandId: string; fromExtension: string; toNumber: string; lineNumber?: string; baseUrl?: string;
}): HttpRequestSpec {
  const to = normalizePhone(p.toNumber);
  if (!to) throw new Error(`not a phone number: ${p.toNumber}`);
  const payload: Record<string, unknown> = { command_id: p.commandId, from: { extension: p.fromExtension }, to_number: to };
  if (p.lineNumber) payload.line_number = p.lineNumber;
  return mangoCommand({ apiKey: p.apiKey, apiSalt: p.apiSalt, path: 'commands/callback', payload, baseUrl: p.baseUrl });
}
