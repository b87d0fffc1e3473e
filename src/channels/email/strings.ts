// What residents read in Pult's mail (Russian): the acknowledgement and the request for a rating.
export const mailText = {
  ack: (o: { name: string | null; number: string; statusUrl: string }) =>
    [
      o.name ? `Здравствуйте, ${o.name}!` : 'Здравствуйте!',
      '',
      `Ваше обращение зарегистрировано: заявка № ${o.number}.`,
      `Следить за ходом работ: ${o.statusUrl}`,
      '',
      'Чтобы дополнить заявку, ответьте на это письмо, не меняя тему.',
    ].join('\n'),
  rateAsk: (o: { number: string; statusUrl: string | null }) =>
    [
      `Работы по заявке № ${o.number} завершены.`,
      '',
      'Оцените работу: ответьте на это письмо цифрой от 1 до 5 (5 — отлично, 1 — плохо).',
      'После цифры можно написать комментарий. Если остались вопросы, так и напишите — заявку вернут в работу.',
      ...(o.statusUrl ? ['', `Заявка: ${o.statusUrl}`] : []),
    ].join('\n'),
  rateSubject: 'Оцените работу',
  noDescription: 'Письмо без текста',
  noAddress: 'не указан',
};
