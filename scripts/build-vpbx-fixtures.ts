// Writes fixtures/vpbx/<vendor>/*.json: example webhook deliveries built from
// the vendors' documented formats, signed with the TEST secrets below (see
// fixtures/vpbx/README.md). Run: npx tsx scripts/build-vpbx-fixtures.ts
// Each file: { description, account, deliveries: [{ receivedAt, endpoint?, headers?, form }] }
// where `form` is the request's form fields as the HTTP layer parses them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mangoSign } from '../src/telephony/vpbx/mango/verify.js';
import { zadarmaSignature, zadarmaSignedString } from '../src/telephony/vpbx/zadarma/verify.js';

export const TEST_SECRETS = {
  itoolabs: { account: 'vats000000.megapbx.ru', crmToken: 'test-itoolabs-crm-token-0001' },
  mango: { apiKey: 'testmangovpbxapikey0000000000001', apiSalt: 'test-mango-salt-0001' },
  zadarma: { key: 'test-zadarma-key-0001', secret: 'test-zadarma-secret-0001' },
};

const root = join(import.meta.dirname, '..', 'fixtures', 'vpbx');
interface Delivery { receivedAt: string; endpoint?: string; headers?: Record<string, string>; form: Record<string, string> }
const write = (vendor: string, name: string, description: string, account: string, deliveries: Delivery[]) => {
  mkdirSync(join(root, vendor), { recursive: true });
  writeFileSync(join(root, vendor, `${name}.json`), JSON.stringify({ description, account, deliveries }, null, 2) + '\n');
};
// 2026-03-10 09:15:00 Moscow (UTC+3) = 06:15:00Z.
const T0 = Date.UTC(2026, 2, 10, 6, 15, 0) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

// ---------------------------------------------------------------- itoolabs
{
  const { account, crmToken } = TEST_SECRETS.itoolabs;
  const f = (t: number, form: Record<string, string>): Delivery => ({ receivedAt: iso(T0 + t), form: { ...form, crm_token: crmToken } });
  const leg = (type: string, callid: string, user: string, ext: string, extra: Record<string, string> = {}) => ({
    cmd: 'event', type, phone: '79161234567', diversion: '74951234567', user, ext, groupRealName: 'Диспетчерская',
    telnum: '', direction: 'in', callid, ...extra,
  });
  const history = (callid: string, status: string, duration: string, link: string, user = 'ivanov', ext = '101') => ({
    cmd: 'history', type: 'in', status, phone: '79161234567', diversion: '74951234567', user, ext,
    groupRealName: 'Диспетчерская', telnum: '', start: '20260310T061500Z', duration, callid, link, rating: '',
  });
  const A = 'B10D0EB124F4E64AF4EA-1511';
  write('itoolabs', 'full-call', 'Inbound call: contact lookup, two operators rung, ivanov answers, petrov\'s leg cancelled, history with recording, rating.', account, [
    f(0, { cmd: 'contact', phone: '79161234567', callid: A }),
    f(1, leg('INCOMING', A, 'ivanov', '101')),
    f(1, leg('INCOMING', A, 'petrov', '102')),
    f(6, leg('ACCEPTED', A, 'ivanov', '101')),
    f(6, leg('CANCELLED', A, 'petrov', '102')),
    f(96, leg('COMPLETED', A, 'ivanov', '101')),
    f(98, history(A, 'Success', '90', 'https://vats000000.megapbx.ru/rec/B10D0EB124F4E64AF4EA-1511.mp3')),
    f(110, { cmd: 'rating', callid: A, rating: '5', phone: '79161234567', user: 'ivanov', ext: '101' }),
  ]);
  const B = 'C20D0EB124F4E64AF4EA-2622';
  write('itoolabs', 'missed-call', 'Inbound call nobody answers: the caller hangs up after 25 s; history Missed without a recording.', account, [
    f(0, leg('INCOMING', B, 'ivanov', '101')),
    f(25, leg('CANCELLED', B, 'ivanov', '101')),
    f(26, history(B, 'Missed', '25', '')),
  ]);
  const C = 'D30D0EB124F4E64AF4EA-3733';
  write('itoolabs', 'transfer', 'ivanov answers and transfers to petrov (ext 102), who answers; history Success.', account, [
    f(0, leg('INCOMING', C, 'ivanov', '101')),
    f(5, leg('ACCEPTED', C, 'ivanov', '101')),
    f(30, leg('TRANSFERRED', C, 'petrov', '102', { second_callid: 'D30D0EB124F4E64AF4EA-3734' })),
    f(34, leg('ACCEPTED', C, 'petrov', '102')),
    f(120, leg('COMPLETED', C, 'petrov', '102')),
    f(121, history(C, 'Success', '120', 'https://vats000000.megapbx.ru/rec/D30D0EB124F4E64AF4EA-3733.mp3', 'petrov', '102')),
  ]);
  const D = 'E40D0EB124F4E64AF4EA-4844';
  write('itoolabs', 'outbound-call', 'Operator ivanov calls a client out (not in the inbound contract: translates to nothing).', account, [
    f(0, { cmd: 'event', type: 'OUTGOING', phone: '79167654321', diversion: '74951234567', user: 'ivanov', ext: '101', direction: 'out', callid: D }),
    f(40, { ...history(D, 'Success', '35', ''), type: 'out', phone: '79167654321' }),
  ]);
}

