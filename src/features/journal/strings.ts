// The journal's Russian words: column titles and the values it spells out
// (files are read by people and by inspectors, so nothing is left as a code).

export const titles = {
  number: '№ заявки',
  received: 'Поступила',
  channel: 'Канал',
  registeredBy: 'Зарегистрировал',
  caller: 'Заявитель',
  phone: 'Телефон',
  address: 'Адрес',
  flat: 'Кв.',
  account: 'Лицевой счёт',
  category: 'Категория',
  subcategory: 'Подкатегория',
  kind: 'Вид',
  description: 'Содержание заявки',
  handedAt: 'Передана в работу',
  handedTo: 'Кому передана (исполнитель)',
  acceptedAt: 'Принята исполнителем',
  doneAt: 'Выполнена',
  result: 'Результат',
  closedAt: 'Закрыта',
  stage: 'Стадия',
  dueAt: 'Срок',
  deadline: 'Соблюдение срока',
  recording: 'Запись разговора',
} as const;

export const channelNames: Record<string, string> = { call: 'Телефон', 'walk-in': 'Личный приём', letter: 'Письмо', email: 'Эл. почта', web: 'Сайт', other: 'Другое', telegram: 'Telegram' };
export const kindNames: Record<string, string> = { emergency: 'Аварийная', planned: 'Плановая' };

export const deadlineWords = { met: 'в срок', late: 'нарушен', running: 'срок не истёк', none: 'без срока' } as const;

export const anonymous = (n: number) => `Аноним № ${n}`;
export const recordingText = 'Прослушать (карточка заявки)';
export const sheetName = 'Журнал заявок';
export const heading = (company: string, first: string, last: string, timeZone: string) => `Журнал заявок: ${company}, ${first} — ${last} (время: ${timeZone})`;
