// What a template's placeholders are filled with for one request. {ссылка}
// stays as written in the draft: the status link is made when the reply is
// actually sent (only a hash of it is stored, and a new link replaces the old).
import type { Ticket } from '../../features/tickets/types.js';
import type { PlaceholderValues } from '../../domain/reply-template.js';

export const LINK = '{ссылка}';

export interface RequestFacts {
  ticket: Ticket;
  stageName: string;
  assigneeName: string | null;
  /** The account holder when the request has an account. */
  holderName: string | null;
}

export function placeholderValues(f: RequestFacts, timeZone: string): PlaceholderValues {
  const when = new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
  const t = f.ticket;
  return {
    номер: t.number,
    адрес: t.flat ? `${t.address}, кв. ${t.flat}` : t.address,
    категория: t.category.name,
    срок: t.dueAt ? when.format(new Date(t.dueAt)) : 'не установлен',
    исполнитель: f.assigneeName ?? 'не назначен',
    статус: f.stageName,
    ссылка: LINK,
    имя: t.callerName?.trim() || f.holderName || 'житель',
    лс: t.accountNumber ?? 'не указан',
    компания: t.tenantName,
    дата: day.format(new Date(t.createdAt)),
  };
}
