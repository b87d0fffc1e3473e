// What itoolabs expects back from the CRM.

export interface ItoolabsContactReply { contact_name?: string; responsible?: string }

/**
 * Reply to cmd=contact: the caller's name shown on the employee's phone and
 * the PBX login of the employee the call should go to first. Send it as JSON.
 * Nothing known → {} (the PBX routes as usual).
 */
export function itoolabsContactReply(found: { contactName?: string | null; responsibleLogin?: string | null }): ItoolabsContactReply {
  const out: ItoolabsContactReply = {};
  if (found.contactName) out.contact_name = found.contactName;
  if (found.responsibleLogin) out.responsible = found.responsibleLogin;
  return out;
}
