// Issue 15, item 3: the entry menu's rules as tables (what a valid menu is,
// what a key or silence leads to), then the menu over a fake PBX.
import { describe, expect, it, vi } from 'vitest';
import { entryMenuProblems, entryMenuStep, type EntryMenu, type MenuInput, type MenuStep } from '../../src/domain/entry-menu.js';
import { routingHarness, useRoutingClock } from '../support/routing-harness.js';
import { WaitAnnouncements } from '../../src/features/routing/wait-announcements.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';

const menu = (options: [string, number][], o: Partial<EntryMenu> = {}): EntryMenu => ({ prompt: ['pult/entry-menu'], timeoutSec: 5, options: options.map(([digit, lineId]) => ({ digit, lineId })), ...o });

describe('entry menu rules: which menus are valid', () => {
  // Lines 1, 2: company 1; line 3: company 2; line 4: no company; line 9: none.
  const lines = new Map<number, { tenantId: number | null }>([[1, { tenantId: 1 }], [2, { tenantId: 1 }], [3, { tenantId: 2 }], [4, { tenantId: null }]]);
  const lineOf = (id: number) => lines.get(id) ?? null;
  const cases: { name: string; own: { id: number; tenantId: number | null }; menu: EntryMenu; problems: string[] }[] = [
    { name: 'two keys to lines of the same company', own: { id: 1, tenantId: 1 }, menu: menu([['1', 1], ['2', 2]]), problems: [] },
    { name: 'a key back to the menu\'s own line', own: { id: 1, tenantId: 1 }, menu: menu([['0', 1]]), problems: [] },
    { name: 'another company\'s line', own: { id: 1, tenantId: 1 }, menu: menu([['1', 1], ['2', 3]]), problems: ['options.1.lineId'] },
    { name: 'a line that does not exist', own: { id: 1, tenantId: 1 }, menu: menu([['2', 9]]), problems: ['options.0.lineId'] },
    { name: 'the same key twice', own: { id: 1, tenantId: 1 }, menu: menu([['1', 1], ['1', 2]]), problems: ['options.1.digit'] },
    { name: 'a key that is not 0-9', own: { id: 1, tenantId: 1 }, menu: menu([['*', 2], ['12', 2], ['a', 2]]), problems: ['options.0.digit', 'options.1.digit', 'options.2.digit'] },
    { name: 'no keys at all', own: { id: 1, tenantId: 1 }, menu: menu([]), problems: ['options'] },
    { name: 'a line with no company: only lines with no company', own: { id: 4, tenantId: null }, menu: menu([['1', 4], ['2', 1]]), problems: ['options.1.lineId'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(entryMenuProblems(c.menu, c.own, lineOf).map((p) => p.field)).toEqual(c.problems);
    });
  }
});

describe('entry menu rules: what the caller\'s key or silence leads to', () => {
  const m = menu([['1', 10], ['2', 20]]);
  const cases: { name: string; tries: number; input: MenuInput; step: MenuStep }[] = [
    { name: 'a known key on the first try: that line', tries: 1, input: { kind: 'digit', digit: '2' }, step: { kind: 'route', lineId: 20, digit: '2' } },
    { name: 'a known key on the second try: that line', tries: 2, input: { kind: 'digit', digit: '1' }, step: { kind: 'route', lineId: 10, digit: '1' } },
    { name: 'silence on the first try: the prompt again', tries: 1, input: { kind: 'timeout' }, step: { kind: 'replay', tries: 2 } },
    { name: 'an unknown key on the first try: the prompt again', tries: 1, input: { kind: 'digit', digit: '7' }, step: { kind: 'replay', tries: 2 } },
    { name: 'silence on the second try: the menu\'s own line', tries: 2, input: { kind: 'timeout' }, step: { kind: 'default' } },
    { name: 'an unknown key on the second try: the menu\'s own line', tries: 2, input: { kind: 'digit', digit: '#' }, step: { kind: 'default' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(entryMenuStep(m, c.tries, c.input)).toEqual(c.step);
    });
  }
});

