// The billing link and push (issue 14 item 9, seed 002): the per-company URL
// template that opens an account in the billing system, the push's signature
// and its retry schedule. Pure.
import { createHmac } from 'node:crypto';

/** Placeholders a billing URL template may hold; each is filled URL-encoded. */
export const billingPlaceholders = ['account', 'tenant'] as const;
export type BillingPlaceholder = (typeof billingPlaceholders)[number];

/** What is wrong with a template (empty: fine): https only, known placeholders, {account} present. */
export function billingTemplateProblems(template: string): string[] {
  const problems: string[] = [];
  const names = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  for (const n of names) if (!(billingPlaceholders as readonly string[]).includes(n)) problems.push(`неизвестная подстановка {${n}}: можно ${billingPlaceholders.map((p) => `{${p}}`).join(', ')}`);
  if (!names.includes('account')) problems.push('нужна подстановка {account} (номер лицевого счёта)');
  const probe = template.replace(/\{[^{}]*\}/g, 'x');
  let url: URL | null = null;
  try {
    url = new URL(probe);
  } catch {
    problems.push('это не адрес (URL)');
  }
  if (url && url.protocol !== 'https:') problems.push('только https://');
  if (url && (url.username || url.password)) problems.push('логин и пароль в адресе недопустимы');
  if (/[{}]/.test(template.replace(/\{[^{}]*\}/g, ''))) problems.push('непарная фигурная скобка');
  return problems;
}

/** The template with its placeholders filled, each value encodeURIComponent-ed. */
export function fillBillingTemplate(template: string, values: Record<BillingPlaceholder, string>): string {
  return template.replace(/\{(account|tenant)\}/g, (_m, k: BillingPlaceholder) => encodeURIComponent(values[k]));
}

/** A company's push signing key, derived from the configured master secret (nothing secret is stored). */
export function companyPushKey(masterSecret: string, tenantId: number): string {
  return createHmac('sha256', masterSecret).update(`pult-billing-push:${tenantId}`).digest('hex');
}

/** The `X-Pult-Signature` header value: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function pushSignature(key: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

/** Seconds to wait after the n-th failed attempt (n ≥ 1): base, 2·base, 4·base… capped. */
export function backoffSec(failedAttempts: number, baseSec: number, capSec: number): number {
  return Math.min(capSec, baseSec * 2 ** Math.max(0, failedAttempts - 1));
}
