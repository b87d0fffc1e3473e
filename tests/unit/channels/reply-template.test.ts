import { describe, expect, it } from 'vitest';
import { fillTemplate, placeholdersIn, topicKey, unknownPlaceholders, type PlaceholderValues } from '../../../src/domain/reply-template.js';

const values: PlaceholderValues = {
  номер: '2026-000042', адрес: 'ул. Ленина, д. 5, кв. 12', категория: 'Течь', срок: '03.12.2026 18:00', исполнитель: 'Петров П.', статус: 'В работе',
  ссылка: 'https://pult.test/s/abc', имя: 'Иван', лс: '100200', компания: 'Северный квартал', дата: '02.12.2026',
};

describe('reply templates', () => {
  it('fills known placeholders whatever their case and keeps the rest of the text', () => {
    expect(fillTemplate('{Имя}, заявка № {номер} по адресу {адрес}: {статус}. {ссылка}', values)).toBe('Иван, заявка № 2026-000042 по адресу ул. Ленина, д. 5, кв. 12: В работе. https://pult.test/s/abc');
  });

  it('lists unknown placeholders (a template using them is refused)', () => {
    expect(placeholdersIn('{номер} {номер} {сумма}')).toEqual(['номер', 'сумма']);
    expect(unknownPlaceholders('{номер} {сумма} {долг} { не плейсхолдер }')).toEqual(['сумма', 'долг']);
    expect(unknownPlaceholders('{срок} {исполнитель}')).toEqual([]);
  });

  it('searches topics by a folded key', () => {
    expect(topicKey('  Протечка   Ёмкости ')).toBe('протечка емкости');
  });
});
