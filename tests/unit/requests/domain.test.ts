// Pure rules of a request's life: transitions, deadlines with calendar rules, countdown.
import { describe, expect, it } from 'vitest';
import { checkTransition, defaultPipeline, matchingStage, allowedNext } from '../../../src/domain/request-pipeline.js';
import { countdown, deadlineRule, dueAt, ruleOf } from '../../../src/domain/deadline.js';
import { stageRules } from '../../../src/domain/stage-rules.js';

const p = defaultPipeline('emergency');
const now = new Date('2026-01-10T10:00:00Z');

describe('transitions', () => {
  it.each([
    ['new', 'assigned', { assigneeId: 7 }, []],
    ['new', 'assigned', {}, ['assigneeId']],
    ['new', 'done', { result: 'x' }, ['to']],
    ['in_work', 'done', {}, ['result']],
    ['in_work', 'done', { result: '   ' }, ['result']],
    ['in_work', 'done', { result: 'Заменён стояк' }, []],
    ['in_work', 'postponed', { reason: 'нет доступа' }, ['until']],
    ['in_work', 'postponed', { reason: 'нет доступа', until: '2026-01-09T00:00:00Z' }, ['until']],
    ['in_work', 'postponed', { reason: 'нет доступа', until: '2026-01-12T00:00:00Z' }, []],
    ['new', 'cancelled', {}, ['reason']],
    ['new', 'impossible', { reason: 'дом снесён' }, []],
    ['done', 'closed', {}, []],
    ['closed', 'new', {}, ['to']],
    ['new', 'nowhere', {}, ['to']],
  ] as const)('%s → %s with %j: problems in %j', (from, to, input, fields) => {
    expect(checkTransition(p, from, to, input, now).map((x) => x.field)).toEqual(fields);
  });

  it('lists the stages reachable from a stage', () => {
    expect(allowedNext(p, 'done')).toEqual(['closed', 'in_work']);
    expect(allowedNext(p, 'closed')).toEqual([]);
  });

  it('keeps the stage on a kind change when the other pipeline has it, else starts over', () => {
    const other = { ...defaultPipeline('planned') };
    expect(matchingStage(other, 'in_work')).toBe('in_work');
    expect(matchingStage({ ...other, stages: other.stages.filter((s) => s.code !== 'in_work') }, 'in_work')).toBe('new');
  });

  it('validates stage rules as data', () => {
    expect(stageRules.safeParse([{ type: 'remind', everyMinutes: 15, escalateAfterMinutes: 30 }]).success).toBe(true);
    expect(stageRules.safeParse([{ type: 'remind', everyMinutes: 0, escalateAfterMinutes: 30 }]).success).toBe(false);
    expect(stageRules.safeParse([{ type: 'require', fields: ['colour'] }]).success).toBe(false);
    expect(stageRules.safeParse([{ type: 'fire-everyone' }]).success).toBe(false);
  });
});

const chute = { minutes: 120, window: { from: '08:00', to: '23:00' } };
const glass = ruleOf('{"minutes":4320,"seasons":[{"months":[10,11,12,1,2,3,4],"minutes":1440}]}', 1440)!;

describe('deadlines', () => {
  it.each([
    ['plain: 30 minutes', { minutes: 30 }, '2026-01-10T10:00:00Z', 'Europe/Moscow', '2026-01-10T10:30:00.000Z'],
    ['chute inside the window', chute, '2026-01-10T09:00:00Z', 'Europe/Moscow', '2026-01-10T11:00:00.000Z'],
    ['chute at 22:30 MSK: 30 min today, 90 from 08:00', chute, '2026-01-10T19:30:00Z', 'Europe/Moscow', '2026-01-11T06:30:00.000Z'],
    ['chute at 05:00 MSK: the clock starts at 08:00', chute, '2026-01-10T02:00:00Z', 'Europe/Moscow', '2026-01-10T07:00:00.000Z'],
    ['chute at 23:30 MSK: tomorrow 10:00', chute, '2026-01-10T20:30:00Z', 'Europe/Moscow', '2026-01-11T07:00:00.000Z'],
    ['chute over spring-forward night (Berlin, 29 Mar 2026)', chute, '2026-03-28T21:30:00Z', 'Europe/Berlin', '2026-03-29T07:30:00.000Z'],
    ['chute over fall-back night (Berlin, 25 Oct 2026)', chute, '2026-10-24T20:30:00Z', 'Europe/Berlin', '2026-10-25T08:30:00.000Z'],
    ['glass in winter: 1 day', glass, '2026-01-10T10:00:00Z', 'Europe/Moscow', '2026-01-11T10:00:00.000Z'],
    ['glass in summer: 3 days', glass, '2026-07-10T10:00:00Z', 'Europe/Moscow', '2026-07-13T10:00:00.000Z'],
    ['glass: 1 Apr 00:30 MSK (31 Mar in UTC) is still winter', glass, '2026-03-31T21:30:00Z', 'Europe/Moscow', '2026-04-01T21:30:00.000Z'],
    ['glass: 1 May 00:30 MSK is summer though it is 30 Apr in UTC', glass, '2026-04-30T21:30:00Z', 'Europe/Moscow', '2026-05-03T21:30:00.000Z'],
  ] as const)('%s', (_name, rule, start, tz, due) => {
    expect(dueAt(new Date(start), rule, tz).toISOString()).toBe(due);
  });

  it('refuses malformed rules', () => {
    expect(deadlineRule.safeParse({ minutes: 60, window: { from: '23:00', to: '08:00' } }).success).toBe(false);
    expect(deadlineRule.safeParse({ minutes: 60, window: { from: '8am', to: '23:00' } }).success).toBe(false);
    expect(deadlineRule.safeParse({ minutes: 60, seasons: [{ months: [13], minutes: 5 }] }).success).toBe(false);
    expect(ruleOf('{"minutes":-1}', 30)).toEqual({ minutes: 30 });
    expect(ruleOf(null, null)).toBeNull();
  });

  it('counts down and flags late and due-soon requests', () => {
    expect(countdown('2026-01-10T10:30:00Z', false, now)).toEqual({ dueAt: '2026-01-10T10:30:00Z', minutesLeft: 30, late: false, dueSoon: true });
    expect(countdown('2026-01-10T09:59:00Z', false, now).late).toBe(true);
    expect(countdown('2026-01-10T09:59:00Z', true, now).late).toBe(false);
    expect(countdown(null, false, now).minutesLeft).toBeNull();
  });
});
