// Issue 12 item 1, from outside: the journal of a company over HTTP — every
// column exact for requests covering a call with a recording, an anonymous
// caller, a reassignment, a met and a broken deadline, no deadline, the
// period's edges in room time; the XLSX read back cell by cell, the CSV
// parsed back; another company's journal and exports are 404; the monthly
// archive is immutable and a tampered file is refused with a 409.
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { CallRepository } from '../../src/features/calls/repository.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
const clock = { t: Date.parse('2026-10-31T20:30:00Z'), now() { return new Date(this.t); } };
const at = (iso: string) => void (clock.t = Date.parse(iso));

let operator = ''; // companies 1 and 2
let operator2 = ''; // company 1 only
let admin = '';
let operator2Id = 0;
let operatorId = 0;
let account: { number: string; address: string; flat: string | null };
const ids: Record<'oct' | 'a' | 'b' | 'c' | 'd' | 'e', number> = { oct: 0, a: 0, b: 0, c: 0, d: 0, e: 0 };
let anonB = '';
const callA = '00000000-0000-4000-9000-0000000000a1';

async function relogin(): Promise<void> {
  operator = await login(s.url, 'operator', 'demo');
  operator2 = await login(s.url, 'operator2', 'demo');
  admin = await login(s.url, 'admin', 'demo');
}

async function create(body: Record<string, unknown>): Promise<{ id: number; anonymousCaller: string | null }> {
  const r = await api<{ request: { id: number; anonymousCaller: string | null } }>(s.url, 'POST', '/api/requests', body, operator);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.request;
}

