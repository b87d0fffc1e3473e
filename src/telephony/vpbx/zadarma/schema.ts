// Zadarma (and Novofon) PBX notifications: form POSTs with an `event` field,
// signed in the `Signature` header (verify.ts). Field sets follow Zadarma's
// official PHP library (zadarma/user-api-v1, lib/Webhook/Notify*.php).
// `call_start` is 'YYYY-MM-DD HH:MM:SS' in the account's time zone. Unknown
// extra fields are allowed.
import { z } from 'zod';
import { intLike } from '../shared.js';

const callStart = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:MM:SS');
const id = z.string().min(1);
const opt = z.string().optional();

/** A call reached the PBX. Reply JSON may name the caller or redirect (replies.ts). */
export const zadarmaStartSchema = z.looseObject({
  event: z.literal('NOTIFY_START'),
  call_start: callStart,
  pbx_call_id: id,
  caller_id: z.string(),
  called_did: z.string(),
});

/** The PBX rings an extension. */
export const zadarmaInternalSchema = z.looseObject({
  event: z.literal('NOTIFY_INTERNAL'),
  call_start: callStart,
  pbx_call_id: id,
  caller_id: z.string(),
  called_did: z.string(),
  internal: opt,
});

/** An extension (or a forwarded number) answered. */
export const zadarmaAnswerSchema = z.looseObject({
  event: z.literal('NOTIFY_ANSWER'),
  caller_id: z.string(),
  destination: z.string(),
  call_start: callStart,
  pbx_call_id: id,
  internal: opt,
});

const endFields = {
  duration: intLike,
  disposition: z.string(), // answered | busy | cancel | no answer | failed | no money | unallocated number | …
  status_code: opt, // Q.931
  is_recorded: z.enum(['0', '1']).optional(),
  call_id_with_rec: opt,
};

/** The inbound call ended. */
export const zadarmaEndSchema = z.looseObject({
  event: z.literal('NOTIFY_END'),
  call_start: callStart,
  pbx_call_id: id,
  caller_id: z.string(),
  called_did: z.string(),
  internal: opt,
  ...endFields,
});

/** An extension started an outbound call. */
export const zadarmaOutStartSchema = z.looseObject({
  event: z.literal('NOTIFY_OUT_START'),
  call_start: callStart,
  pbx_call_id: id,
  internal: z.string(),
  destination: z.string(),
});

/** The outbound call ended. */
export const zadarmaOutEndSchema = z.looseObject({
  event: z.literal('NOTIFY_OUT_END'),
  call_start: callStart,
  pbx_call_id: id,
  caller_id: opt,
  destination: z.string(),
  internal: z.string(),
  ...endFields,
});

/** The recording is ready to fetch (by call_id_with_rec or pbx_call_id). */
export const zadarmaRecordSchema = z.looseObject({
  event: z.literal('NOTIFY_RECORD'),
  call_id_with_rec: id,
  pbx_call_id: id,
});

export const zadarmaWebhookSchema = z.discriminatedUnion('event', [
  zadarmaStartSchema,
  zadarmaInternalSchema,
  zadarmaAnswerSchema,
  zadarmaEndSchema,
  zadarmaOutStartSchema,
  zadarmaOutEndSchema,
  zadarmaRecordSchema,
]);

export type ZadarmaWebhook = z.infer<typeof zadarmaWebhookSchema>;
export type ZadarmaEnd = z.infer<typeof zadarmaEndSchema>;
