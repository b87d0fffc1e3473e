// Zadarma webhook → ExternalCallEvent[]. Pure: no clock, no I/O.
//
// - NOTIFY_START: call.incoming at call_start.
// - NOTIFY_INTERNAL: call.incoming again (collapses by eventKey; covers a lost
//   NOTIFY_START) + call.ringing for the extension.
// - NOTIFY_ANSWER: call.answered (extension `internal`, else the destination
//   number — a call forwarded to a mobile).
// - NOTIFY_END: call.ended from `disposition`.
// - NOTIFY_RECORD: call.recording with call_id_with_rec.
// - NOTIFY_OUT_*: outbound, [].
// Zadarma has no transfer notification: a transfer shows as a second
// NOTIFY_INTERNAL / NOTIFY_ANSWER for another extension on the same
// pbx_call_id; a stateful consumer may call that a transfer.
// call_start is the CALL's start in every event; only NOTIFY_START and
// NOTIFY_INTERNAL use it as `at`, the others use opts.receivedAt.
import type { CallResult, ExternalCallEvent, TranslateOptions } from '../external-events.js';
import { agent, callerNumber, zonedLocalToIso } from '../shared.js';
import type { ZadarmaWebhook } from './schema.js';

export interface ZadarmaTranslateOptions extends TranslateOptions {
  /** The account's time zone (Zadarma: /v1/info/timezone/). Default Europe/Moscow. */
  timeZone?: string;
}

export function zadarmaResult(disposition: string): CallResult {
  switch (disposition.trim().toLowerCase()) {
    case 'answered': return 'answered';
    case 'busy': return 'busy';
    case 'cancel':
    case 'no answer': return 'missed';
    default: return 'failed'; // failed, no money, unallocated number, no limit, line limit, …
  }
}

export function translateZadarma(msg: ZadarmaWebhook, opts: ZadarmaTranslateOptions): ExternalCallEvent[] {
  const source = `zadarma:${opts.account}`;
  const externalId = msg.pbx_call_id;
  const tz = opts.timeZone ?? 'Europe/Moscow';
  const at = opts.receivedAt;
  switch (msg.event) {
    case 'NOTIFY_START':
      return [{ kind: 'call.incoming', source, externalId, caller: callerNumber(msg.caller_id), did: callerNumber(msg.called_did), at: zonedLocalToIso(msg.call_start, tz) }];
    case 'NOTIFY_INTERNAL': {
      const started = zonedLocalToIso(msg.call_start, tz);
      const out: ExternalCallEvent[] = [
        { kind: 'call.incoming', source, externalId, caller: callerNumber(msg.caller_id), did: callerNumber(msg.called_did), at: started },
      ];
      if (msg.internal) out.push({ kind: 'call.ringing', source, externalId, at, agent: { extension: msg.internal } });
      return out;
    }
    case 'NOTIFY_ANSWER': {
      const who = msg.internal ? { extension: msg.internal } : agent({ number: msg.destination });
      return [{ kind: 'call.answered', source, externalId, at, agent: who }];
    }
    case 'NOTIFY_END': {
      const result = zadarmaResult(msg.disposition);
      return [{ kind: 'call.ended', source, externalId, at, result, durationSec: result === 'answered' ? msg.duration : null }];
    }
    case 'NOTIFY_RECORD':
      return [{ kind: 'call.recording', source, externalId, at, recording: { vendorRecordingId: msg.call_id_with_rec } }];
    case 'NOTIFY_OUT_START':
    case 'NOTIFY_OUT_END':
      return [];
  }
}
