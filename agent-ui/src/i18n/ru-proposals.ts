// Strings of the executors' change proposals on the dispatcher's request page.
export const pr = {
  title: 'Предложения исполнителя',
  confirm: 'Подтвердить',
  reject: 'Отклонить',
  comment: 'Комментарий к решению (необязательно)',
  ordered: 'заказано',
  needed: 'нужно',
  status: { pending: 'ждёт решения', confirmed: 'подтверждено', rejected: 'отклонено' } as Record<string, string>,
  decided: (status: string, who: string) => `${status}: ${who}`,
  done: (confirmed: boolean) => (confirmed ? 'Изменение подтверждено' : 'Изменение отклонено'),
  failed: 'Не удалось сохранить решение',
  already: 'Решение уже принято другим диспетчером',
};
