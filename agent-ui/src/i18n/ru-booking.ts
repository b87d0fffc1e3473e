// Strings of online booking (the visit on cards and the request page, the
// slot picker of the residents' form) and of the billing link.
export const rb = {
  visit: 'Визит',
  /** «Визит: 14:00–15:00» today, «Визит: 10.03, 14:00–15:00» another day. */
  visitLine: (when: string) => `Визит: ${when}`,
  visitNone: 'Визит не назначен',
  visitExecutor: (name: string) => `исполнитель: ${name}`,
  reschedule: 'Перенести',
  cancelVisit: 'Отменить визит',
  cancelConfirm: 'Отменить визит? Время освободится для других жителей.',
  book: 'Назначить визит',
  pickSlot: 'Новое время',
  noSlots: 'Свободного времени нет: выберите другой день',
  save: 'Сохранить',
  close: 'Закрыть',
  failed: (why: string) => `Не удалось: ${why}`,
  // The residents' form: the slot picker step.
  pickerTitle: 'Выберите удобное время визита',
  pickerHint: 'Показано только время, когда мастер, обслуживающий ваш дом, свободен.',
  pickerDay: 'День',
  pickerLoading: 'Ищем свободное время…',
  pickerAddressFirst: 'Сначала выберите адрес: покажем свободное время мастера вашего дома.',
  pickerChosen: (when: string) => `Вы выбрали: ${when}`,
  pickerTaken: 'Это время только что заняли: выберите другое.',
  pickerRequired: 'Выберите время визита',
  bookedTitle: 'Вы записаны',
  bookedVisit: (when: string) => `Мастер придёт ${when}`,
  // Billing.
  openBilling: 'Открыть в биллинге',
};