async function move(id: number, to: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await api(s.url, 'POST', `/api/requests/${id}/transition`, { to, ...extra }, operator);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A finished call on line 1 (company 1) with a stored recording, as the router leaves it. */
function recordedCall(id: string, arrivedAt: string): void {
  const calls = new CallRepository(s.db);
  calls.create({ id, lineId: 1, did: '74950000001', callerNumber: '79161234567', callerName: null, callerChannelId: `ch-${id}`, arrivedAt });
  calls.end(id, { endedAt: arrivedAt, outcome: 'answered', endReason: 'caller hung up' });
  calls.startRecording(id, `rec-${id}`, 'wav', arrivedAt);
  calls.recordingStored(`rec-${id}`, { filePath: path.join(s.config.recordingsDir, `${id}.wav`), sizeBytes: 44, durationSec: 1, at: arrivedAt });
}

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '40', PULT_TIMEZONE: 'Europe/Moscow' }, { clock });
  await relogin();
  operator2Id = (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, operator2)).body.user.id;
  operatorId = (await api<{ user: { id: number } }>(s.url, 'GET', '/api/me', undefined, operator)).body.user.id;
  const acc = s.db.prepare('SELECT account_number AS number, b.address, a.flat FROM accounts a JOIN buildings b ON b.id = a.building_id WHERE a.tenant_id = 1 ORDER BY a.id LIMIT 1').get() as { number: string; address: string; flat: string | null };
  account = acc;
  const cat = (code: string) => s.db.prepare('SELECT id FROM ticket_categories WHERE code = ?').pluck().get(code) as number;

  // 31.10 23:30 Moscow: before the period.
  ids.oct = (await create({ tenantId: 1, address: 'ул. Ленина, д. 7', kind: 'planned', categoryId: cat('other-planned'), description: 'Октябрьская заявка', channel: 'other' })).id;

  // A: 03.11 09:15 Moscow, from a recorded call, by account; handed, accepted, done within 30 min, closed.
  at('2026-11-03T06:15:00Z');
  await relogin();
  recordedCall(callA, '2026-11-03T06:10:00Z');
  ids.a = (await create({ accountNumber: account.number, kind: 'emergency', categoryId: cat('water-leak'), description: 'Течь стояка ГВС в ванной', callerName: 'Сидорова Е. В.', callerPhone: '+7 916 123-45-67', callId: callA, channel: 'call' })).id;
  at('2026-11-03T06:20:00Z');
  await move(ids.a, 'assigned', { assigneeId: operator2Id });
  at('2026-11-03T06:30:00Z');
  await move(ids.a, 'in_work');
  at('2026-11-03T06:40:00Z');
  await move(ids.a, 'done', { result: 'Заменён участок трубы' });
  at('2026-11-03T07:00:00Z');
  await move(ids.a, 'closed');

  // B: 10.11 23:50 Moscow, anonymous walk-in; handed to one, reassigned to another, done late (2 h deadline), left open.
  at('2026-11-10T20:50:00Z');
  await relogin();
  const b = await create({ tenantId: 1, address: 'ул. Ленина, д. 7', flat: '12', kind: 'emergency', categoryId: cat('sewer-blockage'), description: 'Засор канализации в подвале', anonymous: true, channel: 'walk-in' });
  ids.b = b.id;
  anonB = b.anonymousCaller ?? '';
  at('2026-11-10T21:00:00Z');
  await move(ids.b, 'assigned', { assigneeId: operatorId });
  at('2026-11-10T21:10:00Z');
  expect((await api(s.url, 'PATCH', `/api/requests/${ids.b}`, { assigneeId: operator2Id }, operator)).status).toBe(200);
  at('2026-11-10T21:20:00Z');
  await move(ids.b, 'in_work');
  at('2026-11-10T23:30:00Z');
  await move(ids.b, 'done', { result: 'Прочищено тросом' });

  // D: company 2, mid-November.
  at('2026-11-15T09:00:00Z');
  await relogin();
  ids.d = (await create({ tenantId: 2, address: 'пр. Мира, д. 1', kind: 'planned', categoryId: cat('other-planned'), description: 'Заявка другой компании', channel: 'other' })).id;

  // C: 30.11 23:59 Moscow (the period's last minute): no deadline; text a spreadsheet would run as a formula.
  at('2026-11-30T20:59:00Z');
  await relogin();
  ids.c = (await create({ tenantId: 1, address: 'ул. Мира; д. 3 "А"', kind: 'planned', categoryId: cat('other-planned'), description: '=HYPERLINK("http://evil.example/";"нажми")\nвторая строка', callerName: '@Петрова', channel: 'web' })).id;
  // E: 01.12 00:01 Moscow: after the period.
  at('2026-11-30T21:01:00Z');
  ids.e = (await create({ tenantId: 1, address: 'ул. Ленина, д. 7', kind: 'planned', categoryId: cat('other-planned'), description: 'Декабрьская заявка', channel: 'other' })).id;

  at('2026-12-02T08:00:00Z');
  await relogin();
}, 60_000);

afterAll(async () => {
  await s?.stop();
});

const num = (id: number) => (s.db.prepare('SELECT number FROM tickets WHERE id = ?').pluck().get(id) as string);

