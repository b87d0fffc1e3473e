// The AMI observer driven by the real capture (fixtures/ami/queue-session.txt)
// and by constructed sequences: calls, offers, presence and recordings come out
// as the rest of Pult expects, repeated events and snapshots count once.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AmiMessage, AmiParser } from '../../src/telephony/ami/parser.js';
import type { QueueStatusSnapshot } from '../../src/telephony/ami/client.js';
import { AmiObserver, extensionOf, OFFLINE_REASON, type AmiObserverClient } from '../../src/features/ami-observer/observer.js';
import { RecordingService } from '../../src/features/recordings/service.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { routingHarness } from '../support/routing-harness.js';

const capture = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/ami/queue-session.txt'));

/** The capture as the client would deliver it: live events, and QueueStatus answers as snapshots. */
function captureSteps(): ({ kind: 'event'; msg: AmiMessage } | { kind: 'snapshot'; snap: QueueStatusSnapshot })[] {
  const msgs: AmiMessage[] = [];
  const parser = new AmiParser({ onMessage: (m) => msgs.push(m), onError: (e) => { throw new Error(`parse error ${e.reason}`); } });
  parser.push(capture);
  const steps: ReturnType<typeof captureSteps> = [];
  let snap: QueueStatusSnapshot | null = null;
  for (const m of msgs) {
    if (m.type !== 'event') continue;
    const name = m.event!.toLowerCase();
    if (m.get('ActionID') !== undefined) {
      snap ??= { queues: [], members: [], entries: [], at: 0 };
      if (name === 'queueparams') snap.queues.push(m);
      else if (name === 'queuemember') snap.members.push(m);
      else if (name === 'queueentry') snap.entries.push(m);
      else if (name === 'queuestatuscomplete') {
        steps.push({ kind: 'snapshot', snap });
        snap = null;
      } else snap = null; // QueueSummary lists: not a QueueStatus
      continue;
    }
    steps.push({ kind: 'event', msg: m });
  }
  return steps;
}

function ev(fields: Record<string, string>): AmiMessage {
  return new AmiMessage('event', Object.assign(Object.create(null) as Record<string, string>, fields));
}

class FakeAmi extends EventEmitter implements AmiObserverClient {
  connected = true;
  pauses: { queue: string | null; iface: string; paused: boolean; reason?: string }[] = [];
  queuePause(queue: string | null, iface: string, paused: boolean, reason?: string): Promise<unknown> {
    this.pauses.push({ queue, iface, paused, reason });
    return Promise.resolve({});
  }
}

/** A WAV of `sec` seconds of 8 kHz 16-bit silence. */
function wav(sec: number): Buffer {
  const data = 8000 * 2 * sec;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0); b.writeUInt32LE(36 + data, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24); b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(data, 40);
  return b;
}

