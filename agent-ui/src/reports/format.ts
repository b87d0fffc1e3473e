// Figures as the reports page shows them (Russian conventions).
import { r } from '../i18n/ru-reports.ts';

export interface Share { met: number; of: number; pct: number | null }

export const num = (x: number): string => x.toLocaleString('ru-RU');
export const pct = (x: number | null): string => (x === null ? '—' : `${x.toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %`);
export const shareText = (s: Share): string => (s.of === 0 ? '—' : `${pct(s.pct)} (${r.ofCounts(s.met, s.of)})`);

/** Seconds as «45 с», «12 мин», «3 ч 05 мин», «2 сут 4 ч». */
export function dur(sec: number | null): string {
  if (sec === null) return '—';
  const s = Math.round(sec);
  if (s < 60) return `${s} с`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} мин`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} ч ${String(m % 60).padStart(2, '0')} мин`;
  return `${Math.floor(h / 24)} сут ${h % 24} ч`;
}

/** '2026-11-10' → '10.11.2026'. */
export const dateText = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** A local date (YYYY-MM-DD) in the browser's calendar, n days from `d`. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
