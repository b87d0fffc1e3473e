// What an imported row must look like: the fields, the header names
// recognised for them, the zod schema whose messages the row report shows,
// and the mapping of a CSV header onto the fields.
import { z } from 'zod';
import { normalizePhone } from '../../domain/phone.js';
import { textKey } from './keys.js';

export const importFields = ['accountNumber', 'holderName', 'tenant', 'city', 'street', 'house', 'block', 'flat', 'fiasId', 'phones', 'status', 'lat', 'lon', 'emails'] as const;
export type ImportField = (typeof importFields)[number];
/** Our field ← the CSV header name. */
export type ImportMapping = Partial<Record<ImportField, string>>;

const requiredFields: ImportField[] = ['accountNumber', 'holderName', 'tenant', 'street', 'house'];

/** Header names recognised without a mapping (compared after lowercasing, ё → е, punctuation removed). */
const aliases: Record<ImportField, string[]> = {
  accountNumber: ['accountNumber', 'account_number', 'account', 'ЛС', 'Л/С', 'Лицевой счет', 'Лицевой счёт', 'Номер ЛС', 'Номер лицевого счета'],
  holderName: ['holderName', 'holder', 'ФИО', 'Владелец', 'Абонент', 'Собственник', 'Плательщик', 'ФИО абонента'],
  tenant: ['tenant', 'УК', 'Управляющая компания', 'Организация', 'ТСЖ'],
  city: ['city', 'Город', 'Населенный пункт', 'НП'],
  street: ['street', 'Улица'],
  house: ['house', 'Дом', 'Номер дома'],
  block: ['block', 'Корпус', 'Корп', 'Строение'],
  flat: ['flat', 'Квартира', 'Кв', 'Помещение'],
  fiasId: ['fiasId', 'fias', 'ФИАС', 'Код ФИАС', 'GUID дома', 'ГАР'],
  phones: ['phones', 'phone', 'Телефон', 'Телефоны', 'Тел'],
  status: ['status', 'Статус', 'Состояние'],
  lat: ['lat', 'latitude', 'Широта'],
  lon: ['lon', 'lng', 'longitude', 'Долгота'],
  emails: ['emails', 'email', 'e-mail', 'Эл. почта', 'Электронная почта', 'Адрес эл. почты'],
};

/** The header lacks a mapped or required column: nothing was imported. */
export class ImportMappingError extends Error {
  constructor(message: string, readonly missing: { field: ImportField; column: string | null }[], readonly header: string[]) {
    super(message);
  }
}

export const statusWords: Record<string, 'active' | 'closed'> = {
  '': 'active', active: 'active', открыт: 'active', действует: 'active', действующий: 'active', активен: 'active', активный: 'active', '1': 'active',
  closed: 'closed', закрыт: 'closed', закрытый: 'closed', неактивен: 'closed', '0': 'closed',
};

/**
 * A cell's e-mail addresses («a@x.ru; b@y.ru»): lowercased, each checked,
 * duplicates dropped, sorted. Shared by the schema and the fast path
 * (fast-row.ts), so both give the same list. An empty cell is no address.
 */
export function splitEmails(v: string): { emails: string[]; bad: string[] } {
  const emails: string[] = [];
  const bad: string[] = [];
  if (v.trim() === '') return { emails, bad };
  for (const part of v.split(/[,;]/)) {
    const e = part.trim().toLowerCase();
    if (!e) continue;
    if (e.length > 254 || !z.regexes.email.test(e)) bad.push(part.trim());
    else if (!emails.includes(e)) emails.push(e);
  }
  return { emails: emails.length > 1 ? emails.sort() : emails, bad };
}

const cell = (max: number, label: string) => z.string().trim().max(max, `${label} длиннее ${max} символов`);
const required = (max: number, label: string) => cell(max, label).min(1, `${label}: пустое значение`);

