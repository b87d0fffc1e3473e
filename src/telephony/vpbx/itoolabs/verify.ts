// itoolabs authenticates its webhooks only by the `crm_token` form field (the
// key typed into the PBX's CRM settings). Check it before parsing the rest.
import { safeEqual } from '../shared.js';

/** True when the form's crm_token equals the configured token (constant time; never throws). */
export function verifyItoolabsToken(form: Record<string, unknown> | null | undefined, expectedToken: string): boolean {
  return safeEqual(form?.crm_token, expectedToken);
}