describe('entry menu over the PBX (fake)', () => {
  useRoutingClock();

  function harness() {
    const h = routingHarness({ overflowGroupId: null, announceEverySec: 30, priority: 10 });
    const planned = h.lines.create({ name: 'Плановая', tenantId: h.tenant, dids: [], ringTimeoutSec: 15, overflowAfterSec: 30, overflowGroupId: null, maxWaitSec: 300, slThresholdSec: 20, waitTreatment: 'ringback', workingHours: null, isDefault: false, priority: 0, announceEverySec: 30 });
    h.lines.setEntryMenu(h.line.id, menu([['1', h.line.id], ['2', planned.id]], { timeoutSec: 4 }));
    const ann = new WaitAnnouncements({ pbx: h.pbx, router: h.router, calls: h.calls, lines: h.lines, events: h.events, clock: systemClock, logger: silentLogger });
    ann.start();
    const plays = (ch: string) => h.pbx.ops('play').filter((c) => c.args[0] === ch).map((c) => ({ id: c.args[1] as string, media: c.args[2] as string[] }));
    const tick = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      await h.settle();
    };
    return { ...h, planned, plays, tick };
  }

  it('answers, plays the prompt, holds the call out of the queue; key 2 queues it on the planned line, logged with the key, offered there', async () => {
    const h = harness();
    const op = h.addOperator('op1', '1001');
    h.pbx.inbound('c1', '74950000001', '79160000001');
    await h.settle();
    expect(h.pbx.ops('answer').map((c) => c.args[0])).toEqual(['c1']);
    expect(h.plays('c1')).toEqual([{ id: expect.any(String), media: ['sound:pult/entry-menu'] }]);
    expect(h.calls.byCallerChannel('c1')).toBeNull();
    expect(h.pbx.ops('originate')).toHaveLength(0);
    expect(h.seen.filter((e) => e.type === 'call.arrived')).toHaveLength(0);

    h.pbx.dtmf('c1', '2');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call).toMatchObject({ lineId: h.planned.id, entryLineId: h.line.id, entryDigit: '2', state: 'waiting', arrivedAt: '2026-11-23T09:00:00.000Z' });
    expect(h.pbx.ops('stopPlayback').map((c) => c.args[0])).toEqual([h.plays('c1')[0]!.id]);
    expect(h.seen.find((e) => e.type === 'call.arrived')!.payload).toMatchObject({ callId: call.id, lineId: h.planned.id });
    expect(h.seen.find((e) => e.type === 'call.offered')!.payload).toMatchObject({ callId: call.id, userId: op });
  });

  it('key 1 chooses the menu\'s own line and is not read as a request for a callback; a later 1 is', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.dtmf('c1', '1');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call).toMatchObject({ lineId: h.line.id, entryDigit: '1', state: 'waiting' });
    expect(h.seen.filter((e) => e.type === 'callback.created')).toHaveLength(0);
    h.pbx.dtmf('c1', '1');
    await h.settle();
    expect(h.calls.get(call.id)).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    expect(h.seen.filter((e) => e.type === 'callback.created')).toHaveLength(1);
  });

  it('no key: the prompt again after the timeout, then the menu\'s own line; an unknown key counts as a try', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.playbackDone(h.plays('c1')[0]!.id);
    await h.settle();
    await h.tick(3_900);
    expect(h.plays('c1')).toHaveLength(1);
    await h.tick(200);
    expect(h.plays('c1')).toHaveLength(2);
    expect(h.calls.byCallerChannel('c1')).toBeNull();
    h.pbx.dtmf('c1', '7');
    await h.settle();
    expect(h.calls.byCallerChannel('c1')).toMatchObject({ lineId: h.line.id, entryLineId: h.line.id, entryDigit: null, state: 'waiting' });
  });

  it('two silent tries: the menu\'s own line', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    for (let i = 0; i < 2; i++) {
      h.pbx.playbackDone(h.plays('c1')[i]!.id);
      await h.settle();
      await h.tick(4_100);
    }
    expect(h.calls.byCallerChannel('c1')).toMatchObject({ lineId: h.line.id, entryDigit: null });
  });

  it('a caller who hangs up in the menu is logged as abandoned on the menu\'s line, with a callback task', async () => {
    const h = harness();
    h.pbx.inbound('c1', '74950000001', '79160000005');
    await h.settle();
    h.pbx.destroy('c1');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call).toMatchObject({ lineId: h.line.id, state: 'ended', outcome: 'abandoned', entryDigit: null });
    expect(h.seen.filter((e) => e.type === 'callback.created')).toHaveLength(1);
    // Nothing is left to fire later.
    await h.tick(60_000);
    expect(h.plays('c1')).toHaveLength(1);
  });

  it('a line without a menu: straight to the queue, as before', async () => {
    const h = harness();
    h.lines.setEntryMenu(h.line.id, null);
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    expect(h.plays('c1')).toHaveLength(0);
    expect(h.calls.byCallerChannel('c1')).toMatchObject({ lineId: h.line.id, entryLineId: null, entryDigit: null });
  });
});

describe('entry menu across a PBX reconnect (fake)', () => {
  useRoutingClock();

  it('a caller who hung up in the menu while Pult was away is logged as abandoned at the resync; one still there stays in the menu', async () => {
    const h = routingHarness({ overflowGroupId: null });
    h.lines.setEntryMenu(h.line.id, menu([['1', h.line.id]]));
    h.pbx.inbound('gone', '74950000001', '79160000007');
    h.pbx.inbound('here', '74950000001', '79160000008');
    await h.settle();
    h.pbx.channels.delete('gone'); // hung up while the ARI connection was down: no event
    await h.router.run('resync', () => h.resync.run());
    await h.settle();
    expect(h.calls.byCallerChannel('gone')).toMatchObject({ state: 'ended', outcome: 'abandoned', lineId: h.line.id });
    expect(h.calls.byCallerChannel('here')).toBeNull();
    h.pbx.dtmf('here', '1');
    await h.settle();
    expect(h.calls.byCallerChannel('here')).toMatchObject({ state: 'waiting', entryDigit: '1' });
  });
});
