// Issue 12, item 3: the decree 416 compliance report of a company's month
// as XLSX (read back cell by cell with exceljs) and PDF (pdftotext for the
// figures, pdftoppm for a picture under artifacts/), on the constructed data
// set; and the scheduled daily / weekly snapshots: one per company and
// period however often the job runs, listed and read within the company.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import type { Server } from '../support/security-probes.js';
import { loadReportFixture } from '../support/report-fixture.js';
import { login } from '../../scripts/lib/pult-process.js';
import { AuthService } from '../../src/features/auth/service.js';
import { systemClock } from '../../src/clock.js';
import { ReportService } from '../../src/features/reports/service.js';
import { ReportRepository } from '../../src/features/reports/repository.js';
import { SnapshotRepository } from '../../src/features/reports/snapshots.js';
import { DAILY_REPORT_SCHEDULE, WEEKLY_REPORT_SCHEDULE } from '../../src/features/reports/jobs.js';

let s: Server;
let sup: string;
let sup1: string;

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '200' });
  loadReportFixture(s.db);
  new AuthService(s.db, systemClock, 12).createUser({ login: 'sup-north', password: 'secret-pass', role: 'supervisor', fullName: 'Старший диспетчер севера', tenantIds: [1] });
  sup = await login(s.url, 'supervisor', 'demo');
  sup1 = await login(s.url, 'sup-north', 'secret-pass');
}, 60_000);

afterAll(async () => {
  await s?.stop();
});

async function download(p: string, token = sup): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  const r = await fetch(s.url + p, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', disposition: r.headers.get('content-disposition') ?? '', body: Buffer.from(await r.arrayBuffer()) };
}

