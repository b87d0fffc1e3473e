// Small SQL helpers shared by the feature's repositories.
import { stmt, type Db } from '../../store/db.js';

export const ph = (xs: unknown[]): string => xs.map(() => '?').join(',');
export const ids = (db: Db, sql: string, ...args: unknown[]): number[] => stmt(db, sql).pluck().all(...args) as number[];
