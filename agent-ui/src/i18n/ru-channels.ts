// Strings of the channels on the console's request page: the conversation
// with the resident («Переписка») and the resident's ratings.
export const ch = {
  title: 'Переписка',
  empty: 'Сообщений нет.',
  incoming: 'Житель',
  outgoing: 'Ответ',
  channels: { web: 'веб-форма', email: 'эл. почта', telegram: 'Telegram', console: 'пульт' } as Record<string, string>,
  rating: (score: number) => `Оценка жителя: ${score} из 5`,
  questionsLeft: 'остались вопросы',
  reopened: 'заявка возвращена в работу',
  write: 'Сообщение жителю (видно на странице статуса заявки)',
  send: 'Отправить',
  empty_text: 'Введите текст сообщения',
  failed: 'Не удалось выполнить запрос',
  statusLink: 'Ссылка для жителя',
  statusLinkHint: 'Новая личная ссылка на страницу статуса заявки (прежняя перестанет работать)',
  statusLinkMade: (url: string) => `Ссылка для жителя (скопирована): ${url}`,
};