// ---------------------------------------------------------------- mango
{
  const { apiKey, apiSalt } = TEST_SECRETS.mango;
  // JSON as Mango sends it: compact, no spaces (VPBX API §2.4.4).
  const f = (t: number, endpoint: string, payload: unknown): Delivery => {
    const json = JSON.stringify(payload);
    return { receivedAt: iso(T0 + t), endpoint, form: { vpbx_api_key: apiKey, sign: mangoSign(apiKey, json, apiSalt), json } };
  };
  const caller = { number: '79161234567' };
  const call = (entry: string, callId: string, t: number, seq: number, state: string, location: string, to: Record<string, string>, extra: Record<string, unknown> = {}) =>
    f(t, 'call', { entry_id: entry, call_id: callId, timestamp: T0 + t, seq, call_state: state, location, from: caller, to, ...extra });
  const ivrTo = { number: '74951234567', line_number: '74951234567' };
  const ext = (e: string) => ({ extension: e, number: `sip:op${e}@test.mangosip.ru`, line_number: '74951234567' });
  const E = 'MToxMDA1NzU5Mzo0MDA6MTAwMQ==';
  write('mango', 'full-call', 'Inbound call through the IVR to extension 101: answered, recorded, summary, record ready.', apiKey, [
    call(E, 'E-ivr', 0, 1, 'Appeared', 'ivr', ivrTo),
    call(E, 'E-ivr', 4, 2, 'Disconnected', 'ivr', ivrTo, { disconnect_reason: 1100 }),
    call(E, 'E-101', 4, 1, 'Appeared', 'abonent', ext('101'), { from: { ...caller, taken_from_call_id: 'E-ivr' } }),
    call(E, 'E-101', 9, 2, 'Connected', 'abonent', ext('101'), { from: { ...caller, taken_from_call_id: 'E-ivr' } }),
    f(9, 'recording', { recording_id: 'REC-E-101', recording_state: 'Started', entry_id: E, call_id: 'E-101', extension: '101', timestamp: T0 + 9, seq: 1 }),
    call(E, 'E-101', 99, 3, 'Disconnected', 'abonent', ext('101'), { from: { ...caller, taken_from_call_id: 'E-ivr' }, disconnect_reason: 1110 }),
    f(99, 'recording', { recording_id: 'REC-E-101', recording_state: 'Completed', entry_id: E, call_id: 'E-101', extension: '101', timestamp: T0 + 99, seq: 2, completion_code: 1000 }),
    f(100, 'summary', { entry_id: E, call_direction: 1, from: caller, to: { extension: '101', number: 'sip:op101@test.mangosip.ru' }, line_number: '74951234567', create_time: T0, forward_time: T0 + 4, talk_time: T0 + 9, end_time: T0 + 99, entry_result: 1, disconnect_reason: 1110 }),
    f(130, 'record/added', { entry_id: E, product_id: '1', recording_id: 'REC-E-101', timestamp: T0 + 130 }),
  ]);
  const M = 'MToxMDA1NzU5Mzo0MDA6MjAwMg==';
  write('mango', 'missed-call', 'Inbound call straight to extension 101 (no IVR); nobody answers, the caller hangs up after 30 s. seq and timestamp as strings, as in Mango\'s own examples.', apiKey, [
    f(0, 'call', { entry_id: M, call_id: 'M-101', timestamp: String(T0), seq: '1', call_state: 'Appeared', location: 'abonent', from: caller, to: ext('101') }),
    f(30, 'call', { entry_id: M, call_id: 'M-101', timestamp: String(T0 + 30), seq: '2', call_state: 'Disconnected', location: 'abonent', from: caller, to: ext('101'), disconnect_reason: '1110' }),
    f(31, 'summary', { entry_id: M, call_direction: 1, from: caller, to: { extension: '101' }, line_number: '74951234567', create_time: T0, forward_time: T0, talk_time: 0, end_time: T0 + 30, entry_result: 0, disconnect_reason: 1110 }),
  ]);
  const X = 'MToxMDA1NzU5Mzo0MDA6MzAwMw==';
  write('mango', 'transfer', 'Extension 101 answers and transfers (blind) to 102, who answers.', apiKey, [
    call(X, 'X-101', 0, 1, 'Appeared', 'abonent', ext('101')),
    call(X, 'X-101', 5, 2, 'Connected', 'abonent', ext('101')),
    call(X, 'X-102', 40, 1, 'Appeared', 'abonent', ext('102'), { transfer: 'blind' }),
    call(X, 'X-101', 40, 3, 'Disconnected', 'abonent', ext('101'), { disconnect_reason: 1120 }),
    call(X, 'X-102', 44, 2, 'Connected', 'abonent', ext('102'), { transfer: 'blind' }),
    call(X, 'X-102', 150, 3, 'Disconnected', 'abonent', ext('102'), { transfer: 'blind', disconnect_reason: 1110 }),
    f(151, 'summary', { entry_id: X, call_direction: 1, from: caller, to: { extension: '102' }, line_number: '74951234567', create_time: T0, forward_time: T0, talk_time: T0 + 5, end_time: T0 + 150, entry_result: 1, disconnect_reason: 1110 }),
  ]);
  const O = 'MToxMDA1NzU5Mzo0MDA6NDAwNA==';
  write('mango', 'outbound-call', 'Extension 1234 calls a client out (example from the VPBX API docs): translates to nothing.', apiKey, [
    f(0, 'call', { entry_id: O, call_id: 'O-1', timestamp: T0, seq: 1, location: 'abonent', call_state: 'Appeared', from: { extension: '1234' }, to: { number: '79167654321' } }),
    f(12, 'call', { entry_id: O, call_id: 'O-1', timestamp: T0 + 12, seq: 2, location: 'abonent', call_state: 'Connected', from: { extension: '1234', number: '74955404444' }, to: { number: '79167654321' } }),
    f(32, 'summary', { entry_id: O, call_direction: 2, from: { extension: '1234' }, to: { number: '79167654321' }, line_number: '74955404444', create_time: T0, forward_time: T0, talk_time: T0 + 12, end_time: T0 + 32, entry_result: 1, disconnect_reason: 1120 }),
  ]);
}

