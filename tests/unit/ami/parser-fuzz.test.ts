// Fuzz test of the AMI parser: a seeded PRNG builds thousands of valid
// messages interleaved with malformed frames, the byte stream is cut at random
// boundaries (inside CRLFs and UTF-8 sequences too), and the parser must
// never throw, report every bad frame once, and emit every valid message
// exactly once with identical fields.
import { describe, expect, it } from 'vitest';
import { AmiParser, type AmiFields, type AmiMessage, type AmiParseError, type AmiParseErrorReason } from '../../../src/telephony/ami/parser.js';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const KEYS = ['Channel', 'ChannelState', 'ChannelStateDesc', 'CallerIDNum', 'CallerIDName', 'ConnectedLineNum', 'Context', 'Exten', 'Priority', 'Uniqueid', 'Linkedid', 'Queue', 'Interface', 'MemberName', 'HoldTime', 'TalkTime', 'Reason', 'Privilege', 'ActionID', 'Message', 'SystemName', 'Status', 'Paused', 'PausedReason', 'ServicelevelPerf', 'DestChannel', 'AccountCode', 'X-Custom-Key', 'key.with.dots', 'lowercasekey', 'UPPERKEY', '__proto__', 'constructor', 'toString'];
const EVENTS = ['Newchannel', 'Hangup', 'QueueCallerJoin', 'AgentConnect', 'AgentComplete', 'QueueMemberStatus', 'VarSet', 'DialBegin', 'FullyBooted', 'UserEvent'];
const WORDS = ['', 'PJSIP/1001-00000001', '79161234567', 'Иванова Анна Петровна', 'Ёлка 🎄 ёж', 'sip:1001@127.0.0.1:5060;transport=udp', 'a: b: c', ':', '  leading spaces', 'trailing spaces  ', 'tab\there', '1700000000.123', '中文字符', 'x=y=z', 'Вологда, ул. Ленина, д. 5', '\u00e9\u0301', '--END COMMAND--x'];

function value(r: Rng): string {
  if (r.chance(0.2)) return String(r.int(0, 1e9));
  let v = r.pick(WORDS);
  if (r.chance(0.3)) v += ':' + r.pick(WORDS);
  return v;
}

function eol(r: Rng, crlf: boolean): string {
  return crlf ? (r.chance(0.02) ? '\n' : '\r\n') : '\n';
}

interface Expected {
  type: AmiMessage['type'];
  fields: AmiFields;
  output?: string[];
}

function addField(f: AmiFields, k: string, v: string) {
  const prev = f[k];
  if (prev === undefined) f[k] = v;
  else if (typeof prev === 'string') f[k] = [prev, v];
  else prev.push(v);
}

/** A valid event or response: its bytes and the message the parser must give. */
function validMessage(r: Rng): { text: string; expected: Expected } {
  const crlf = r.chance(0.9);
  const fields = Object.create(null) as AmiFields;
  const lines: [string, string][] = [];
  const isEvent = r.chance(0.75);
  if (isEvent) lines.push(['Event', r.pick(EVENTS)]);
  else lines.push([r.pick(['Response', 'response', 'RESPONSE']), r.pick(['Success', 'Error', 'Goodbye'])]);
  const n = r.int(0, 30);
  for (let i = 0; i < n; i++) {
    if (r.chance(0.1)) {
      const key = r.pick(['ChanVariable', 'Variable', 'Output']);
      const reps = r.int(2, 5);
      for (let j = 0; j < reps; j++) lines.push([key, `${r.pick(['PULT_CALL', 'x', 'Имя'])}=${value(r)}`]);
    } else lines.push([r.pick(KEYS), value(r)]);
  }
  let text = '';
  for (const [k, v] of lines) {
    addField(fields, k, v);
    text += `${k}: ${v}${eol(r, crlf)}`;
  }
  text += eol(r, crlf);
  return { text, expected: { type: isEvent ? 'event' : 'response', fields } };
}

/** A legacy `Response: Follows` command response. */
function followsMessage(r: Rng): { text: string; expected: Expected } {
  const fields = Object.create(null) as AmiFields;
  fields.Response = 'Follows';
  fields.Privilege = 'Command';
  fields.ActionID = String(r.int(1, 1e6));
  const output: string[] = [];
  const n = r.int(0, 12);
  for (let i = 0; i < n; i++) output.push(r.chance(0.15) ? '' : r.pick(['Name/username             Host', 'Channel: PJSIP/1001', 'core show channels', '1 active call', 'Ключ: значение', value(r) || 'x']));
  let text = `Response: Follows\r\nPrivilege: Command\r\nActionID: ${fields.ActionID}\r\n`;
  for (const l of output) text += l + '\r\n';
  text += '--END COMMAND--\r\n\r\n';
  return { text, expected: { type: 'response', fields, output } };
}

interface Bad {
  bytes: Buffer;
  reasons: AmiParseErrorReason[];
}

