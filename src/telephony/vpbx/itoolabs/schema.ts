// Megafon / Dom.ru / Gravitel "API for CRM integration" (the itoolabs
// platform): the PBX POSTs application/x-www-form-urlencoded to one URL and
// `cmd` selects the message. All values arrive as strings. Unknown extra
// fields are allowed (the vendor adds fields over time).
import { z } from 'zod';
import { intLike } from '../shared.js';

const opt = z.string().optional();

/** Common to every message: the shared secret typed into the PBX settings and the call id. */
const base = {
  crm_token: z.string(),
  callid: z.string().min(1),
};

/** Live call progress, one per employee leg. */
export const itoolabsEventSchema = z.looseObject({
  ...base,
  cmd: z.literal('event'),
  type: z.enum(['INCOMING', 'ACCEPTED', 'COMPLETED', 'CANCELLED', 'OUTGOING', 'TRANSFERRED']),
  phone: opt, // the client's number
  diversion: opt, // our number the client dialled (DID)
  user: opt, // the employee's PBX login
  ext: opt, // the employee's extension
  groupRealName: opt, // the department (group) name
  telnum: opt, // the employee's direct number
  direction: z.enum(['in', 'out']),
  second_callid: opt, // the other leg's id (transfers)
});

/** After hang-up: the call as a whole, with the recording link. */
export const itoolabsHistorySchema = z.looseObject({
  ...base,
  cmd: z.literal('history'),
  type: z.enum(['in', 'out']),
  status: z.enum(['Success', 'Missed', 'Cancel', 'Busy', 'NotAvailable', 'NotAllowed', 'NotFound']),
  phone: opt,
  diversion: opt,
  user: opt,
  ext: opt,
  groupRealName: opt,
  telnum: opt,
  start: z.string().regex(/^\d{8}T\d{6}Z$/, 'expected YYYYMMDDTHHMMSSZ'),
  duration: intLike,
  link: opt, // mp3 URL, or empty when not recorded
  rating: opt,
});

/** Before routing: who is calling? The reply names the contact and the responsible employee. */
export const itoolabsContactSchema = z.looseObject({
  ...base,
  cmd: z.literal('contact'),
  phone: z.string(),
});

/** The caller's rating of the call (IVR survey). */
export const itoolabsRatingSchema = z.looseObject({
  ...base,
  cmd: z.literal('rating'),
  rating: z.string(),
  phone: opt,
  user: opt,
  ext: opt,
});

export const itoolabsWebhookSchema = z.discriminatedUnion('cmd', [
  itoolabsEventSchema,
  itoolabsHistorySchema,
  itoolabsContactSchema,
  itoolabsRatingSchema,
]);

export type ItoolabsEvent = z.infer<typeof itoolabsEventSchema>;
export type ItoolabsHistory = z.infer<typeof itoolabsHistorySchema>;
export type ItoolabsContact = z.infer<typeof itoolabsContactSchema>;
export type ItoolabsWebhook = z.infer<typeof itoolabsWebhookSchema>;