// ---------------------------------------------------------------- zadarma
{
  const { key, secret } = TEST_SECRETS.zadarma;
  const f = (t: number, form: Record<string, string>): Delivery => ({
    receivedAt: iso(T0 + t), headers: { Signature: zadarmaSignature(zadarmaSignedString(form)!, secret) }, form,
  });
  const start = '2026-03-10 09:15:00'; // Moscow time = 06:15:00Z
  const base = (id: string, callerId = '79161234567') => ({ call_start: start, pbx_call_id: id, caller_id: callerId, called_did: '74951234567' });
  const Z = 'in_0123456789abcdef0123456789abcdef01234567';
  write('zadarma', 'full-call', 'Inbound call rings extension 101, answered, 90 s talk, recorded.', key, [
    f(0, { event: 'NOTIFY_START', ...base(Z) }),
    f(1, { event: 'NOTIFY_INTERNAL', ...base(Z), internal: '101' }),
    f(6, { event: 'NOTIFY_ANSWER', caller_id: '79161234567', destination: '101', call_start: start, pbx_call_id: Z, internal: '101' }),
    f(96, { event: 'NOTIFY_END', ...base(Z), internal: '101', duration: '90', disposition: 'answered', status_code: '16', is_recorded: '1', call_id_with_rec: '1773123300.123456' }),
    f(140, { event: 'NOTIFY_RECORD', call_id_with_rec: '1773123300.123456', pbx_call_id: Z }),
  ]);
  const N = 'in_1123456789abcdef0123456789abcdef01234567';
  write('zadarma', 'missed-call', 'Inbound call from a withheld number rings 101; the caller hangs up (disposition cancel).', key, [
    f(0, { event: 'NOTIFY_START', ...base(N, 'anonymous') }),
    f(1, { event: 'NOTIFY_INTERNAL', ...base(N, 'anonymous'), internal: '101' }),
    f(25, { event: 'NOTIFY_END', ...base(N, 'anonymous'), internal: '101', duration: '0', disposition: 'cancel', status_code: '16', is_recorded: '0', call_id_with_rec: '' }),
  ]);
  const X = 'in_2123456789abcdef0123456789abcdef01234567';
  write('zadarma', 'transfer', '101 answers and transfers to 102 (Zadarma sends no transfer event: a second INTERNAL/ANSWER on the same pbx_call_id).', key, [
    f(0, { event: 'NOTIFY_START', ...base(X) }),
    f(1, { event: 'NOTIFY_INTERNAL', ...base(X), internal: '101' }),
    f(5, { event: 'NOTIFY_ANSWER', caller_id: '79161234567', destination: '101', call_start: start, pbx_call_id: X, internal: '101' }),
    f(40, { event: 'NOTIFY_INTERNAL', ...base(X), internal: '102' }),
    f(44, { event: 'NOTIFY_ANSWER', caller_id: '79161234567', destination: '102', call_start: start, pbx_call_id: X, internal: '102' }),
    f(150, { event: 'NOTIFY_END', ...base(X), internal: '102', duration: '145', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' }),
  ]);
  const O = 'out_3123456789abcdef0123456789abcdef01234567';
  write('zadarma', 'outbound-call', 'Extension 101 calls a client out: translates to nothing.', key, [
    f(0, { event: 'NOTIFY_OUT_START', call_start: start, pbx_call_id: O, internal: '101', destination: '79167654321' }),
    f(40, { event: 'NOTIFY_OUT_END', call_start: start, pbx_call_id: O, caller_id: '74951234567', destination: '79167654321', internal: '101', duration: '35', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' }),
  ]);
  writeFileSync(join(root, 'zadarma', 'zd-echo.txt'), 'GET /webhooks/zadarma?zd_echo=f6a1c2d3e4b5\n');
}
console.log(`fixtures written under ${root}`);
