// Mango webhook → ExternalCallEvent[]. Pure: no clock, no I/O.
//
// /events/call (per leg; `to` is the employee on `abonent` legs):
// - inbound = the leg comes from an outside number (from.number, no
//   from.extension); legs started by an employee (outbound, internal) → [].
// - Appeared: call.incoming (every leg re-states it; eventKey collapses the
//   repeats), and on an `abonent` leg call.ringing for the employee; a leg
//   created by a transfer (`transfer` set) also gives call.transferred.
// - Connected on an `abonent` leg: call.answered. IVR/queue answering is not.
// - OnHold, Disconnected: [] (a leg ends when another employee answers; the
//   call's end is /events/summary).
// /events/summary (call_direction 1 = inbound): call.ended at end_time,
//   answered when entry_result = 1 (duration end_time - talk_time), else missed.
// /events/recording Completed and /events/record/added: call.recording with
//   the recording_id (same eventKey, so the pair is one event).
import type { CallResult, ExternalCallEvent, TranslateOptions } from '../external-events.js';
import { agent, callerNumber, unixToIso } from '../shared.js';
import type { MangoCallEvent, MangoWebhook } from './schema.js';

const isInbound = (e: MangoCallEvent): boolean => Boolean(e.from.number) && !e.from.extension;

export function translateMango(msg: MangoWebhook, opts: TranslateOptions): ExternalCallEvent[] {
  const source = `mango:${opts.account}`;
  switch (msg.endpoint) {
    case 'call': {
      const e = msg.data;
      if (!isInbound(e)) return [];
      const externalId = e.entry_id;
      const at = unixToIso(e.timestamp);
      const employee = agent({ extension: e.to.extension, number: e.to.number });
      const onEmployee = e.location === 'abonent' && Boolean(employee.extension || employee.number);
      if (e.call_state === 'Appeared') {
        const out: ExternalCallEvent[] = [{
          kind: 'call.incoming', source, externalId, at,
          caller: callerNumber(e.from.number), did: callerNumber(e.to.line_number),
        }];
        if (onEmployee && e.transfer) out.push({ kind: 'call.transferred', source, externalId, at, to: employee });
        if (onEmployee) out.push({ kind: 'call.ringing', source, externalId, at, agent: employee });
        return out;
      }
      if (e.call_state === 'Connected' && onEmployee) return [{ kind: 'call.answered', source, externalId, at, agent: employee }];
      return [];
    }
    case 'summary': {
      const s = msg.data;
      if (s.call_direction !== 1) return [];
      const answered = s.entry_result === 1 && s.talk_time > 0;
      const result: CallResult = answered ? 'answered' : 'missed';
      return [{
        kind: 'call.ended', source, externalId: s.entry_id, at: unixToIso(s.end_time), result,
        durationSec: answered ? Math.max(0, s.end_time - s.talk_time) : null,
      }];
    }
    case 'recording': {
      const r = msg.data;
      if (r.recording_state !== 'Completed') return [];
      const at = r.timestamp !== undefined ? unixToIso(r.timestamp) : opts.receivedAt;
      return [{ kind: 'call.recording', source, externalId: r.entry_id, at, recording: { vendorRecordingId: r.recording_id } }];
    }
    case 'record/added': {
      const r = msg.data;
      const at = r.timestamp !== undefined ? unixToIso(r.timestamp) : opts.receivedAt;
      return [{ kind: 'call.recording', source, externalId: r.entry_id, at, recording: { vendorRecordingId: r.recording_id } }];
    }
  }
}
