// Formatting of phones, times and durations for people.
import { t } from '../i18n/index.ts';

/** 79161234567 → +7 916 123-45-67; other shapes are left as they are. */
export function formatPhone(raw: string | null | undefined): string {
  if (!raw) return '';
  const d = raw.replace(/\D/g, '');
  if (d.length === 11 && (d.startsWith('7') || d.startsWith('8'))) {
    return `+7 ${d.slice(1, 4)} ${d.slice(4, 7)}-${d.slice(7, 9)}-${d.slice(9, 11)}`;
  }
  if (d.length === 10) return `+7 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8, 10)}`;
  return raw;
}

const timeFmt = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });

/** Time today, or date and time otherwise. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const now = new Date();
  return d.toDateString() === now.toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return '';
  return t.duration(Math.max(0, sec));
}

export function outcomeLabel(outcome: string | null | undefined): string {
  if (!outcome) return t.outcome.active ?? '';
  return t.outcome[outcome] ?? outcome;
}

/** Local midnight today as an ISO string with offset (the API wants an offset). */
export function localMidnightIso(now = new Date()): string {
  const m = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return m.toISOString();
}

export function fullAddress(address: string, flat: string | null | undefined): string {
  return flat ? `${address}, ${t.card.flat} ${flat}` : address;
}
