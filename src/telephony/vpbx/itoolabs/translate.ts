// itoolabs webhook → ExternalCallEvent[]. Pure: no clock, no I/O.
//
// - cmd=event INCOMING (in): call.incoming + call.ringing for the employee
//   being rung (one INCOMING per employee leg; repeats collapse by eventKey).
// - ACCEPTED (in): call.answered. TRANSFERRED: call.transferred to user/ext.
// - COMPLETED / CANCELLED are per employee leg (CANCELLED also means "another
//   employee answered"), so they are not the end of the call: [].
// - cmd=history (in): call.ended from `status`, plus call.recording when
//   `link` is set. `at` = start + duration (the PBX sends no end time).
// - cmd=event has no time field: its `at` is opts.receivedAt.
// - Outbound (direction=out, OUTGOING, history type=out), contact, rating: [].
import type { ExternalCallEvent, CallResult, TranslateOptions } from '../external-events.js';
import { agent, callerNumber, hasAgent } from '../shared.js';
import type { ItoolabsHistory, ItoolabsWebhook } from './schema.js';

const results: Record<ItoolabsHistory['status'], CallResult> = {
  Success: 'answered',
  Missed: 'missed',
  Cancel: 'missed', // the caller hung up before anybody answered
  Busy: 'busy',
  NotAvailable: 'failed',
  NotAllowed: 'failed',
  NotFound: 'failed',
};

/** '20170703T121110Z' → '2017-07-03T12:11:10.000Z'. */
export function itoolabsTimeToIso(start: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(start);
  if (!m) throw new Error(`not an itoolabs time: ${start}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`).toISOString();
}

export function translateItoolabs(msg: ItoolabsWebhook, opts: TranslateOptions): ExternalCallEvent[] {
  const source = `itoolabs:${opts.account}`;
  const externalId = msg.callid;

  if (msg.cmd === 'event') {
    if (msg.direction !== 'in' || msg.type === 'OUTGOING') return [];
    const at = opts.receivedAt;
    const who = agent({ pbxLogin: msg.user, extension: msg.ext, number: msg.telnum });
    switch (msg.type) {
      case 'INCOMING': {
        const out: ExternalCallEvent[] = [
          { kind: 'call.incoming', source, externalId, caller: callerNumber(msg.phone), did: callerNumber(msg.diversion), at },
        ];
        if (hasAgent(who)) out.push({ kind: 'call.ringing', source, externalId, at, agent: who });
        return out;
      }
      case 'ACCEPTED':
        return [{ kind: 'call.answered', source, externalId, at, agent: who }];
      case 'TRANSFERRED':
        return hasAgent(who) ? [{ kind: 'call.transferred', source, externalId, at, to: who }] : [];
      default:
        return [];
    }
  }

  if (msg.cmd === 'history') {
    if (msg.type !== 'in') return [];
    const startMs = Date.parse(itoolabsTimeToIso(msg.start));
    const at = new Date(startMs + msg.duration * 1000).toISOString();
    const result = results[msg.status];
    const out: ExternalCallEvent[] = [
      { kind: 'call.ended', source, externalId, at, result, durationSec: result === 'answered' ? msg.duration : null },
    ];
    if (msg.link) out.push({ kind: 'call.recording', source, externalId, at, recording: { url: msg.link } });
    return out;
  }

  return [];
}

/** The caller's post-call rating (cmd=rating): which call, the score, the employee rated. Null when the score is not a whole number 1–10. */
export function itoolabsRating(msg: Extract<ItoolabsWebhook, { cmd: 'rating' }>, opts: Pick<TranslateOptions, 'account'>): { source: string; externalId: string; score: number; agent: string | null } | null {
  const score = /^\s*\d{1,2}\s*$/.test(msg.rating) ? Number(msg.rating) : NaN;
  if (!Number.isInteger(score) || score < 1 || score > 10) return null;
  return { source: `itoolabs:${opts.account}`, externalId: msg.callid, score, agent: msg.user || msg.ext || null };
}
