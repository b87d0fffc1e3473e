// The directory import under way (one at a time) and the last one finished,
// for the admin page's progress bar: GET /api/directory/import/status.
import { randomUUID } from 'node:crypto';
import type { ImportProgress, ImportReport } from './import.js';

export interface ImportStatus {
  id: string;
  state: 'running' | 'done' | 'failed';
  phase: 'rows' | 'indexes';
  startedAt: string;
  finishedAt: string | null;
  by: string;
  rows: number;
  bytes: number;
  totalBytes: number | null;
  report: ImportReport | null;
  error: string | null;
}

export class ImportTracker {
  private current: ImportStatus | null = null;

  get running(): boolean {
    return this.current?.state === 'running';
  }

  /** Starts tracking a new import; null when one is already running. */
  start(by: string, totalBytes: number | null, now = new Date()): ImportStatus | null {
    if (this.running) return null;
    this.current = { id: randomUUID(), state: 'running', phase: 'rows', startedAt: now.toISOString(), finishedAt: null, by, rows: 0, bytes: 0, totalBytes, report: null, error: null };
    return this.current;
  }

  progress(p: ImportProgress): void {
    if (!this.current) return;
    this.current.rows = p.rows;
    this.current.bytes = p.bytes;
    this.current.phase = p.phase ?? 'rows';
  }

  finish(report: ImportReport, now = new Date()): void {
    if (!this.current) return;
    Object.assign(this.current, { state: 'done', finishedAt: now.toISOString(), report, rows: report.total });
  }

  fail(error: string, now = new Date()): void {
    if (!this.current) return;
    Object.assign(this.current, { state: 'failed', finishedAt: now.toISOString(), error });
  }

  status(): ImportStatus | null {
    return this.current;
  }
}
