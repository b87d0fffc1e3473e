// Writes an imported fallback call: the call, the mobile's answer, the
// recording to fetch and (unanswered / abandoned) the callback task, in one
// transaction, once per caller channel.
import { stmt, type Db } from '../../store/db.js';
import type { CallRepository } from '../calls/repository.js';
import type { FallbackOutcome } from './record.js';

export interface FallbackCall {
  callId: string;
  uniqueId: string;
  lineId: number | null;
  did: string;
  callerNumber: string;
  arrivedAt: string;
  endedAt: string;
  outcome: FallbackOutcome;
  /** Set when the mobile answered. */
  answer: { at: string; number: string } | null;
  recordingName: string;
}

export class FallbackImportRepository {
  constructor(private readonly db: Db, private readonly calls: CallRepository) {}

  /** Already in the call log (imported before, or a call Pult handled itself)? */
  known(uniqueId: string): boolean {
    return this.calls.byCallerChannel(uniqueId) !== null;
  }

  /** The overflow member of the line's group with this mobile number, if any. */
  private mobileUser(lineId: number | null, number: string): number | null {
    if (lineId === null || !number) return null;
    const row = stmt(this.db, `SELECT m.user_id AS userId FROM overflow_members m JOIN lines l ON l.overflow_group_id = m.group_id WHERE l.id = ? AND m.number = ?`)
      .get(lineId, number) as { userId: number | null } | undefined;
    return row?.userId ?? null;
  }

  /**
   * Stores the call once: false (nothing written) when its caller channel is
   * already in the log. `answeredBy` is the overflow member who took it.
   */
  importCall(c: FallbackCall): { answeredBy: number | null; callback: boolean } | null {
    return this.db.transaction(() => {
      if (this.known(c.uniqueId)) return null;
      this.calls.create({ id: c.callId, controller: 'ari', lineId: c.lineId, did: c.did, callerNumber: c.callerNumber, callerName: null, callerChannelId: c.uniqueId, arrivedAt: c.arrivedAt });
      // The dialplan dialled the fallback number at once: the call was overflowed from the start.
      this.calls.markOverflow(c.callId, c.arrivedAt, 'pult-down');
      let answeredBy: number | null = null;
      if (c.answer) {
        answeredBy = this.mobileUser(c.lineId, c.answer.number);
        const channelId = `${c.uniqueId}-fallback`;
        this.calls.addOffer({ callId: c.callId, channelId, targetKind: 'mobile', userId: answeredBy, target: c.answer.number, offeredAt: c.arrivedAt });
        this.calls.connect(c.callId, { bridgeId: 'fallback', answeredAt: c.answer.at, answeredBy, answeredVia: 'mobile', answeredChannelId: channelId, answeredNumber: c.answer.number });
      }
      this.calls.startRecording(c.callId, c.recordingName, 'wav', c.arrivedAt);
      // end() adds the callback task of an abandoned / unanswered call in this same transaction.
      this.calls.end(c.callId, { endedAt: c.endedAt, outcome: c.outcome, endReason: 'fallback' });
      return { answeredBy, callback: c.outcome !== 'overflowed-answered' };
    })();
  }
}
