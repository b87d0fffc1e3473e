// The booked visit as people read it: «14:00–15:00» today, «10.03, 14:00–15:00» another day.
import { rb } from '../i18n/ru-booking.ts';

const time = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit' });
const date = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit' });
const weekday = new Intl.DateTimeFormat('ru-RU', { weekday: 'short' });

export interface VisitTime { start: string; end: string }

export function visitWhen(v: VisitTime, now = new Date()): string {
  const s = new Date(v.start);
  const span = `${time.format(s)}–${time.format(new Date(v.end))}`;
  return s.toDateString() === now.toDateString() ? span : `${date.format(s)} (${weekday.format(s)}), ${span}`;
}

export const visitLine = (v: VisitTime, now = new Date()): string => rb.visitLine(visitWhen(v, now));
