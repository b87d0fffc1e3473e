// What a request's placeholders become in its «Заявка»: dates in the
// company's time zone, a dash for what is not known.
import type { DocumentData } from './repository.js';
import type { Values } from './template.js';

const fmts = new Map<string, Intl.DateTimeFormat>();
/** «02.12.2026 09:41» in `tz`. */
export function localDateTime(iso: string | null, tz: string): string {
  if (!iso) return '—';
  let f = fmts.get(tz);
  if (!f) fmts.set(tz, (f = new Intl.DateTimeFormat('ru-RU', { timeZone: tz, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(new Date(iso)).replace(',', '');
}

const dash = (s: string | null | undefined) => (s && s.trim() ? s : '—');

/** 79161234567 → +7 916 123-45-67; other shapes as they are. */
export function printPhone(raw: string | null): string {
  const d = (raw ?? '').replace(/\D/g, '');
  if (d.length === 11 && /^[78]/.test(d)) return `+7 ${d.slice(1, 4)} ${d.slice(4, 7)}-${d.slice(7, 9)}-${d.slice(9)}`;
  return dash(raw);
}

export function valuesOf(d: DocumentData, o: { now: Date; timeZone: string; stageName: string }): Values {
  return {
    number: d.number,
    received: localDateTime(d.createdAt, o.timeZone),
    address: d.address,
    flat: dash(d.flat),
    caller: d.anonymousCallerId !== null ? `Аноним № ${d.anonymousCallerId}` : dash(d.callerName),
    phone: printPhone(d.callerPhone),
    description: d.description,
    category: d.categoryName,
    kind: d.kind === 'emergency' ? 'аварийная' : 'плановая',
    executor: dash(d.assigneeName),
    deadline: localDateTime(d.dueAt, o.timeZone),
    company: d.tenantName,
    dispatcher: d.createdByName,
    handed: localDateTime(d.handedAt, o.timeZone),
    stage: o.stageName,
    printed: localDateTime(o.now.toISOString(), o.timeZone),
  };
}

/** Made-up values for the template editor's preview. */
export function sampleValues(company: string, now: Date, timeZone: string): Values {
  const at = localDateTime(now.toISOString(), timeZone);
  return {
    number: '2026-000123', received: at, address: 'ул. Примерная, д. 1', flat: '12', caller: 'Иванова Анна Петровна', phone: '+79001234567',
    description: 'Течь стояка горячей воды в ванной, вода капает на пол.', category: 'Авария на внутридомовых сетях водоснабжения (локализация)',
    kind: 'аварийная', executor: 'Петров Иван Сергеевич', deadline: at, company, dispatcher: 'Сидорова Мария', handed: at, stage: 'Передана исполнителю', printed: at,
  };
}
