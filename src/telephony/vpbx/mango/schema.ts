// Mango Office VPBX API webhooks. Every one is a form POST with three fields:
// vpbx_api_key, sign, json (the event as JSON text). Verify the sign over the
// exact json text first (verify.ts), then parse the JSON with the schema of
// the endpoint it was posted to. Mango's own examples send numbers as strings
// ("seq": "1", "timestamp": "1399906976"), integrations see JSON numbers:
// both are accepted. Unknown extra fields are allowed.
import { z } from 'zod';
import { intLike, textLike } from '../shared.js';

export const mangoFormSchema = z.looseObject({
  vpbx_api_key: z.string().min(1),
  sign: z.string().min(1),
  json: z.string().min(1),
});
export type MangoForm = z.infer<typeof mangoFormSchema>;

const party = z.looseObject({
  extension: textLike.optional(), // the employee's extension
  number: textLike.optional(), // phone number or SIP URI
  taken_from_call_id: z.string().optional(), // the leg this one was moved from (IVR → employee)
  line_number: textLike.optional(), // our number (DID) the call came in on
  acd_group: textLike.optional(),
});

/** /events/call: one leg's state. `seq` counts per leg (call_id), from 1. */
export const mangoCallEventSchema = z.looseObject({
  entry_id: z.string().min(1),
  call_id: z.string().min(1),
  timestamp: intLike,
  seq: intLike,
  call_state: z.enum(['Appeared', 'Connected', 'OnHold', 'Disconnected']),
  location: z.enum(['ivr', 'queue', 'abonent']),
  from: party,
  to: party,
  disconnect_reason: intLike.optional(),
  command_id: z.string().optional(),
  task_id: textLike.optional(),
  callback_initiator: z.string().optional(),
  transfer: z.string().optional(), // set on legs created by a transfer (consultative | blind | return)
  dct: z.looseObject({ number: textLike.optional(), type: intLike.optional() }).optional(),
});

/** /events/summary: the whole call (entry) after it ended. */
export const mangoSummarySchema = z.looseObject({
  entry_id: z.string().min(1),
  call_direction: intLike, // 0 internal, 1 inbound, 2 outbound
  from: party,
  to: party,
  line_number: textLike.optional(),
  create_time: intLike,
  forward_time: intLike,
  talk_time: intLike, // 0 when nobody answered
  end_time: intLike,
  entry_result: intLike, // 1 answered, 0 not
  disconnect_reason: intLike,
});

/** /events/recording: recording progress for a leg. */
export const mangoRecordingSchema = z.looseObject({
  recording_id: z.string().min(1),
  recording_state: z.enum(['Started', 'Continued', 'Completed']),
  entry_id: z.string().min(1),
  call_id: z.string().min(1),
  extension: textLike.optional(),
  timestamp: intLike.optional(),
  seq: intLike.optional(),
  completion_code: intLike.optional(),
});

/** /events/record/added: the recording file is ready to fetch (queries/recording/post). */
export const mangoRecordAddedSchema = z.looseObject({
  entry_id: z.string().min(1),
  recording_id: z.string().min(1),
  product_id: textLike.optional(),
  timestamp: intLike.optional(),
});

export const mangoEndpoints = {
  call: mangoCallEventSchema,
  summary: mangoSummarySchema,
  recording: mangoRecordingSchema,
  'record/added': mangoRecordAddedSchema,
} as const;
export type MangoEndpoint = keyof typeof mangoEndpoints;

export type MangoCallEvent = z.infer<typeof mangoCallEventSchema>;
export type MangoSummary = z.infer<typeof mangoSummarySchema>;
export type MangoRecording = z.infer<typeof mangoRecordingSchema>;
export type MangoRecordAdded = z.infer<typeof mangoRecordAddedSchema>;

export type MangoWebhook =
  | { endpoint: 'call'; data: MangoCallEvent }
  | { endpoint: 'summary'; data: MangoSummary }
  | { endpoint: 'recording'; data: MangoRecording }
  | { endpoint: 'record/added'; data: MangoRecordAdded };

/** The json text of an already verified form → parsed, or a ZodError naming the fields (also for bad JSON). */
export function parseMangoJson(endpoint: MangoEndpoint, jsonText: string): MangoWebhook {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch {
    throw new z.ZodError([{ code: 'custom', path: ['json'], message: 'not valid JSON', input: jsonText }]);
  }
  return { endpoint, data: mangoEndpoints[endpoint].parse(value) } as MangoWebhook;
}
