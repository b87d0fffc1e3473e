// The decree 416 compliance report of a company's month as a document: PDF
// (pdfkit, DejaVu Sans embedded) and XLSX (exceljs). Both lay out the same
// rows: the three commitments with the counts behind each share, then the
// calls' and requests' figures.
import ExcelJS from 'exceljs';
import type { Share } from '../../domain/report-figures.js';
import type { Compliance } from './service.js';
import { newPdf, pdfBuffer, type PdfFonts } from '../../documents/pdf.js';
import { duration, monthName, rs } from './strings.js';

export interface CommitmentRow { label: string; share: Share }
export interface DetailRow { label: string; value: number | string | null }

export function commitmentRows(c: Compliance): CommitmentRow[] {
  return [
    { label: rs.answered5, share: c.answeredWithin5Min },
    { label: rs.callbacks10, share: c.callbacksWithin10Min },
    { label: rs.requestsInTime, share: c.requestsInTime },
  ];
}

export function detailRows(c: Compliance): { calls: DetailRow[]; requests: DetailRow[] } {
  const k = c.calls, r = c.requests;
  return {
    calls: [
      { label: rs.offered, value: k.offered },
      { label: rs.answered, value: k.answered },
      { label: rs.answeredOnMobile, value: k.answeredOnMobile },
      { label: rs.abandoned, value: k.abandoned },
      { label: rs.unanswered, value: k.unanswered },
      { label: rs.serviceLevel, value: k.serviceLevel },
      { label: rs.asa, value: k.asaSec },
    ],
    requests: [
      { label: rs.received, value: r.received },
      { label: rs.done, value: r.done },
      { label: rs.late, value: r.late },
      { label: rs.open, value: r.open },
      { label: rs.handoverMedian, value: duration(r.handover.medianSec) },
      { label: rs.handoverP90, value: duration(r.handover.p90Sec) },
      { label: rs.completeMedian, value: duration(r.complete.medianSec) },
      { label: rs.completeP90, value: duration(r.complete.p90Sec) },
    ],
  };
}

const madeAtText = (c: Compliance) => new Date(c.madeAt).toLocaleString('ru-RU', { timeZone: c.timeZone });
const show = (v: number | string | null) => (v === null ? rs.dash : typeof v === 'number' ? v.toLocaleString('ru-RU') : v);

export async function compliancePdf(c: Compliance, fonts: PdfFonts): Promise<Buffer> {
  const doc = newPdf(fonts, { Title: `${rs.title} — ${c.tenant.name}, ${monthName(c.month)}` });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('bold').fontSize(15).text(rs.title, { width });
  doc.font('body').fontSize(10).fillColor('#444').text(rs.decree).moveDown(0.6);
  doc.fillColor('#000').fontSize(11);
  for (const [k, v] of [[rs.company, c.tenant.name], [rs.month, `${monthName(c.month)} (${c.period.from} — ${c.period.to})`], [rs.timeZone, c.timeZone], [rs.madeAt, madeAtText(c)]] as const) {
    doc.font('bold').text(`${k}: `, { continued: true }).font('body').text(v);
  }
  doc.moveDown(1);

  // The commitments table: label | met | of | share.
  const cols = [width * 0.52, width * 0.16, width * 0.16, width * 0.16];
  const row = (cells: string[], o: { bold?: boolean; fill?: string } = {}) => {
    const y = doc.y;
    const h = 30;
    if (o.fill) doc.rect(left, y, width, h).fill(o.fill).fillColor('#000');
    let x = left;
    doc.font(o.bold ? 'bold' : 'body').fontSize(10);
    cells.forEach((cell, i) => {
      doc.text(cell, x + 4, y + 8, { width: cols[i]! - 8, align: i === 0 ? 'left' : 'right', lineBreak: i === 0 });
      x += cols[i]!;
    });
    doc.moveTo(left, y + h).lineTo(left + width, y + h).strokeColor('#bbb').lineWidth(0.5).stroke();
    doc.x = left;
    doc.y = y + h;
  };
  row([rs.commitment, rs.met, rs.of, rs.share], { bold: true, fill: '#e8eef3' });
  for (const r of commitmentRows(c)) row([r.label, String(r.share.met), String(r.share.of), show(r.share.pct)]);
  doc.moveDown(1.2);

  const d = detailRows(c);
  for (const [heading, rows] of [[rs.callsHeading, d.calls], [rs.requestsHeading, d.requests]] as const) {
    doc.font('bold').fontSize(12).text(heading, left, doc.y).moveDown(0.3);
    doc.font('body').fontSize(10);
    for (const r of rows) {
      const y = doc.y;
      doc.text(r.label, left, y, { width: width * 0.7 });
      doc.text(show(r.value), left + width * 0.7, y, { width: width * 0.3, align: 'right' });
      doc.x = left;
      doc.moveDown(0.25);
    }
    doc.moveDown(0.8);
  }
  doc.fontSize(8.5).fillColor('#555');
  for (const n of rs.notes) doc.text(n, left, doc.y, { width }).moveDown(0.3);
  return pdfBuffer(doc);
}

/**
 * The workbook: sheet «ПП 416». Rows: 1 title, 2 company, 3 period, 4 made
 * at; 6 the header; 7–9 the commitments (label, met, of, share %); then the
 * calls' and the requests' figures (label, value), each under its heading.
 */
export async function complianceXlsx(c: Compliance): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pult';
  wb.created = new Date(c.madeAt);
  const ws = wb.addWorksheet(rs.sheet);
  ws.columns = [{ width: 52 }, { width: 14 }, { width: 12 }, { width: 12 }];
  ws.addRow([rs.title]).font = { bold: true, size: 13 };
  ws.addRow([rs.company, c.tenant.name]);
  ws.addRow([rs.month, monthName(c.month), c.period.from, c.period.to]);
  ws.addRow([rs.madeAt, madeAtText(c), rs.timeZone, c.timeZone]);
  ws.addRow([]);
  ws.addRow([rs.commitment, rs.met, rs.of, rs.share]).font = { bold: true };
  for (const r of commitmentRows(c)) ws.addRow([r.label, r.share.met, r.share.of, r.share.pct]);
  const d = detailRows(c);
  for (const [heading, rows] of [[rs.callsHeading, d.calls], [rs.requestsHeading, d.requests]] as const) {
    ws.addRow([]);
    ws.addRow([heading]).font = { bold: true };
    for (const r of rows) ws.addRow([r.label, r.value]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
