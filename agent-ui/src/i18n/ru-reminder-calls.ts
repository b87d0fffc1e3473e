// Strings of the reminder calls panel (zones page): Pult rings an executor who has not accepted an emergency request.
const fmt = (n: number) => String(n).replace('.', ',');
export const rc = {
  heading: 'Звонки-напоминания исполнителям',
  hint: 'Если аварийную заявку не приняли в работу, Пульт звонит исполнителю на мобильный: называет адрес и просит нажать 1, чтобы принять заявку.',
  enabled: 'Звонить исполнителю',
  after: 'через',
  minutes: 'Минут после назначения',
  minutesUnit: 'мин после назначения',
  byDefault: (n: number) => `по умолчанию ${fmt(n)}`,
  rules: (after: number, retry: number, attempts: number) => `Первый звонок — через ${fmt(after)} мин после назначения; если не приняли — повтор через ${fmt(retry)} мин, всего не больше ${attempts} звонков.`,
  save: 'Сохранить',
  saved: 'Сохранено',
  failed: (why: string) => `Не сохранено: ${why}`,
};