function expected(): Record<'a' | 'b' | 'c', Record<string, string>> {
  return {
    a: {
      number: num(ids.a), received: '03.11.2026 09:15', channel: 'Телефон', registeredBy: 'Диспетчер Иванова А. П.', caller: 'Сидорова Е. В.', phone: '79161234567',
      address: account.address, flat: account.flat ?? '', account: account.number, category: 'Авария на внутридомовых сетях водоснабжения (локализация)', subcategory: '', kind: 'Аварийная',
      description: 'Течь стояка ГВС в ванной', handedAt: '03.11.2026 09:20', handedTo: 'Диспетчер Петров С. И.', acceptedAt: '03.11.2026 09:30', doneAt: '03.11.2026 09:40',
      result: 'Заменён участок трубы', closedAt: '03.11.2026 10:00', stage: 'Закрыта', dueAt: '03.11.2026 09:45', deadline: 'в срок', recording: 'Прослушать (карточка заявки)',
    },
    b: {
      number: num(ids.b), received: '10.11.2026 23:50', channel: 'Личный приём', registeredBy: 'Диспетчер Иванова А. П.', caller: anonB, phone: '',
      address: 'ул. Ленина, д. 7', flat: '12', account: '', category: 'Засор канализации', subcategory: '', kind: 'Аварийная',
      description: 'Засор канализации в подвале', handedAt: '11.11.2026 00:00', handedTo: 'Диспетчер Петров С. И.', acceptedAt: '11.11.2026 00:20', doneAt: '11.11.2026 02:30',
      result: 'Прочищено тросом', closedAt: '', stage: 'Выполнена', dueAt: '11.11.2026 01:50', deadline: 'нарушен', recording: '',
    },
    c: {
      number: num(ids.c), received: '30.11.2026 23:59', channel: 'Сайт', registeredBy: 'Диспетчер Иванова А. П.', caller: '@Петрова', phone: '',
      address: 'ул. Мира; д. 3 "А"', flat: '', account: '', category: 'Прочая плановая заявка', subcategory: '', kind: 'Плановая',
      description: '=HYPERLINK("http://evil.example/";"нажми")\nвторая строка', handedAt: '', handedTo: '', acceptedAt: '', doneAt: '',
      result: '', closedAt: '', stage: 'Новая', dueAt: '', deadline: 'без срока', recording: '',
    },
  };
}

const titles = ['№ заявки', 'Поступила', 'Канал', 'Зарегистрировал', 'Заявитель', 'Телефон', 'Адрес', 'Кв.', 'Лицевой счёт', 'Категория', 'Подкатегория', 'Вид', 'Содержание заявки',
  'Передана в работу', 'Кому передана (исполнитель)', 'Принята исполнителем', 'Выполнена', 'Результат', 'Закрыта', 'Стадия', 'Срок', 'Соблюдение срока', 'Запись разговора'];

interface Page { tenant: { id: number; name: string }; columns: { key: string; title: string }[]; items: { requestId: number; cells: Record<string, string>; links: Record<string, string> }[]; next: string | null }

async function download(p: string, token: string): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  const r = await fetch(s.url + p, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', disposition: r.headers.get('content-disposition') ?? '', body: Buffer.from(await r.arrayBuffer()) };
}

