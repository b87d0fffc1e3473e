import { describe, expect, it } from 'vitest';
import { AmiParser, formatAmiMessage, type AmiMessage, type AmiParseError } from '../../../src/telephony/ami/parser.js';

function parse(chunks: (string | Buffer)[], opts: { maxLineBytes?: number; maxKeys?: number } = {}) {
  const messages: AmiMessage[] = [];
  const errors: AmiParseError[] = [];
  const p = new AmiParser({ onMessage: (m) => messages.push(m), onError: (e) => errors.push(e), ...opts });
  for (const c of chunks) p.push(c);
  return { messages, errors, p };
}

const plain = (m: AmiMessage) => ({ ...m.fields });

describe('AMI parser', () => {
  it('reads the banner, then a response and an event', () => {
    const { messages, errors } = parse(['Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n']);
    expect(errors).toEqual([]);
    expect(messages.map((m) => m.type)).toEqual(['banner', 'response', 'event']);
    expect(messages[0]!.get('version')).toBe('11.0.0');
    expect(plain(messages[1]!)).toEqual({ Response: 'Success', ActionID: '1', Message: 'Authentication accepted' });
    expect(messages[2]!.event).toBe('FullyBooted');
  });

  it('keeps key case, looks keys up case-insensitively, keeps repeated keys as arrays', () => {
    const { messages } = parse(['Event: VarSet\r\nChanVariable: A=1\r\nchanvariable: B=2\r\nChanVariable: C=3\r\nServicelevelPerf: 50.0\r\n\r\n']);
    const m = messages[0]!;
    expect(m.fields.ChanVariable).toEqual(['A=1', 'C=3']);
    expect(m.fields.chanvariable).toBe('B=2');
    expect(m.get('CHANVARIABLE')).toBe('A=1');
    expect(m.getAll('chanVariable')).toEqual(['A=1', 'C=3', 'B=2']);
    expect(m.get('ServiceLevelPerf')).toBe('50.0');
    expect(m.get('missing')).toBeUndefined();
    expect(m.getAll('missing')).toEqual([]);
  });

  it('values keep colons, inner and extra spaces; the key may have blanks before the colon', () => {
    const { messages } = parse(['Event: X\r\nUri: sip:1001@127.0.0.1:5060\r\nTwo:  two spaces\r\nNone:nospace\r\nEmpty:\r\nSpaced : v\r\n\r\n']);
    expect(plain(messages[0]!)).toEqual({ Event: 'X', Uri: 'sip:1001@127.0.0.1:5060', Two: ' two spaces', None: 'nospace', Empty: '', Spaced: 'v' });
  });

  it('accepts bare LF and mixed endings, ignores stray empty lines', () => {
    const { messages, errors } = parse(['\r\n\nEvent: A\nK: 1\r\n\nEvent: B\r\nK: 2\n\r\n']);
    expect(errors).toEqual([]);
    expect(messages.map((m) => m.get('Event'))).toEqual(['A', 'B']);
  });

  it('survives a split anywhere: mid-CRLF and mid-UTF-8 sequence', () => {
    const bytes = Buffer.from('Event: Newchannel\r\nCallerIDName: Иванова Анна 🎄\r\n\r\n');
    for (let i = 1; i < bytes.length; i++) {
      for (const j of [i + 1, i + 3]) {
        const { messages, errors } = parse([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(errors).toEqual([]);
        expect(messages[0]!.get('CallerIDName')).toBe('Иванова Анна 🎄');
      }
    }
  });

  it('a key named __proto__ is just a key', () => {
    const { messages } = parse(['Event: X\r\n__proto__: polluted\r\nconstructor: c\r\n\r\n']);
    expect(messages[0]!.fields['__proto__']).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(messages[0]!.get('Constructor')).toBe('c');
  });

  it('reads legacy Response: Follows command output up to --END COMMAND--', () => {
    const text = 'Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\nChannel              Location\r\n\r\nKey: not a field\r\n1 active call\n--END COMMAND--\r\n\r\nEvent: After\r\n\r\n';
    const { messages, errors } = parse([text]);
    expect(errors).toEqual([]);
    expect(messages[0]!.type).toBe('response');
    expect(plain(messages[0]!)).toEqual({ Response: 'Follows', Privilege: 'Command', ActionID: '7' });
    expect(messages[0]!.output).toEqual(['Channel              Location', '', 'Key: not a field', '1 active call']);
    expect(messages[1]!.event).toBe('After');
  });

  it('accepts output glued to the marker (old Asterisk without a final newline)', () => {
    const { messages } = parse(['Response: Follows\r\nActionID: 1\r\nlast line--END COMMAND--\r\n\r\n']);
    expect(messages[0]!.output).toEqual(['last line']);
  });

  it('Asterisk 22 Command output (Output: lines) is ordinary repeated keys', () => {
    const { messages } = parse(['Response: Success\r\nActionID: 2\r\nMessage: Command output follows\r\nOutput: Name/username\r\nOutput: 1 objects found.\r\n\r\n']);
    expect(messages[0]!.getAll('Output')).toEqual(['Name/username', '1 objects found.']);
  });

  it('reports unterminated command output and keeps the next message', () => {
    const { messages, errors } = parse(['Response: Follows\r\nActionID: 1\r\nout\r\n\r\nEvent: Next\r\n\r\n']);
    expect(errors.map((e) => e.reason)).toEqual(['unterminated-output']);
    expect(messages.map((m) => m.event)).toEqual(['Next']);
  });

  it('a line without a colon: the frame is reported once, dropped, and parsing resumes', () => {
    const { messages, errors } = parse(['Event: A\r\nnonsense here\r\nK: v\r\n\r\nEvent: B\r\n\r\n']);
    expect(errors).toEqual([{ reason: 'no-colon', line: 'nonsense here', detail: expect.any(String) as string }]);
    expect(messages.map((m) => m.event)).toEqual(['B']);
  });

  it('an over-long line is dropped even when it never fits a chunk, without buffering it', () => {
    const long = 'y'.repeat(100_000);
    const { messages, errors, p } = parse(['Event: A\r\nBig: ', long.slice(0, 50_000), long.slice(50_000), '\r\nK: v\r\n\r\nEvent: B\r\n\r\n']);
    expect(errors.map((e) => e.reason)).toEqual(['line-too-long']);
    expect(messages.map((m) => m.event)).toEqual(['B']);
    expect((p as unknown as { pendingLen: number }).pendingLen).toBe(0);
    // In one chunk too.
    const one = parse(['Event: A\r\nBig: ' + long + '\r\n\r\nEvent: B\r\n\r\n']);
    expect(one.errors.map((e) => e.reason)).toEqual(['line-too-long']);
    expect(one.messages.map((m) => m.event)).toEqual(['B']);
  });

  it('the line limit counts bytes, and a line exactly at the limit passes', () => {
    const ok = parse(['Event: A\r\nK: ' + 'x'.repeat(61) + '\r\n\r\n'], { maxLineBytes: 64 });
    expect(ok.errors).toEqual([]);
    const bad = parse(['Event: A\r\nK: ' + 'я'.repeat(31) + '\r\n\r\n'], { maxLineBytes: 64 });
    expect(bad.errors.map((e) => e.reason)).toEqual(['line-too-long']);
  });

  it('more than maxKeys keys: reported, next message kept', () => {
    let t = 'Event: Flood\r\n';
    for (let i = 0; i < 1000; i++) t += `K${i}: v\r\n`;
    const { messages, errors } = parse([t + '\r\nEvent: B\r\n\r\n']);
    expect(errors.map((e) => e.reason)).toEqual(['too-many-keys']);
    expect(messages.map((m) => m.event)).toEqual(['B']);
    // 1000 lines including Event is fine.
    expect(parse([t.replace('K999: v\r\n', '') + '\r\n']).messages).toHaveLength(1);
  });

  it('binary junk and control characters are reported, not thrown', () => {
    const junk = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x3a, 0x7f, 0x0d, 0x0a, 0x80, 0x0d, 0x0a, 0x0d, 0x0a]);
    const { messages, errors } = parse([junk, 'Event: B\r\n\r\n']);
    expect(errors).toHaveLength(1);
    expect(['no-colon', 'control-characters']).toContain(errors[0]!.reason);
    expect(messages.map((m) => m.event)).toEqual(['B']);
  });

  it('invalid UTF-8 in a value (a Latin-1 caller name) is kept as U+FFFD, not dropped', () => {
    const { messages, errors } = parse([Buffer.concat([Buffer.from('Event: A\r\nCallerIDName: Jos'), Buffer.from([0xe9]), Buffer.from('\r\n\r\n')])]);
    expect(errors).toEqual([]);
    expect(messages[0]!.get('CallerIDName')).toBe('Jos\ufffd');
  });

  it('a message with neither Event nor Response is reported', () => {
    const { messages, errors } = parse(['Foo: bar\r\n\r\nEvent: B\r\n\r\n']);
    expect(errors.map((e) => e.reason)).toEqual(['no-type']);
    expect(messages).toHaveLength(1);
  });

  it('end() reports a message cut short; reset() forgets it', () => {
    const a = parse(['Event: A\r\nK: v']);
    a.p.end();
    expect(a.errors.map((e) => e.reason)).toEqual(['truncated']);
    const b = parse(['Event: A\r\nK: v\r\n']);
    b.p.reset();
    b.p.push('Event: B\r\n\r\n');
    expect(b.messages.map((m) => m.event)).toEqual(['B']);
    expect(b.errors).toEqual([]);
  });

  it('a throwing callback does not corrupt the parser: the chunk is finished, then the error is rethrown', () => {
    const seen: string[] = [];
    const p = new AmiParser({
      onMessage: (m) => {
        seen.push(m.event!);
        if (m.event === 'A') throw new Error('handler bug');
      },
    });
    expect(() => p.push('Event: A\r\n\r\nEvent: B\r\n\r\n')).toThrow('handler bug');
    p.push('Event: C\r\n\r\n');
    expect(seen).toEqual(['A', 'B', 'C']);
  });

  it('formatAmiMessage writes CRLF lines and refuses line breaks in values', () => {
    expect(formatAmiMessage({ Action: 'Login', Username: 'pult', Events: 'on', Skip: undefined, Variable: ['a=1', 'b=2'] })).toBe('Action: Login\r\nUsername: pult\r\nEvents: on\r\nVariable: a=1\r\nVariable: b=2\r\n\r\n');
    expect(() => formatAmiMessage({ Action: 'Ping\r\n\r\nAction: Logoff' })).toThrow(/line break/);
  });
});