function setup(o: { monitorDir?: string } = {}) {
  const h = routingHarness();
  const monitorDir = o.monitorDir ?? mkdtempSync(path.join(os.tmpdir(), 'pult-monitor-'));
  const recDir = mkdtempSync(path.join(os.tmpdir(), 'pult-rec-'));
  const recordings = new RecordingService(h.pbx, h.calls, recDir, h.events, systemClock, silentLogger, [20, 20, 20], undefined, monitorDir);
  const observer = new AmiObserver(h.db, h.calls, h.lines, h.operators, recordings, h.events, systemClock, silentLogger, { queueLines: { 'capture-q': h.line.id, support: h.line.id }, monitorDir });
  const ami = new FakeAmi();
  observer.attach(ami);
  const log: { type: string; p: Record<string, unknown> }[] = [];
  for (const type of ['call.arrived', 'call.offered', 'call.offerEnded', 'call.answered', 'call.ended', 'callback.created', 'recording.ready'] as const) {
    h.events.on(type, (p: unknown) => log.push({ type, p: p as Record<string, unknown> }));
  }
  const count = (type: string) => log.filter((e) => e.type === type).length;
  const call = (uid: string) => h.calls.byCallerChannel(`ami:${uid}`);
  return { ...h, observer, ami, log, count, call, monitorDir, recordings };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('member interface → extension', () => {
  it('reads the extension out of the usual interfaces', () => {
    expect(extensionOf('PJSIP/1001')).toBe('1001');
    expect(extensionOf('SIP/1001')).toBe('1001');
    expect(extensionOf('Local/1001@from-queue/n')).toBe('1001');
    expect(extensionOf('PJSIP/5001@carrier')).toBe('5001');
    expect(extensionOf('')).toBeNull();
    expect(extensionOf(undefined)).toBeNull();
  });
});

describe('AMI observer on the real capture', () => {
  it('turns the queue session into calls, offers, presence and a recording; a replay changes nothing', async () => {
    const t = setup();
    const op = t.addOperator('agent1', '5001', false);
    // MixMonitor's file of the answered call, already closed.
    const file = path.join(t.monitorDir, '1795419979.0.wav');
    writeFileSync(file, wav(2));
    utimesSync(file, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    const presences: string[] = [];
    t.operators.on('changed', (o) => presences.push(`${o.presence}${o.pauseReason ? `:${o.pauseReason}` : ''}`));

    const steps = captureSteps();
    expect(steps.filter((s) => s.kind === 'snapshot')).toHaveLength(3);
    for (const s of steps) {
      if (s.kind === 'event') t.observer.handle(s.msg);
      else t.observer.applySnapshot(s.snap);
    }

    const answered = t.call('1795419979.0')!;
    expect(answered).toMatchObject({ state: 'ended', outcome: 'answered', answeredBy: op, answeredVia: 'console', callerNumber: '79161234567', did: '7001', lineId: t.line.id });
    const abandoned = t.call('1795419983.2')!;
    expect(abandoned).toMatchObject({ state: 'ended', outcome: 'abandoned', answeredBy: null, callerNumber: '79161234568' });
    expect(t.calls.offers(abandoned.id).map((o) => [o.userId, o.result])).toEqual([[op, 'noanswer'], [op, 'cancelled']]);
    expect(t.calls.callbacks().map((c) => c.callId)).toEqual([abandoned.id]);
    expect(t.count('call.arrived')).toBe(2);
    expect(t.count('call.offered')).toBe(3);
    expect(t.log.filter((e) => e.type === 'call.offered').every((e) => e.p.userId === op)).toBe(true);
    expect(t.count('call.answered')).toBe(1);
    expect(t.count('call.ended')).toBe(2);
    expect(t.count('callback.created')).toBe(1);
    // First snapshot: available; then the pause with its Cyrillic reason, unpause, device gone and back.
    expect(presences.filter((p, i) => p !== presences[i - 1])).toEqual(['available', 'paused:обед', 'available', 'offline', 'available']);
    expect(t.operators.get(op)!.presence).toBe('available');
    expect(t.operators.get(op)!.activity).toBe('idle');
    // Nothing Pult did was sent back to Asterisk: every change came from it.
    expect(t.ami.pauses).toEqual([]);

    // The recording is copied into Pult's storage.
    await sleep(100);
    const rec = t.calls.recordingForCall(answered.id)!;
    expect(rec).toMatchObject({ state: 'stored', pbxName: 'file:1795419979.0.wav', format: 'wav', durationSec: 2 });
    expect(readFileSync(rec.filePath!).equals(readFileSync(file))).toBe(true);

    // The same stream again (a duplicate of every event): no second call, no second event.
    const before = t.log.length;
    for (const s of steps) {
      if (s.kind === 'event') t.observer.handle(s.msg);
      else t.observer.applySnapshot(s.snap);
    }
    expect(t.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(2);
    expect(t.log.slice(before).filter((e) => e.type !== 'recording.ready')).toEqual([]);
    expect(t.calls.callbacks()).toHaveLength(1);
  });
});

const join = (uid: string, caller: string, queue = 'support', exten = '74950000001') => ev({ Event: 'QueueCallerJoin', Uniqueid: uid, Linkedid: uid, CallerIDNum: caller, Exten: exten, Queue: queue, Position: '1', Count: '1' });
const agent = (event: string, uid: string, dest: string, iface: string, extra: Record<string, string> = {}) =>
  ev({ Event: event, Uniqueid: uid, Linkedid: uid, CallerIDNum: '79160000000', Exten: '74950000001', Queue: 'support', DestUniqueid: dest, Interface: iface, MemberName: iface, ...extra });
const member = (event: string, iface: string, f: Record<string, string>) => ev({ Event: event, Queue: 'support', Interface: iface, MemberName: iface, StateInterface: iface, Status: '1', Paused: '0', PausedReason: '', InCall: '0', ...f });

describe('AMI observer on constructed sequences', () => {
  it('an answered call: arrived, offered, answered, ended with talk time; a duplicate AgentConnect counts once', () => {
    const t = setup();
    const op = t.addOperator('op1', '1001');
    t.observer.handle(join('100.1', '79160000001'));
    const call = t.call('100.1')!;
    expect(call).toMatchObject({ state: 'waiting', controller: 'ami', did: '74950000001', lineId: t.line.id });
    t.observer.handle(agent('AgentCalled', '100.1', '100.2', 'PJSIP/1001'));
    expect(t.operators.get(op)!.activity).toBe('ringing');
    t.observer.handle(agent('AgentConnect', '100.1', '100.2', 'PJSIP/1001', { HoldTime: '2', RingTime: '2', Timestamp: String(Date.now() / 1000) }));
    t.observer.handle(agent('AgentConnect', '100.1', '100.2', 'PJSIP/1001', { HoldTime: '2', RingTime: '2' }));
    expect(t.call('100.1')).toMatchObject({ state: 'connected', answeredBy: op, answeredVia: 'console', answeredNumber: '1001' });
    expect(t.operators.get(op)!.activity).toBe('oncall');
    const end = String(Date.now() / 1000 + 7);
    t.observer.handle(agent('AgentComplete', '100.1', '100.2', 'PJSIP/1001', { TalkTime: '7', Reason: 'caller', Timestamp: end }));
    t.observer.handle(agent('AgentComplete', '100.1', '100.2', 'PJSIP/1001', { TalkTime: '7', Reason: 'caller', Timestamp: end }));
    t.observer.handle(ev({ Event: 'Hangup', Uniqueid: '100.1', Linkedid: '100.1', Cause: '16' }));
    const done = t.call('100.1')!;
    expect(done).toMatchObject({ state: 'ended', outcome: 'answered' });
    expect(done.talkSec).toBeCloseTo(7, 0);
    expect([t.count('call.arrived'), t.count('call.offered'), t.count('call.answered'), t.count('call.ended'), t.count('callback.created')]).toEqual([1, 1, 1, 1, 0]);
    expect(t.operators.get(op)!.activity).toBe('idle');
    // Recording announced for the call (the file is not there: it is retried).
    expect(t.calls.recordingForCall(done.id)?.pbxName).toBe('file:100.1.wav');
  });

  it('an abandoned call ends abandoned with a callback task', () => {
    const t = setup();
    t.addOperator('op1', '1001');
    t.observer.handle(join('200.1', '79160000002'));
    t.observer.handle(agent('AgentCalled', '200.1', '200.2', 'SIP/1001'));
    t.observer.handle(ev({ Event: 'QueueCallerAbandon', Uniqueid: '200.1', Queue: 'support', Position: '1', OriginalPosition: '1', HoldTime: '9' }));
    t.observer.handle(ev({ Event: 'QueueCallerAbandon', Uniqueid: '200.1', Queue: 'support', Position: '1', OriginalPosition: '1', HoldTime: '9' }));
    t.observer.handle(ev({ Event: 'Hangup', Uniqueid: '200.1' }));
    const call = t.call('200.1')!;
    expect(call).toMatchObject({ state: 'ended', outcome: 'abandoned' });
    expect(t.calls.offers(call.id)[0]!.result).toBe('cancelled');
    expect(t.calls.callbacks()).toHaveLength(1);
    expect([t.count('call.ended'), t.count('callback.created')]).toEqual([1, 1]);
    expect(t.calls.recordingForCall(call.id)).toBeNull();
  });

  it('ring-no-answer on one member, then answered by another', () => {
    const t = setup();
    const a = t.addOperator('a', '1001');
    const b = t.addOperator('b', '1002');
    t.observer.handle(join('300.1', '79160000003'));
    t.observer.handle(agent('AgentCalled', '300.1', '300.2', 'Local/1001@from-queue/n'));
    t.observer.handle(agent('AgentRingNoAnswer', '300.1', '300.2', 'Local/1001@from-queue/n', { RingTime: '15000' }));
    t.observer.handle(agent('AgentRingNoAnswer', '300.1', '300.2', 'Local/1001@from-queue/n', { RingTime: '15000' }));
    expect(t.operators.get(a)!.activity).toBe('idle');
    t.observer.handle(agent('AgentCalled', '300.1', '300.3', 'PJSIP/1002'));
    t.observer.handle(agent('AgentConnect', '300.1', '300.3', 'PJSIP/1002', { HoldTime: '20' }));
    t.observer.handle(agent('AgentComplete', '300.1', '300.3', 'PJSIP/1002', { TalkTime: '3', Reason: 'agent' }));
    const call = t.call('300.1')!;
    expect(call).toMatchObject({ state: 'ended', outcome: 'answered', answeredBy: b });
    expect(t.calls.offers(call.id).map((o) => [o.userId, o.result])).toEqual([[a, 'noanswer'], [b, 'answered']]);
    expect(t.log.filter((e) => e.type === 'call.offered').map((e) => e.p.userId)).toEqual([a, b]);
    expect(t.count('call.offerEnded')).toBe(1);
  });

  it('a queue timeout (caller leaves, no abandon) ends unanswered on the hangup', () => {
    const t = setup();
    t.observer.handle(join('400.1', '79160000004'));
    t.observer.handle(ev({ Event: 'QueueCallerLeave', Uniqueid: '400.1', Queue: 'support', Count: '0' }));
    expect(t.call('400.1')!.state).toBe('waiting');
    t.observer.handle(ev({ Event: 'Hangup', Uniqueid: '400.1' }));
    expect(t.call('400.1')).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    expect(t.calls.callbacks()).toHaveLength(1);
  });

  it('reconnect: QueueStatus rebuilds who waits and who is paused, closes what ended meanwhile, and counts once', () => {
    const t = setup();
    const a = t.addOperator('a', '1001');
    const b = t.addOperator('b', '1002', false);
    t.ami.pauses.length = 0; // a's Ready in Pult above was sent; what follows comes from Asterisk
    t.observer.handle(join('500.1', '79160000005')); // still waiting after the reconnect
    t.observer.handle(join('500.2', '79160000006')); // left while we were away
    t.observer.handle(join('500.3', '79160000007')); // answered by a, hung up while we were away
    t.observer.handle(agent('AgentCalled', '500.3', '500.4', 'PJSIP/1001'));
    t.observer.handle(agent('AgentConnect', '500.3', '500.4', 'PJSIP/1001'));
    const snap: QueueStatusSnapshot = {
      queues: [ev({ Event: 'QueueParams', Queue: 'support', Calls: '2' })],
      members: [
        ev({ Event: 'QueueMember', Queue: 'support', Name: 'a', Location: 'PJSIP/1001', Status: '1', Paused: '0', PausedReason: '', InCall: '0' }),
        ev({ Event: 'QueueMember', Queue: 'support', Name: 'b', Location: 'PJSIP/1002', Status: '1', Paused: '1', PausedReason: 'обед', InCall: '0' }),
      ],
      entries: [
        ev({ Event: 'QueueEntry', Queue: 'support', Position: '1', Uniqueid: '500.1', CallerIDNum: '79160000005', Wait: '30' }),
        ev({ Event: 'QueueEntry', Queue: 'support', Position: '2', Uniqueid: '500.9', CallerIDNum: '79160000009', Wait: '5' }), // joined while we were away
      ],
      at: Date.now(),
    };
    t.observer.applySnapshot(snap);
    expect(t.call('500.1')!.state).toBe('waiting');
    expect(t.call('500.2')).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    expect(t.call('500.3')).toMatchObject({ state: 'ended', outcome: 'answered', answeredBy: a });
    const missed = t.call('500.9')!;
    expect(missed).toMatchObject({ state: 'waiting', callerNumber: '79160000009', did: 'support', lineId: t.line.id });
    expect(Date.now() - new Date(missed.arrivedAt).getTime()).toBeGreaterThanOrEqual(4000);
    expect(t.operators.get(b)).toMatchObject({ presence: 'paused', pauseReason: 'обед' });
    expect(t.operators.get(a)!.activity).toBe('idle');
    const before = t.log.length;
    t.observer.applySnapshot(snap);
    expect(t.log.length).toBe(before);
    expect(t.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(4);
    expect(t.calls.callbacks()).toHaveLength(1);
    expect(t.ami.pauses).toEqual([]);
  });

  it('presence from member events, and Pause/Ready in Pult sent as QueuePause for the member interface', async () => {
    const t = setup();
    const op = t.addOperator('a', '1001', false);
    t.observer.handle(member('QueueMemberStatus', 'PJSIP/1001', { Status: '5' }));
    expect(t.operators.get(op)!.presence).toBe('offline');
    t.observer.handle(member('QueueMemberStatus', 'PJSIP/1001', { Status: '1' }));
    expect(t.operators.get(op)!.presence).toBe('available');
    t.observer.handle(member('QueueMemberPause', 'PJSIP/1001', { Paused: '1', PausedReason: 'обед' }));
    expect(t.operators.get(op)).toMatchObject({ presence: 'paused', pauseReason: 'обед' });
    expect(t.ami.pauses).toEqual([]);

    t.operators.setPresence(op, 'available');
    expect(t.ami.pauses).toEqual([{ queue: null, iface: 'PJSIP/1001', paused: false, reason: undefined }]);
    // Asterisk's echo changes nothing and sends nothing back.
    t.observer.handle(member('QueueMemberPause', 'PJSIP/1001', { Paused: '0' }));
    t.operators.setPresence(op, 'paused', 'документы');
    t.observer.handle(member('QueueMemberPause', 'PJSIP/1001', { Paused: '1', PausedReason: 'документы' }));
    t.operators.setPresence(op, 'offline');
    t.observer.handle(member('QueueMemberPause', 'PJSIP/1001', { Paused: '1', PausedReason: OFFLINE_REASON }));
    expect(t.ami.pauses.map((p) => [p.paused, p.reason])).toEqual([[false, undefined], [true, 'документы'], [true, OFFLINE_REASON]]);
    expect(t.operators.get(op)!.presence).toBe('offline');
    // Activity changes are not presence changes.
    t.operators.setActivity(op, 'wrapup', null);
    expect(t.ami.pauses).toHaveLength(3);
  });

  it('recordings: MIXMONITOR_FILENAME wins; a path outside PULT_AMI_MONITOR_DIR is refused', async () => {
    const t = setup();
    t.addOperator('a', '1001');
    const sub = path.join(t.monitorDir, '2026', '11', '23');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    const file = path.join(sub, 'q-600.1.wav');
    writeFileSync(file, wav(1));
    utimesSync(file, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    t.observer.handle(join('600.1', '79160000010'));
    t.observer.handle(ev({ Event: 'VarSet', Uniqueid: '600.1', Linkedid: '600.1', Variable: 'MIXMONITOR_FILENAME', Value: file }));
    t.observer.handle(agent('AgentConnect', '600.1', '600.2', 'PJSIP/1001'));
    t.observer.handle(agent('AgentComplete', '600.1', '600.2', 'PJSIP/1001', { TalkTime: '1' }));
    await sleep(100);
    const call = t.call('600.1')!;
    expect(t.calls.recordingForCall(call.id)).toMatchObject({ state: 'stored', pbxName: 'file:2026/11/23/q-600.1.wav', durationSec: 1 });

    // A name that climbs out of the directory never reads the file.
    t.observer.handle(join('700.1', '79160000011'));
    const other = t.call('700.1')!;
    t.calls.startRecording(other.id, 'file:../../etc/passwd', 'wav', new Date().toISOString());
    t.recordings.fetch('file:../../etc/passwd');
    await sleep(50);
    expect(t.calls.recordingByName('file:../../etc/passwd')).toMatchObject({ state: 'failed', error: 'recording path outside PULT_AMI_MONITOR_DIR' });
  });
});
