// SQL read at scrape time: open calls by line and state, and the database's size.
import { statSync } from 'node:fs';
import { stmt, type Db } from '../../store/db.js';

export interface OpenCallsRow {
  lineId: number | null;
  lineName: string | null;
  state: 'waiting' | 'overflow' | 'connected';
  n: number;
}

export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /** Calls not yet ended, counted by line and state (reads the calls_open partial index). */
  openCalls(): OpenCallsRow[] {
    return stmt(this.db, `SELECT c.line_id AS lineId, l.name AS lineName, c.state AS state, COUNT(*) AS n
      FROM calls c LEFT JOIN lines l ON l.id = c.line_id WHERE c.state <> 'ended' GROUP BY c.line_id, c.state`).all() as OpenCallsRow[];
  }

  /** Lines, so that a line with no open call shows 0 rather than disappearing. */
  lines(): { id: number; name: string }[] {
    return stmt(this.db, 'SELECT id, name FROM lines ORDER BY id').all() as { id: number; name: string }[];
  }

  /** Bytes of the main file (page_count × page_size) plus the WAL file. */
  databaseBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    let wal = 0;
    if (!this.db.memory) {
      try {
        wal = statSync(`${this.db.name}-wal`).size;
      } catch {
        wal = 0;
      }
    }
    return pages * size + wal;
  }
}
