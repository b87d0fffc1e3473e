import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { description, freshText, fromParsed, phonesIn, ratingIn, replySubject, subjectNumber } from '../../../src/channels/email/message.js';

describe('e-mail message rules', () => {
  it('reads the sender, the thread ids and HTML-only text from a raw mail', async () => {
    const raw = [
      'From: =?UTF-8?B?0JjQstCw0L0=?= <Ivan@Example.RU>', 'To: zayavki@sever.test', 'Subject: Re: течёт кран [№ 2026-000042]',
      'Message-ID: <r2@example.ru>', 'In-Reply-To: <ack1@pult>', 'References: <root@example.ru> <ack1@pult>',
      'Content-Type: text/html; charset=utf-8', '', '<p>Спасибо, <b>ждём</b></p>',
    ].join('\r\n');
    const m = fromParsed(await simpleParser(raw));
    expect(m.from).toBe('ivan@example.ru');
    expect(m.fromName).toBe('Иван');
    expect(m.replyTo).toEqual(['<ack1@pult>', '<root@example.ru>']);
    expect(m.text).toBe('Спасибо, ждём');
    expect(subjectNumber(m.subject)).toBe('2026-000042');
    expect(m.automatic).toBe(false);
    expect(fromParsed(await simpleParser('From: a@b.ru\r\nAuto-Submitted: auto-replied\r\nSubject: x\r\n\r\nhi')).automatic).toBe(true);
  });

  it('answers under one «[№ …]» and strips Re: chains', () => {
    expect(replySubject('2026-000042', 'Течёт кран')).toBe('Re: Течёт кран [№ 2026-000042]');
    expect(replySubject('2026-000042', 'RE: Re: Течёт кран [№ 2026-000042]')).toBe('Re: Течёт кран [№ 2026-000042]');
    expect(replySubject('2026-000042', '')).toBe('Re: Заявка [№ 2026-000042]');
    expect(subjectNumber('№ 2026-000042 without brackets')).toBeNull();
  });

  it('keeps only the new text of a reply', () => {
    expect(freshText('Да, приходите завтра.\n\nПт, 1 дек. 2026 г. в 10:00, Pult <p@x>:\n> старое')).toBe('Да, приходите завтра.\n\nПт, 1 дек. 2026 г. в 10:00, Pult <p@x>:');
    expect(freshText('Да.\n\n1 декабря Иван пишет:\n> старое')).toBe('Да.');
    expect(freshText('Текст\n-- \nподпись')).toBe('Текст');
    expect(freshText('Ответ\n-----Original Message-----\nold')).toBe('Ответ');
  });

  it('finds phone numbers written in the usual ways', () => {
    expect(phonesIn('звоните 8 (912) 555-11-22 или +7 916 123 45 67, кв. 12, дом 2026')).toEqual(['79125551122', '79161234567']);
    expect(phonesIn('лицевой счёт 1234567')).toEqual([]);
  });

  it('reads a rating reply: a digit 1–5 alone, then an optional comment', () => {
    expect(ratingIn('5')).toEqual({ score: 5, comment: null });
    expect(ratingIn('2. Кран снова течёт\n\n> Оцените работу')).toEqual({ score: 2, comment: 'Кран снова течёт' });
    expect(ratingIn('10 баллов')).toBeNull();
    expect(ratingIn('3,5')).toBeNull();
    expect(ratingIn('Спасибо')).toBeNull();
  });

  it('builds the description from the subject and the new text, capped', () => {
    expect(description({ from: null, fromName: null, subject: 'Течёт кран', text: 'На кухне.', messageId: null, replyTo: [], attachments: [], automatic: false })).toBe('Течёт кран\n\nНа кухне.');
    expect(description({ from: null, fromName: null, subject: 'x'.repeat(50), text: '', messageId: null, replyTo: [], attachments: [], automatic: false }, 10)).toHaveLength(10);
  });
});
