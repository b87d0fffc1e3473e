// A line's working hours: «круглосуточно», or per weekday a from–to span
// (empty = closed that day). Produces the API's { mon: ['08:00', '20:00'], … }.
import { h } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';

type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type WorkingHours = Partial<Record<Day, [string, string] | null>>;
const days: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function hoursEditor(current: WorkingHours | null): { el: HTMLElement; value(): WorkingHours | null } {
  const always = h('input', { type: 'checkbox', testid: 'line-hours-always', checked: current === null });
  const rows = days.map((d) => ({
    d,
    from: h('input', { class: 'input input-short', type: 'time', testid: `line-hours-${d}-from`, value: current?.[d]?.[0] ?? '' }),
    to: h('input', { class: 'input input-short', type: 'time', testid: `line-hours-${d}-to`, value: current?.[d]?.[1] ?? '' }),
  }));
  const grid = h('div', { class: 'admin-hours' }, ...rows.map((r) => h('label', { class: 'admin-hours-day' }, h('span', null, a.hours.days[r.d]), r.from, '–', r.to)));
  const sync = () => { grid.hidden = always.checked; };
  always.addEventListener('change', sync);
  sync();
  return {
    el: h('div', { class: 'field admin-field admin-hours-field' }, h('span', { class: 'label' }, a.fields.workingHours), h('label', { class: 'checkbox-field' }, always, ' ', a.hours.always), grid, h('span', { class: 'muted small' }, a.hours.hint)),
    value: () => (always.checked ? null : Object.fromEntries(rows.map((r) => [r.d, r.from.value && r.to.value ? [r.from.value, r.to.value] : null])) as WorkingHours),
  };
}
