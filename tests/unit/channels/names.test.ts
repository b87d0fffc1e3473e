// The status page shows an executor by first name only, never the full name.
import { describe, expect, it } from 'vitest';
import { executorPublicName } from '../../../src/channels/web/names.js';

describe('executorPublicName', () => {
  it.each([
    ['Иванов Пётр Сергеевич', 'Пётр'],
    ['Петрова Анна Ивановна', 'Анна'],
    ['Мамедов Руслан Али оглы', 'Руслан'],
    ['Слесарь-сантехник Морозов И. В.', 'Слесарь-сантехник'],
    ['Электрик Сидоров П.', 'Электрик'],
    ['Морозов И. В.', null],
    ['Морозов', null],
    ['', null],
    [null, null],
  ])('%s → %s', (full, shown) => {
    expect(executorPublicName(full)).toBe(shown);
  });
});
