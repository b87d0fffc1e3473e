// Imports the calls the dialplan fallback took while Pult was not connected
// (dialplan/extensions.conf [pult-fallback-log] appends one line per call to
// PULT_FALLBACK_CDR_FILE). Runs at start and on every ARI (re)connect; a call
// is imported once, keyed by its caller channel's uniqueid, so re-reading the
// whole file is harmless. The recordings are fetched over ARI like Pult's own
// (moved into PULT_RECORDINGS_DIR, duration from the WAV header); only the log
// file needs to be readable here: with Asterisk on another machine, share its
// log folder (or just this file) with Pult's host, read-only is enough.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import type { LineRepository } from '../lines/repository.js';
import type { RecordingService } from '../recordings/service.js';
import { fallbackAnsweredAt, fallbackOutcome, parseFallbackLine, type FallbackRecord } from './record.js';
import type { FallbackImportRepository } from './repository.js';

export interface FallbackImportReport {
  imported: number;
  known: number;
  malformed: number;
}

/** How long after a call's end its MixMonitor file is surely closed. */
const RECORDING_SETTLE_MS = 3000;

export class FallbackImport {
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly file: string,
    private readonly repo: FallbackImportRepository,
    private readonly lines: LineRepository,
    private readonly recordings: RecordingService,
    private readonly events: CallEvents,
    private readonly logger: Logger,
  ) {}

  /** Reads the whole log and imports what is new. Synchronous: two runs never interleave. */
  run(): FallbackImportReport {
    const report: FallbackImportReport = { imported: 0, known: 0, malformed: 0 };
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn('cannot read the fallback call log', { file: this.file, err });
      return report; // no fallback call yet
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      const rec = parseFallbackLine(raw);
      if (!rec) {
        report.malformed++;
        continue;
      }
      try {
        if (this.importOne(rec)) report.imported++;
        else report.known++;
      } catch (err) {
        this.logger.error('fallback call not imported', { uniqueId: rec.uniqueId, err });
      }
    }
    if (report.imported || report.malformed) this.logger.info('fallback calls imported', { file: this.file, ...report });
    return report;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private importOne(rec: FallbackRecord): boolean {
    if (this.repo.known(rec.uniqueId)) return false;
    const line = this.lines.findByDid(rec.did) ?? this.lines.defaultLine();
    const outcome = fallbackOutcome(rec);
    const answeredAt = fallbackAnsweredAt(rec);
    const callId = randomUUID();
    const arrivedAt = rec.startedAt.toISOString();
    const endedAt = rec.endedAt.toISOString();
    const done = this.repo.importCall({
      callId, uniqueId: rec.uniqueId, lineId: line?.id ?? null, did: rec.did, callerNumber: rec.callerNumber, arrivedAt, endedAt, outcome,
      answer: answeredAt ? { at: answeredAt.toISOString(), number: rec.answeredNumber } : null,
      recordingName: rec.recordingName,
    });
    if (!done) return false;
    // After the commit: the wallboard and the consoles see the call like any other.
    this.events.emit('call.arrived', { callId, lineId: line?.id ?? null, did: rec.did, caller: rec.callerNumber, at: arrivedAt });
    this.events.emit('call.overflowed', { callId, reason: 'pult-down', at: arrivedAt });
    if (answeredAt) this.events.emit('call.answered', { callId, userId: done.answeredBy, via: 'mobile', at: answeredAt.toISOString() });
    this.events.emit('call.ended', { callId, outcome, reason: 'fallback', at: endedAt });
    if (done.callback) this.events.emit('callback.created', { callId, caller: rec.callerNumber, reason: outcome, at: endedAt });
    // MixMonitor closes its file just after the hangup: a call that ended this
    // very moment has its recording fetched a little later.
    const sinceEndMs = Date.now() - rec.endedAt.getTime();
    if (sinceEndMs >= RECORDING_SETTLE_MS) this.recordings.fetch(rec.recordingName);
    else {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.recordings.fetch(rec.recordingName);
      }, RECORDING_SETTLE_MS - sinceEndMs);
      this.timers.add(t);
    }
    this.logger.info('fallback call imported', { callId, uniqueId: rec.uniqueId, outcome, did: rec.did });
    return true;
  }
}
