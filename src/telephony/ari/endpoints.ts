// Asterisk dial strings: the only place the PJSIP endpoint format is written.

/** A desk phone: the provisioned PJSIP endpoint named after its extension. */
export const deskEndpoint = (extension: string) => `PJSIP/${extension}`;

/** An outside number (a mobile, a caller) dialled through the carrier trunk endpoint. */
export const trunkEndpoint = (number: string, trunk: string) => `PJSIP/${number}@${trunk}`;