describe('compliance report, XLSX', () => {
  it('holds every figure in its cell', async () => {
    const r = await download('/api/reports/compliance.xlsx?tenantId=1&month=2026-11');
    expect(r.status).toBe(200);
    expect(r.type).toContain('spreadsheetml');
    expect(r.disposition).toBe('attachment; filename="compliance-416-1-2026-11.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('ПП 416')!;
    const row = (n: number, cols = 4) => Array.from({ length: cols }, (_, i) => ws.getRow(n).getCell(i + 1).value ?? null);
    expect(row(1, 1)).toEqual(['Отчёт о соблюдении нормативов аварийно-диспетчерского обслуживания']);
    expect(row(2, 2)).toEqual(['Управляющая организация', 'УК «Северный квартал»']);
    expect(row(3)).toEqual(['Период', 'ноябрь 2026', '2026-11-01', '2026-11-30']);
    expect(row(4)[2]).toBe('Часовой пояс');
    expect(row(4)[3]).toBe('Europe/Moscow');
    expect(row(6)).toEqual(['Норматив', 'Выполнено', 'Всего', 'Доля, %']);
    expect(row(7)).toEqual(['Звонки, отвеченные в течение 5 минут', 4, 8, 50]);
    expect(row(8)).toEqual(['Обратные звонки в течение 10 минут', 1, 3, 33.3]);
    expect(row(9)).toEqual(['Заявки, выполненные в установленный срок', 2, 5, 40]);
    expect(row(11, 1)).toEqual(['Звонки']);
    expect([12, 13, 14, 15, 16, 17, 18].map((n) => row(n, 2))).toEqual([
      ['Поступило звонков', 8], ['Отвечено на пульте', 4], ['Отвечено на мобильном', 1], ['Брошено', 1], ['Не отвечено', 1],
      ['Уровень обслуживания, %', 28.6], ['Среднее время ответа, с', 141],
    ]);
    expect(row(20, 1)).toEqual(['Заявки']);
    expect([21, 22, 23, 24, 25, 26, 27, 28].map((n) => row(n, 2))).toEqual([
      ['Поступило заявок', 7], ['Выполнено', 4], ['С нарушением срока', 3], ['Открыто на момент отчёта', 2],
      ['Время до передачи исполнителю, медиана', '20 мин 00 с'], ['Время до передачи исполнителю, 90-й процентиль', '1 ч 00 мин'],
      ['Время до выполнения, медиана', '55 мин 00 с'], ['Время до выполнения, 90-й процентиль', '3 ч 00 мин'],
    ]);
    expect(ws.rowCount).toBe(28);
  });
});

describe('compliance report, PDF', () => {
  it('shows the figures in Russian text (fonts embedded) and renders to a picture', async () => {
    const r = await download('/api/reports/compliance.pdf?tenantId=1&month=2026-11');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    expect(r.body.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pult-pdf-'));
    const file = path.join(dir, 'compliance.pdf');
    writeFileSync(file, r.body);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
    for (const line of [
      'Отчёт о соблюдении нормативов аварийно-', // the title wraps
      'Управляющая организация: УК «Северный квартал»',
      'Период: ноябрь 2026 (2026-11-01 — 2026-11-30)',
      'Звонки, отвеченные в течение 5 минут 4 8 50',
      'Обратные звонки в течение 10 минут 1 3 33,3',
      'Заявки, выполненные в установленный срок 2 5 40',
      'Поступило звонков 8', 'Уровень обслуживания, % 28,6', 'Среднее время ответа, с 141',
      'Поступило заявок 7', 'С нарушением срока 3', 'Время до выполнения, медиана 55 мин 00 с', 'Время до выполнения, 90-й процентиль 3 ч 00 мин',
    ]) expect(text).toContain(line);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s/);
    expect(fonts).toMatch(/DejaVuSans-Bold/);
    const shots = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
    mkdirSync(shots, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', file, path.join(shots, 'compliance-pdf')]);
  });

  it('another company\'s month is not found; an operator is refused', async () => {
    expect((await download('/api/reports/compliance.pdf?tenantId=2&month=2026-11', sup1)).status).toBe(404);
    expect((await download('/api/reports/compliance.pdf?tenantId=1&month=2026-11', await login(s.url, 'operator', 'demo'))).status).toBe(403);
  });
});

describe('scheduled snapshots', () => {
  const service = () => new ReportService(new ReportRepository(s.db, 'Europe/Moscow'), new SnapshotRepository(s.db), systemClock, { timeZone: 'Europe/Moscow', shortAbandonSec: 5 });

  it('run at 00:10 and on Monday at 00:20 local', () => {
    expect([DAILY_REPORT_SCHEDULE, WEEKLY_REPORT_SCHEDULE]).toEqual(['10 0 * * *', '20 0 * * 1']);
  });

  // The demo directory holds five companies; the demo supervisor serves the first two.
  const companies = () => s.db.prepare('SELECT count(*) FROM tenants').pluck().get() as number;

  it('the daily job run twice for one day stores one snapshot per company, with that day\'s figures', async () => {
    const reports = service();
    expect(companies()).toBe(5);
    const at = new Date('2026-11-10T21:10:00.000Z'); // 00:10 on 11 November, Moscow
    expect(reports.makeScheduled('daily', at)).toBe(companies());
    expect(reports.makeScheduled('daily', new Date(at.getTime() + 60_000))).toBe(0);
    const list = await (await fetch(`${s.url}/api/reports/snapshots?kind=daily`, { headers: { authorization: `Bearer ${sup}` } })).json() as { items: { id: number; tenantId: number; periodStart: string; periodEnd: string }[] };
    // (Filtered to November: the real 00:10 job may have kept yesterday's too if the test ran then.)
    const november = <T extends { periodStart: string }>(items: T[]): T[] => items.filter((i) => i.periodStart.startsWith('2026-11'));
    expect(november(list.items).map((i) => [i.tenantId, i.periodStart, i.periodEnd])).toEqual([[1, '2026-11-10', '2026-11-10'], [2, '2026-11-10', '2026-11-10']]);
    const north = list.items.find((i) => i.tenantId === 1)!;
    const one = await (await fetch(`${s.url}/api/reports/snapshots/${north.id}`, { headers: { authorization: `Bearer ${sup1}` } })).json() as { figures: { requests: { received: number; done: number }; calls: { offered: number; answeredWithin5Min: unknown }; callsBy: { key: number }[] } };
    // r1, r2 were received on 10 November; calls c1..c7 arrived that day (by hour: 9 and 14).
    expect([one.figures.requests.received, one.figures.requests.done, one.figures.calls.offered, one.figures.calls.answeredWithin5Min, one.figures.callsBy.map((r) => r.key)])
      .toEqual([2, 2, 7, { met: 3, of: 7, pct: 42.9 }, [9, 14]]);
    // The other company's snapshot: not found for a supervisor of company 1 only; not listed either.
    const rassvet = list.items.find((i) => i.tenantId === 2)!;
    expect((await fetch(`${s.url}/api/reports/snapshots/${rassvet.id}`, { headers: { authorization: `Bearer ${sup1}` } })).status).toBe(404);
    const mine = await (await fetch(`${s.url}/api/reports/snapshots`, { headers: { authorization: `Bearer ${sup1}` } })).json() as { items: { tenantId: number; periodStart: string }[] };
    expect(mine.items.every((i) => i.tenantId === 1)).toBe(true);
    expect(november(mine.items).map((i) => i.tenantId)).toEqual([1]);
  });

  it('the weekly job covers last Monday to Sunday, once', async () => {
    const reports = service();
    const monday = new Date('2026-11-15T21:20:00.000Z'); // 00:20 on Monday 16 November, Moscow
    expect(reports.makeScheduled('weekly', monday)).toBe(companies());
    expect(reports.makeScheduled('weekly', monday)).toBe(0);
    const list = await (await fetch(`${s.url}/api/reports/snapshots?kind=weekly&tenantId=1`, { headers: { authorization: `Bearer ${sup}` } })).json() as { items: { id: number; periodStart: string; periodEnd: string }[] };
    const week = list.items.filter((i) => i.periodStart.startsWith('2026-11'));
    expect(week.map((i) => [i.periodStart, i.periodEnd])).toEqual([['2026-11-09', '2026-11-15']]);
    const one = await (await fetch(`${s.url}/api/reports/snapshots/${week[0]!.id}`, { headers: { authorization: `Bearer ${sup}` } })).json() as { figures: { requests: { received: number }; callsBy: { key: string }[] } };
    // r1..r4 (10 and 12 November); calls by day: only 10 November has any.
    expect([one.figures.requests.received, one.figures.callsBy.map((r) => r.key)]).toEqual([4, ['2026-11-10']]);
    expect(s.db.prepare("SELECT count(*) FROM report_snapshots WHERE period_start LIKE '2026-11-%'").pluck().get()).toBe(2 * companies());
  });
});
