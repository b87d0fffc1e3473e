// Strings of the executor's phone page (/x/): the executor's requests, the
// card, the four actions, photos, change proposals, reminders.
const plural = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  return m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
};

/** «2 ч 05 мин» / «45 мин» / «3 дн 4 ч». */
function span(min: number): string {
  if (min < 60) return `${min} мин`;
  if (min < 24 * 60) return `${Math.floor(min / 60)} ч ${String(min % 60).padStart(2, '0')} мин`;
  return `${Math.floor(min / 1440)} дн ${Math.floor((min % 1440) / 60)} ч`;
}

export const x = {
  title: 'Пульт — мои заявки',
  subtitle: 'Вход для исполнителя',
  heading: 'Мои заявки',
  logout: 'Выйти',
  refresh: 'Обновить',
  empty: 'Заявок нет. Новые появятся здесь сами.',
  notExecutor: 'Эта страница — для исполнителей. Войдите под логином исполнителя.',
  loadFailed: 'Не удалось загрузить заявки. Повторим автоматически.',
  offline: 'Нет связи. Действия сохранены и будут отправлены, когда связь появится.',
  pending: (n: number) => `Ожидают отправки: ${n} ${plural(n, 'действие', 'действия', 'действий')}`,
  kind: { emergency: 'Аварийная', planned: 'Плановая' } as Record<string, string>,
  left: (min: number) => `осталось ${span(min)}`,
  late: (min: number) => `просрочена на ${span(min)}`,
  noDeadline: 'без срока',
  reported: 'ждёт проверки диспетчера',
  postponedUntil: (d: string) => `отложена до ${d}`,
  attention: { accept: 'Примите заявку', report: 'Сообщите о выполнении' } as Record<string, string>,
  back: '← Назад',
  flat: (f: string) => `кв. ${f}`,
  caller: 'Заявитель',
  call: (phone: string) => `Позвонить ${phone}`,
  noPhone: 'телефон не указан',
  description: 'Что случилось',
  category: 'Категория',
  company: 'Компания',
  recording: 'Запись звонка',
  photos: 'Фото',
  noPhotos: 'Фото пока нет',
  addPhotos: 'Сфотографировать / добавить фото',
  uploading: (n: number) => `Загружаем фото: ${n}…`,
  uploadRetry: 'Нет связи: повторим загрузку фото…',
  uploadFailed: (msg: string) => `Фото не загружено: ${msg}`,
  tooLarge: 'файл больше 10 МБ',
  notPhoto: 'это не фото (можно JPEG, PNG, WebP)',
  result: 'Результат',
  reason: 'Причина',
  actions: {
    accept: 'Принять',
    impossible: 'Невозможно выполнить',
    postpone: 'Отложить',
    done: 'Выполнено',
  } as Record<string, string>,
  form: {
    reason: 'Причина',
    reasonHint: 'Например: нет доступа в квартиру',
    until: 'Отложить до',
    result: 'Что сделано',
    resultHint: 'Например: заменён участок стояка, течь устранена',
    photosHint: 'Можно несколько фото, каждое до 10 МБ.',
    send: 'Отправить',
    cancel: 'Отмена',
    required: 'Заполните это поле',
    futureDate: 'Укажите время в будущем',
  },
  queued: 'Сохранено. Отправим, как только будет связь.',
  applied: (what: string) => `Готово: ${what}`,
  refused: (msg: string) => `Не принято сервером: ${msg}`,
  proposals: 'Изменения к заказу',
  propose: 'Предложить изменение',
  proposalText: 'Что изменить',
  proposalHint: 'Например: заказано 3 счётчика, нужно 2',
  itemName: 'Что (необязательно)',
  ordered: 'Заказано',
  needed: 'Нужно',
  proposalStatus: { pending: 'ждёт решения диспетчера', confirmed: 'подтверждено', rejected: 'отклонено' } as Record<string, string>,
  reminder: (n: number) => `Напоминание: ${n} ${plural(n, 'заявка ждёт', 'заявки ждут', 'заявок ждут')} вашего ответа`,
  reminderOk: 'Понятно',
  newAssigned: (number: string) => `Новая заявка № ${number}`,
};