function badFrame(r: Rng, nextIsMessage: boolean): Bad | null {
  const kind = r.int(0, nextIsMessage ? 6 : 5);
  const prefix = r.chance(0.5) ? `Event: ${r.pick(EVENTS)}\r\nChannel: PJSIP/1-0001\r\n` : '';
  switch (kind) {
    case 0:
      return { bytes: Buffer.from(`${prefix}this line has no colon ${r.int(0, 999)}\r\nAfter: still the bad frame\r\n\r\n`), reasons: ['no-colon'] };
    case 1: {
      const long = 'x'.repeat(64 * 1024 + r.int(1, 8000));
      return { bytes: Buffer.from(`${prefix}Long: ${long}\r\nMore: junk\r\n\r\n`), reasons: ['line-too-long'] };
    }
    case 2: {
      let t = 'Event: Flood\r\n';
      for (let i = 0; i < 1000 + r.int(0, 50); i++) t += `K${i}: v\r\n`;
      return { bytes: Buffer.from(t + '\r\n'), reasons: ['too-many-keys'] };
    }
    case 3: {
      // Binary junk: random bytes without LF (so no empty line inside), starting with NUL.
      const n = r.int(1, 600);
      const junk = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        let b = r.int(0, 255);
        if (b === 0x0a) b = 0x00;
        junk[i] = b;
      }
      junk[0] = 0;
      // Some LFs, never two in a row, never next to a CR LF.
      for (let i = 10; i < n - 10; i += r.int(20, 200)) if (junk[i - 1] !== 0x0d && junk[i + 1] !== 0x0d) junk[i] = 0x0a;
      return { bytes: Buffer.concat([Buffer.from(prefix), junk, Buffer.from('\r\n\r\n')]), reasons: ['no-colon', 'control-characters', 'bad-key'] };
    }
    case 4:
      return { bytes: Buffer.from('Foo: bar\r\nBaz: qux\r\n\r\n'), reasons: ['no-type'] };
    case 5:
      return { bytes: Buffer.from(`${prefix} Leading: blank key\r\n\r\n`), reasons: ['bad-key'] };
    case 6:
      // Command output whose marker never comes; the next message must survive.
      return { bytes: Buffer.from('Response: Follows\r\nActionID: 9\r\nsome output\r\n\r\n'), reasons: ['unterminated-output'] };
  }
  return null;
}

function buildStream(seed: number, items: number, badRate: number) {
  const r = prng(seed);
  const parts: Buffer[] = [Buffer.from('Asterisk Call Manager/11.0.0\r\n')];
  const expected: Expected[] = [{ type: 'banner', fields: Object.assign(Object.create(null) as AmiFields, { Banner: 'Asterisk Call Manager/11.0.0', Version: '11.0.0' }) }];
  const bad: Bad[] = [];
  let pendingBad: Bad | null = null;
  for (let i = 0; i < items; i++) {
    if (pendingBad === null && r.chance(badRate)) {
      // Decide the bad frame now; 'unterminated-output' needs a message right after it.
      const b = badFrame(r, true)!;
      parts.push(b.bytes);
      bad.push(b);
      if (b.reasons[0] === 'unterminated-output') pendingBad = b;
      continue;
    }
    pendingBad = null;
    const m = r.chance(0.05) ? followsMessage(r) : validMessage(r);
    parts.push(Buffer.from(m.text));
    expected.push(m.expected);
    if (r.chance(0.03)) parts.push(Buffer.from('\r\n')); // stray empty lines are harmless
  }
  if (pendingBad) {
    const m = validMessage(r);
    parts.push(Buffer.from(m.text));
    expected.push(m.expected);
  }
  return { bytes: Buffer.concat(parts), expected, bad, rng: r };
}

function parseInChunks(bytes: Buffer, r: Rng, maxChunk: number) {
  const messages: AmiMessage[] = [];
  const errors: AmiParseError[] = [];
  const p = new AmiParser({ onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) });
  let pos = 0;
  while (pos < bytes.length) {
    const n = r.chance(0.3) ? r.int(1, 4) : r.int(1, maxChunk);
    p.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  p.end();
  return { messages, errors };
}

function check(seed: number, items: number, badRate: number, maxChunk: number) {
  const { bytes, expected, bad, rng } = buildStream(seed, items, badRate);
  const { messages, errors } = parseInChunks(bytes, rng, maxChunk);
  const got = messages.map((m) => (m.output ? { type: m.type, fields: m.fields, output: m.output } : { type: m.type, fields: m.fields }));
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(got[i], `message ${i}`).toEqual(expected[i]);
  expect(errors.length).toBe(bad.length);
  errors.forEach((e, i) => expect(bad[i]!.reasons, `error ${i}: ${e.reason} ${e.detail}`).toContain(e.reason));
  return { bytes: bytes.length, messages: messages.length, errors: errors.length };
}

describe('AMI parser fuzz', () => {
  it('thousands of messages with bad frames, random chunk boundaries (3 seeds)', () => {
    for (const seed of [1, 42, 20240607]) {
      const res = check(seed, 4000, 0.08, 3000);
      expect(res.messages).toBeGreaterThan(3000);
      expect(res.errors).toBeGreaterThan(200);
    }
  }, 60_000); // CPU-bound: on a loaded 2-core machine it outruns the 5 s default

  it('tiny chunks (1–4 bytes) everywhere', () => {
    check(7, 600, 0.1, 4);
  });

  it('whole stream in one chunk and chunk by chunk give the same result', () => {
    const { bytes } = buildStream(99, 1500, 0.1);
    const run = (chunk: number) => {
      const out: unknown[] = [];
      const p = new AmiParser({ onMessage: (m) => out.push(['m', m.type, m.fields, m.output]), onError: (e) => out.push(['e', e.reason]) });
      for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
      return out;
    };
    expect(run(7)).toEqual(run(bytes.length));
    expect(run(65536)).toEqual(run(bytes.length));
  });

  it('pure random bytes never throw', () => {
    const r = prng(123);
    for (let round = 0; round < 200; round++) {
      const p = new AmiParser({ onMessage: () => undefined, onError: () => undefined, maxLineBytes: 512, maxKeys: 20 });
      const n = r.int(0, 20_000);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = r.chance(0.05) ? 0x0a : r.chance(0.05) ? 0x3a : r.int(0, 255);
      expect(() => {
        for (let i = 0; i < n; ) {
          const k = r.int(1, 700);
          p.push(b.subarray(i, i + k));
          i += k;
        }
        p.end();
      }).not.toThrow();
    }
  });
});
