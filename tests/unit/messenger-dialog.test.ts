// The messenger conversation (src/channels/messenger/dialog.ts) as a table of steps.
import { describe, expect, it } from 'vitest';
import { closed, converse, created, freshChat, type ChatState, type DialogContext, type Inbound } from '../../src/channels/messenger/dialog.js';

const home = { accountId: 7, buildingId: 3, address: 'ул. Ленина, д. 1', flat: '12' };
const ctx = (open = true, found = [home]): DialogContext => ({ accountsByPhone: (p) => (p === '79161234567' ? found : []), isOpen: () => open });
const run = (s: ChatState, ...msgs: Inbound[]) => msgs.reduce<{ state: ChatState; actions: unknown[] }>((acc, m) => converse(acc.state, m, ctx()), { state: s, actions: [] });
const text = (t: string): Inbound => ({ kind: 'text', text: t });

describe('messenger dialog', () => {
  it('asks for the phone first, with the contact button', () => {
    const o = converse(freshChat(), text('Привет'), ctx());
    expect(o.state.step).toBe('phone');
    expect(o.actions).toEqual([expect.objectContaining({ type: 'reply', askContact: true })]);
  });

  it('a typed phone in any usual form finds the account; then the text is the description', () => {
    const o = run(freshChat(), text('/start'), text('8 (916) 123-45-67'));
    expect(o.state).toMatchObject({ step: 'ready', phone: '79161234567', accountId: 7, address: 'ул. Ленина, д. 1', flat: '12' });
    const d = converse(o.state, text('Течёт кран'), ctx());
    expect(d.actions).toEqual([{ type: 'create', description: 'Течёт кран', photoFileIds: [] }]);
  });

  it('an unreadable phone is asked again; a phone of two accounts asks for the address', () => {
    const s1 = converse({ ...freshChat(), step: 'phone' }, text('позвоните мне'), ctx());
    expect(s1.actions[0]).toMatchObject({ type: 'reply', text: expect.stringContaining('Не удалось распознать') });
    const two = converse(freshChat(), { kind: 'contact', phone: '+79161234567', name: 'Анна' }, ctx(true, [home, { ...home, accountId: 8 }]));
    expect(two.state).toMatchObject({ step: 'address', accountId: null, name: 'Анна' });
  });

  it('while the request is open, messages join it; once closed, a new text makes a new request', () => {
    const ready = created(run(freshChat(), text('+7 916 123 45 67')).state, 55);
    expect(converse(ready, text('ещё течёт'), ctx(true)).actions).toEqual([{ type: 'join', ticketId: 55, body: 'ещё течёт', photoFileIds: [] }]);
    expect(converse(ready, text('новая беда'), ctx(false)).actions).toEqual([{ type: 'create', description: 'новая беда', photoFileIds: [] }]);
  });

  it('rating: a digit with a comment; «Остались вопросы» first keeps its words for the score', () => {
    const asked = closed(created(run(freshChat(), text('+79161234567')).state, 55), 55);
    expect(converse(asked, text('5 спасибо!'), ctx(false)).actions).toEqual([{ type: 'rate', ticketId: 55, score: 5, comment: 'спасибо!', questionsLeft: false }]);
    expect(converse(asked, text('отлично'), ctx(false)).actions[0]).toMatchObject({ type: 'reply', ratingButtons: true });
    const q = converse(asked, text('Остались вопросы — когда дадут воду?'), ctx(false));
    expect(q.state).toMatchObject({ step: 'rating', questionsLeft: true, questionsComment: 'когда дадут воду?' });
    expect(converse(q.state, text('2'), ctx(false)).actions).toEqual([{ type: 'rate', ticketId: 55, score: 2, comment: 'когда дадут воду?', questionsLeft: true }]);
    expect(converse(asked, text('7'), ctx(false)).actions[0]).toMatchObject({ type: 'reply' });
  });
});
