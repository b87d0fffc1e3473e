// What the request's history says about reminder calls (Russian, as the
// rest of the history).
import type { ReminderOutcome } from './repository.js';

export const ACCEPTED_COMMENT = 'принято по звонку-напоминанию';

const outcomeText: Record<Exclude<ReminderOutcome, 'accepted' | 'stale'>, string> = {
  'no-answer': 'не ответил',
  busy: 'занято',
  failed: 'дозвониться не удалось',
  'no-digit': 'ответил, но не нажал 1',
  'other-digit': 'нажал другую клавишу',
  'hung-up': 'положил трубку, не нажав 1',
  interrupted: 'звонок прерван перезапуском Пульта',
};

/** The history row of a call that did not accept the request (null: none is written). */
export function historyLine(o: ReminderOutcome, c: { executorName: string; number: string; attempt: number; maxAttempts: number; digit: string | null }): string | null {
  if (o === 'accepted' || o === 'stale') return null;
  if (!c.number) return `звонок-напоминание исполнителю ${c.executorName} не сделан: ${NO_MOBILE} (попытка ${c.attempt} из ${c.maxAttempts})`;
  const what = o === 'other-digit' && c.digit ? `нажал ${c.digit} вместо 1` : outcomeText[o];
  const next = c.attempt < c.maxAttempts ? ', будет повторный звонок' : ', попытки исчерпаны';
  return `звонок-напоминание исполнителю ${c.executorName} (${c.number}), попытка ${c.attempt} из ${c.maxAttempts}: ${what}${next}`;
}

export const NO_MOBILE = 'у исполнителя нет мобильного номера';
