// A line's holidays: dates on which the weekly hours do not apply — a day
// off (callers get the out-of-hours treatment, as at night) or shortened
// hours (the pre-holiday day). Produces the API's [{ date, hours, note }].
import { h } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';

export interface Holiday { date: string; hours: [string, string] | null; note: string }

export function holidaysEditor(current: Holiday[]): { el: HTMLElement; value(): Holiday[] } {
  const rows: { el: HTMLElement; value(): Holiday }[] = [];
  const list = h('div', { class: 'admin-holidays', testid: 'line-holidays' });
  const add = (x: Holiday | null) => {
    const i = rows.length;
    const date = h('input', { class: 'input input-short', type: 'date', testid: `holiday-date-${i}`, value: x?.date ?? '' });
    const short = h('input', { type: 'checkbox', testid: `holiday-short-${i}`, checked: x?.hours != null });
    const from = h('input', { class: 'input input-short', type: 'time', testid: `holiday-from-${i}`, value: x?.hours?.[0] ?? '08:00' });
    const to = h('input', { class: 'input input-short', type: 'time', testid: `holiday-to-${i}`, value: x?.hours?.[1] ?? '16:00' });
    const note = h('input', { class: 'input', testid: `holiday-note-${i}`, value: x?.note ?? '', placeholder: a.holidays.notePlaceholder, maxlength: 100 });
    const span = h('span', { class: 'admin-holiday-hours' }, from, '–', to);
    const sync = () => { span.hidden = !short.checked; };
    short.addEventListener('change', sync);
    sync();
    const row = { value: (): Holiday => ({ date: date.value, hours: short.checked ? [from.value, to.value] : null, note: note.value.trim() }), el: h('div', { class: 'admin-holiday' }) };
    const remove = h('button', { class: 'btn btn-small', type: 'button', testid: `holiday-remove-${i}`, title: a.holidays.remove, onclick: () => { rows.splice(rows.indexOf(row), 1); row.el.remove(); } }, '×');
    row.el.append(date, h('label', { class: 'checkbox-field' }, short, ' ', a.holidays.shortened), span, note, remove);
    rows.push(row);
    list.append(row.el);
  };
  for (const x of current) add(x);
  return {
    el: h('div', { class: 'field admin-field admin-hours-field' },
      h('span', { class: 'label' }, a.fields.holidays),
      list,
      h('div', null, h('button', { class: 'btn btn-small', type: 'button', testid: 'holiday-add', onclick: () => add(null) }, a.holidays.add)),
      h('span', { class: 'muted small' }, a.holidays.hint)),
    // Rows left without a date are ignored (an added row not filled in).
    value: () => rows.map((r) => r.value()).filter((x) => x.date),
  };
}