/** An optional decimal degree (a comma as the decimal sign is accepted); empty = unknown. */
function coordinate(limit: number, label: string) {
  return z.string().trim().transform((v, ctx) => {
    if (v === '') return null;
    const n = /^[-+]?\d{1,3}([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit) {
      ctx.addIssue({ code: 'custom', message: `${label} «${v}»: нужно число градусов от −${limit} до ${limit}` });
      return null;
    }
    return n;
  });
}

export const importRowSchema = z.object({
  accountNumber: required(32, 'номер ЛС').regex(/^[\p{L}\p{N}\-/.]*$/u, 'номер ЛС: допустимы буквы, цифры, «-», «/», «.»'),
  holderName: required(300, 'ФИО'),
  tenant: required(200, 'УК'),
  city: cell(100, 'город'),
  street: required(200, 'улица'),
  house: required(20, 'дом'),
  block: cell(20, 'корпус').transform((v) => v || null),
  flat: cell(20, 'квартира').transform((v) => v || null),
  fiasId: cell(36, 'код ФИАС')
    .refine((v) => v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v), 'код ФИАС должен быть GUID вида xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx')
    .transform((v) => (v ? v.toLowerCase() : null)),
  phones: z.string().transform((v, ctx) => {
    const out: string[] = [];
    for (const part of v.split(/[,;]/)) {
      if (!part.trim()) continue;
      const n = normalizePhone(part);
      if (!n || n.length !== 11 || !n.startsWith('7')) {
        ctx.addIssue({ code: 'custom', message: `телефон «${part.trim()}» не распознан: нужен российский номер из 10–11 цифр` });
        continue;
      }
      if (!out.includes(n)) out.push(n);
    }
    return out.sort();
  }),
  status: z.string().transform((v, ctx) => {
    const s = statusWords[textKey(v)];
    if (!s) ctx.addIssue({ code: 'custom', message: `статус «${v}» не распознан: active/closed, открыт/закрыт` });
    return s ?? 'active';
  }),
  lat: coordinate(90, 'широта'),
  lon: coordinate(180, 'долгота'),
  emails: z.string().transform((v, ctx) => {
    const { emails, bad } = splitEmails(v);
    for (const b of bad) ctx.addIssue({ code: 'custom', message: `эл. почта «${b.length > 60 ? `${b.slice(0, 60)}…` : b}» не распознана: нужен адрес вида name@example.ru` });
    return emails;
  }),
}).superRefine((a, ctx) => {
  if ((a.lat === null) !== (a.lon === null)) ctx.addIssue({ code: 'custom', path: [a.lat === null ? 'lat' : 'lon'], message: 'координаты дома: нужны и широта, и долгота' });
});

/** The header as echoed back in an error: at most 30 columns of at most 60 characters each. */
export function echoHeader(header: string[]): string[] {
  const cut = (h: string) => (h.length > 60 ? `${h.slice(0, 60)}…` : h);
  const shown = header.slice(0, 30).map(cut);
  if (header.length > 30) shown.push(`… и ещё ${header.length - 30}`);
  return shown;
}

/** Column index of each mapped field; throws ImportMappingError when one is missing. */
export function resolveColumns(header: string[], o: { mapping?: ImportMapping; defaultTenant?: string } = {}): Partial<Record<ImportField, number>> {
  const keys = header.map((h) => textKey(h));
  const find = (name: string) => {
    const exact = header.findIndex((h) => h.trim() === name.trim());
    return exact >= 0 ? exact : keys.indexOf(textKey(name));
  };
  const cols: Partial<Record<ImportField, number>> = {};
  const missing: { field: ImportField; column: string | null }[] = [];
  for (const f of importFields) {
    const mapped = o.mapping?.[f];
    if (mapped !== undefined) {
      const i = find(mapped);
      if (i < 0) missing.push({ field: f, column: mapped });
      else cols[f] = i;
      continue;
    }
    for (const a of aliases[f]) {
      const i = find(a);
      if (i >= 0) { cols[f] = i; break; }
    }
    if (cols[f] === undefined && requiredFields.includes(f) && !(f === 'tenant' && o.defaultTenant)) missing.push({ field: f, column: null });
  }
  if (missing.length > 0) {
    const what = missing.map((m) => (m.column !== null ? `«${m.column}» (поле ${m.field})` : `для поля ${m.field} (ожидается один из: ${aliases[m.field].slice(1, 4).join(', ')})`));
    const shown = echoHeader(header);
    throw new ImportMappingError(`в заголовке CSV нет столбца ${what.join('; ')}. Столбцы файла: ${shown.join(', ')}`, missing, shown);
  }
  return cols;
}