/** RFC 4180 with ';' between fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  const endField = () => {
    row.push(f);
    f = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ';') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else f += ch;
  }
  if (f || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('the journal of a company', () => {
  it('holds one row per request of the period in room time, every column exact', async () => {
    const r = await api<Page>(s.url, 'GET', '/api/journal?tenantId=1&from=2026-11-01&to=2026-11-30', undefined, operator2);
    expect(r.status).toBe(200);
    expect(r.body.tenant.name).toBe('УК «Северный квартал»');
    expect(r.body.columns.map((c) => c.title)).toEqual(titles);
    expect(r.body.items.map((i) => i.requestId)).toEqual([ids.a, ids.b, ids.c]);
    const e = expected();
    expect(r.body.items[0]!.cells).toEqual(e.a);
    expect(r.body.items[1]!.cells).toEqual(e.b);
    expect(r.body.items[2]!.cells).toEqual(e.c);
    expect(anonB).toMatch(/^Аноним № \d+$/);
    expect(r.body.items[0]!.links).toEqual({ recording: `${s.url}/?request=${ids.a}` });
    expect(r.body.items[1]!.links).toEqual({});
  });

  it('pages by the `next` cursor without gaps or repeats', async () => {
    const first = await api<Page>(s.url, 'GET', '/api/journal?tenantId=1&from=2026-11-01&to=2026-11-30&limit=2', undefined, operator);
    expect(first.body.items.map((i) => i.requestId)).toEqual([ids.a, ids.b]);
    expect(first.body.next).not.toBeNull();
    const second = await api<Page>(s.url, 'GET', `/api/journal?tenantId=1&from=2026-11-01&to=2026-11-30&limit=2&cursor=${encodeURIComponent(first.body.next!)}`, undefined, operator);
    expect(second.body.items.map((i) => i.requestId)).toEqual([ids.c]);
    expect(second.body.next).toBeNull();
  });

  it('exports the same rows as XLSX, read back cell by cell', async () => {
    const d = await download('/api/journal.xlsx?tenantId=1&from=2026-11-01&to=2026-11-30', operator2);
    expect(d.status).toBe(200);
    expect(d.type).toContain('spreadsheetml');
    expect(decodeURIComponent(d.disposition)).toContain('Журнал_УК Северный квартал_01.11.2026-30.11.2026.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(d.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Журнал заявок');
    expect(ws.getCell(1, 1).value).toBe('Журнал заявок: УК «Северный квартал», 01.11.2026 — 30.11.2026 (время: Europe/Moscow)');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(titles);
    expect(ws.rowCount).toBe(5);
    const e = expected();
    const keys = Object.keys(e.a);
    for (const [rowNo, want] of [[3, e.a], [4, e.b], [5, e.c]] as const) {
      keys.forEach((k, i) => {
        const v = ws.getCell(rowNo, i + 1).value;
        const text = v === null || v === undefined ? '' : typeof v === 'object' ? (v as { text: string }).text : String(v);
        expect(text, `row ${rowNo} ${k}`).toBe(want[k]);
      });
    }
    expect(ws.getCell(3, keys.indexOf('recording') + 1).value).toEqual({ text: 'Прослушать (карточка заявки)', hyperlink: `${s.url}/?request=${ids.a}` });
  });

  it('exports the same rows as CSV for Excel: BOM, «;», quoting, formulas defused', async () => {
    const d = await download('/api/journal.csv?tenantId=1&from=2026-11-01&to=2026-11-30', operator2);
    expect(d.status).toBe(200);
    expect(d.type).toBe('text/csv; charset=utf-8');
    expect([...d.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(d.body.toString('utf8').slice(1));
    expect(rows[0]).toEqual(titles);
    expect(rows).toHaveLength(4);
    const e = expected();
    const keys = Object.keys(e.a);
    const want = (x: Record<string, string>) => keys.map((k) => (x[k]!.startsWith('=') || x[k]!.startsWith('@') ? `'${x[k]}` : x[k]));
    expect(rows[1]).toEqual(want({ ...e.a, recording: `${s.url}/?request=${ids.a}` }));
    expect(rows[2]).toEqual(want(e.b));
    expect(rows[3]).toEqual(want(e.c));
    expect(rows[3]![keys.indexOf('description')]).toBe('\'=HYPERLINK("http://evil.example/";"нажми")\nвторая строка');
  });

  it('offers the user only their companies to pick', async () => {
    const mine = await api<{ items: { id: number; name: string }[] }>(s.url, 'GET', '/api/journal/companies', undefined, operator2);
    expect(mine.body.items).toEqual([{ id: 1, name: 'УК «Северный квартал»' }]);
    const both = await api<{ items: { id: number }[] }>(s.url, 'GET', '/api/journal/companies', undefined, operator);
    expect(both.body.items.map((c) => c.id)).toEqual([1, 2]);
  });

  it('refuses another company, other roles and bad periods', async () => {
    for (const p of ['/api/journal?tenantId=2', '/api/journal.xlsx?tenantId=2', '/api/journal.csv?tenantId=2', '/api/journal?tenantId=999']) {
      const r = await api<{ error: { code: string } }>(s.url, 'GET', p, undefined, operator2);
      expect(r.status, p).toBe(404);
    }
    // Company 2's own journal holds only its request.
    const two = await api<Page>(s.url, 'GET', '/api/journal?tenantId=2&from=2026-11-01&to=2026-11-30', undefined, operator);
    expect(two.body.items.map((i) => i.requestId)).toEqual([ids.d]);
    const mobile = await login(s.url, 'mobile', 'demo');
    expect((await api(s.url, 'GET', '/api/journal?tenantId=1', undefined, mobile)).status).toBe(403);
    expect((await api(s.url, 'GET', '/api/journal?tenantId=1')).status).toBe(401);
    const bad = async (q: string, field: string) => {
      const r = await api<{ error: { code: string; message: string; details: { field: string }[] } }>(s.url, 'GET', `/api/journal?${q}`, undefined, operator);
      expect(r.status, q).toBe(400);
      expect(r.body.error.details.map((x) => x.field), q).toContain(field);
    };
    await bad('from=2026-11-01', 'tenantId');
    await bad('tenantId=1&from=2026-13-01', 'from');
    await bad('tenantId=1&from=2026-11-30&to=2026-11-01', 'from');
    await bad('tenantId=1&from=2024-01-01&to=2026-11-01', 'to');
    await bad('tenantId=1&limit=0', 'limit');
  });
});

describe('the monthly archive', () => {
  interface Exp { id: number; tenantId: number; period: string; format: string; sha256: string; size: number; rows: number; created?: boolean; url: string }

  it('archives a past month once per company and format, lists and serves it within the company, refuses a tampered file', async () => {
    const cur = await api<{ error: { message: string } }>(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period: '2026-12' }, admin);
    expect(cur.status).toBe(400);
    expect(cur.body.error.message).toContain('only a past month');
    expect((await api(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period: '2026-11' }, operator)).status).toBe(403);
    expect((await api(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period: '2026-1' }, admin)).status).toBe(400);

    const one = await api<{ items: Exp[] }>(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period: '2026-11' }, admin);
    expect(one.status).toBe(201);
    expect(one.body.items.map((e) => [e.format, e.rows, e.created])).toEqual([['xlsx', 3, true], ['csv', 3, true]]);
    const two = await api<{ items: Exp[] }>(s.url, 'POST', '/api/journal/exports', { tenantId: 2, period: '2026-11' }, admin);
    expect(two.status).toBe(201);
    // A second run is a no-op: same exports, same hashes, even after the data changed.
    at('2026-12-02T08:30:00Z');
    expect((await api(s.url, 'POST', `/api/requests/${ids.c}/comments`, { text: 'позже' }, operator)).status).toBe(201);
    const again = await api<{ items: Exp[] }>(s.url, 'POST', '/api/journal/exports', { tenantId: 1, period: '2026-11' }, admin);
    expect(again.status).toBe(200);
    expect(again.body.items.map((e) => [e.id, e.sha256, e.created])).toEqual(one.body.items.map((e) => [e.id, e.sha256, false]));

    const list = await api<{ items: Exp[] }>(s.url, 'GET', '/api/journal/exports', undefined, operator2);
    expect(list.body.items.map((e) => e.tenantId)).toEqual([1, 1]);
    const xlsx = one.body.items[0]!;
    const got = await download(xlsx.url, operator2);
    expect(got.status).toBe(200);
    expect(createHash('sha256').update(got.body).digest('hex')).toBe(xlsx.sha256);
    expect(got.body.length).toBe(xlsx.size);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(got.body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getCell(3, 1).value).toBe(num(ids.a));

    // Another company's export: not found, listed or not.
    const otherId = two.body.items[0]!.id;
    expect((await download(`/api/journal/exports/${otherId}`, operator2)).status).toBe(404);
    expect((await api(s.url, 'GET', '/api/journal/exports?tenantId=2', undefined, operator2)).status).toBe(404);
    expect((await download(`/api/journal/exports/${otherId}`, operator)).status).toBe(200);

    // Tampered on disk: refused with a 409 that says why.
    const rel = s.db.prepare('SELECT path FROM journal_exports WHERE id = ?').pluck().get(xlsx.id) as string;
    const file = path.join(s.config.journalDir, rel);
    chmodSync(file, 0o644);
    appendFileSync(file, 'x');
    const refused = await api<{ error: { code: string; message: string } }>(s.url, 'GET', xlsx.url, undefined, operator2);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('export_tampered');
    expect(refused.body.error.message).toContain(xlsx.sha256);
    // The CSV of the same month is untouched and still served.
    expect((await download(one.body.items[1]!.url, operator2)).status).toBe(200);
  });
});
