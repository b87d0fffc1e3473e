// One line of the PBX's fallback call log (dialplan/extensions.conf,
// [pult-fallback-log]): a call the dialplan handled while Pult was not
// connected. Pure parsing, no I/O.
import { z } from 'zod';

export interface FallbackRecord {
  /** The caller channel's uniqueid: the call's stable key (Pult's caller_channel_id). */
  uniqueId: string;
  linkedId: string;
  did: string;
  callerNumber: string;
  startedAt: Date;
  endedAt: Date;
  /** Asterisk's DIALSTATUS: ANSWER, NOANSWER, BUSY, CANCEL, …; '' when the caller hung up before the Dial. */
  dialStatus: string;
  /** Seconds the dialled leg talked (Dial's ANSWEREDTIME). */
  answeredSec: number;
  /** The number that answered (the mobile), '' when nobody did. */
  answeredNumber: string;
  /** The ARI stored recording, e.g. "fallback/20261202-023001-1764642601.12". */
  recordingName: string;
}

export type FallbackOutcome = 'overflowed-answered' | 'abandoned' | 'unanswered';

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
const epoch = z.string().regex(/^\d{9,11}(\.\d{1,6})?$/).transform((s) => new Date(Math.round(Number(s) * 1000)));
const line = z.tuple([
  z.literal('v1'),
  id,
  id,
  z.string().regex(/^[0-9A-Za-z+]{1,32}$/),
  z.string().regex(/^[0-9+]{0,32}$/),
  epoch,
  epoch,
  z.string().regex(/^[A-Z]{0,20}$/),
  z.string().regex(/^\d{0,7}$/).transform((s) => (s ? Number(s) : 0)),
  z.string().regex(/^[0-9+]{0,32}$/),
  z.string().regex(/^fallback\/[A-Za-z0-9._-]{1,100}$/),
]);

/** A record, or null for a line that is not one (blank, foreign, truncated by a crash). */
export function parseFallbackLine(text: string): FallbackRecord | null {
  const r = line.safeParse(text.trim().split('|'));
  if (!r.success) return null;
  const [, uniqueId, linkedId, did, callerNumber, startedAt, endedAt, dialStatus, answeredSec, answeredNumber, recordingName] = r.data;
  if (endedAt < startedAt) return null;
  return { uniqueId, linkedId, did, callerNumber, startedAt, endedAt, dialStatus, answeredSec, answeredNumber, recordingName };
}

/**
 * How the call ended: the mobile answered; the caller hung up while it rang
 * (or before); or nobody answered and the caller heard the apology.
 */
export function fallbackOutcome(r: FallbackRecord): FallbackOutcome {
  if (r.dialStatus === 'ANSWER') return 'overflowed-answered';
  if (r.dialStatus === 'CANCEL' || r.dialStatus === '') return 'abandoned';
  return 'unanswered';
}

/** When the mobile answered: the end minus the talk time (Dial gives whole seconds), never before the start. */
export function fallbackAnsweredAt(r: FallbackRecord): Date | null {
  if (r.dialStatus !== 'ANSWER') return null;
  return new Date(Math.max(r.startedAt.getTime(), r.endedAt.getTime() - r.answeredSec * 1000));
}
