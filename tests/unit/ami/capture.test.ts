// The parser on a stream recorded from a real Asterisk 22 (fixtures/ami/).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { AmiParser, type AmiMessage, type AmiParseError } from '../../../src/telephony/ami/parser.js';

const raw = fs.readFileSync(new URL('../../../fixtures/ami/queue-session.txt', import.meta.url));

function parse(chunk: number) {
  const messages: AmiMessage[] = [];
  const errors: AmiParseError[] = [];
  const p = new AmiParser({ onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) });
  for (let i = 0; i < raw.length; i += chunk) p.push(raw.subarray(i, i + chunk));
  p.end();
  return { messages, errors };
}

describe('AMI capture from a real Asterisk', () => {
  it('parses without errors, whatever the chunking, into the same messages', () => {
    const whole = parse(raw.length);
    expect(whole.errors).toEqual([]);
    for (const chunk of [1, 3, 1460]) expect(parse(chunk).messages.map((m) => m.fields)).toEqual(whole.messages.map((m) => m.fields));
  });

  it('has the banner, the login response and every queue event the observer needs', () => {
    const { messages } = parse(4096);
    expect(messages[0]!.type).toBe('banner');
    expect(messages[0]!.get('Version')).toBe('11.0.0');
    expect(messages[1]!.get('Message')).toBe('Authentication accepted');
    const names = new Set(messages.map((m) => m.event));
    for (const e of ['FullyBooted', 'QueueParams', 'QueueMember', 'QueueEntry', 'QueueStatusComplete', 'QueueSummary', 'QueueCallerJoin', 'QueueCallerLeave', 'QueueCallerAbandon', 'AgentCalled', 'AgentConnect', 'AgentComplete', 'AgentRingNoAnswer', 'QueueMemberStatus', 'QueueMemberPause', 'Newchannel', 'Hangup']) {
      expect(names, e).toContain(e);
    }
    const pause = messages.find((m) => m.event === 'QueueMemberPause' && m.get('Paused') === '1')!;
    expect(pause.get('PausedReason')).toBe('обед');
    expect(pause.get('Interface')).toBe('PJSIP/5001@carrier');
    // QueueParams spells it ServicelevelPerf on the wire; the getter does not care.
    const params = messages.find((m) => m.event === 'QueueParams')!;
    expect(Object.keys(params.fields)).toContain('ServicelevelPerf');
    expect(params.get('ServiceLevelPerf')).toBeDefined();
    const complete = messages.find((m) => m.event === 'AgentComplete')!;
    expect(complete.get('Reason')).toMatch(/^(agent|caller|transfer)$/);
    // Asterisk 22 Command output: repeated Output keys.
    const cmd = messages.find((m) => m.type === 'response' && m.get('Message') === 'Command output follows')!;
    expect(cmd.getAll('Output').length).toBeGreaterThan(2);
  });
});
