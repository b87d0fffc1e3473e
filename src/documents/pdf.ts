// PDF rendering with pdfkit and an embedded Cyrillic font (DejaVu Sans from
// Debian's fonts-dejavu-core). A document is plain structured data — title,
// lines of label/value or paragraphs, signature lines — so every template
// renders the same way and nothing user-written reaches pdfkit as code.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';

/** The fonts' bytes, read once at start (pdfkit would re-read the files for every document). */
export interface PdfFonts { regular: Buffer; bold: Buffer }

/** A block of the page: a heading, a paragraph, or "label: value" rows. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; rows: { label: string; value: string }[] };

export interface PdfDocumentSpec {
  title: string;
  subtitle?: string;
  blocks: PdfBlock[];
  /** Signature lines: a caption under a rule ("Диспетчер ____ / ____"). */
  signatures: string[];
  footer?: string;
  /** PDF metadata. */
  info?: { author?: string; subject?: string; creationDate?: Date };
}

export const REGULAR_FONT = 'DejaVuSans.ttf';
export const BOLD_FONT = 'DejaVuSans-Bold.ttf';

/** The fonts in `dir`; throws a startup error naming the missing file and the setting to fix. */
export function loadPdfFonts(dir: string): PdfFonts {
  const files = { regular: path.join(dir, REGULAR_FONT), bold: path.join(dir, BOLD_FONT) };
  const missing = Object.values(files).filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(`PDF fonts not found: ${missing.join(', ')}. Install Debian's fonts-dejavu-core or point PULT_PDF_FONT_DIR at a directory holding ${REGULAR_FONT} and ${BOLD_FONT}.`);
  }
  return { regular: readFileSync(files.regular), bold: readFileSync(files.bold) };
}

const MARGIN = 56;

/** Renders a document to PDF bytes (A4, fonts embedded as subsets). */
export function renderPdf(spec: PdfDocumentSpec, fonts: PdfFonts): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4', margin: MARGIN, bufferPages: false,
      info: { Title: spec.title, Author: spec.info?.author ?? 'Пульт', Subject: spec.info?.subject ?? '', CreationDate: spec.info?.creationDate ?? new Date(), Producer: 'Pult' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('R', fonts.regular);
      doc.registerFont('B', fonts.bold);
      const width = doc.page.width - 2 * MARGIN;
      doc.font('B').fontSize(16).text(spec.title, { align: 'center', width });
      if (spec.subtitle) doc.font('R').fontSize(10).fillColor('#444').text(spec.subtitle, { align: 'center', width }).fillColor('black');
      doc.moveDown(1);
      for (const b of spec.blocks) {
        if (b.kind === 'heading') {
          doc.moveDown(0.4).font('B').fontSize(12).text(b.text, { width });
          doc.moveDown(0.2);
        } else if (b.kind === 'text') {
          doc.font('R').fontSize(11).text(b.text, { width, align: 'left' });
          doc.moveDown(0.4);
        } else {
          const labelW = 170;
          for (const row of b.rows) {
            const y = doc.y;
            doc.font('B').fontSize(10).text(row.label, MARGIN, y, { width: labelW - 8 });
            const afterLabel = doc.y;
            doc.font('R').fontSize(11).text(row.value || '—', MARGIN + labelW, y, { width: width - labelW });
            doc.y = Math.max(doc.y, afterLabel) + 4;
            doc.x = MARGIN;
          }
          doc.moveDown(0.4);
        }
      }
      if (spec.signatures.length) {
        doc.moveDown(2);
        for (const s of spec.signatures) {
          if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
          const y = doc.y + 18;
          doc.moveTo(MARGIN + 200, y).lineTo(MARGIN + width, y).lineWidth(0.7).stroke();
          doc.font('R').fontSize(10).text(s, MARGIN, y - 12, { width: 195 });
          doc.y = y + 16;
          doc.x = MARGIN;
        }
      }
      if (spec.footer) {
        doc.moveDown(1.5);
        doc.font('R').fontSize(8).fillColor('#555').text(spec.footer, MARGIN, doc.y, { width }).fillColor('black');
      }
      doc.end();
    } catch (err) {
      reject(err as Error);
    }
  });
}

/** A pdfkit document, for layouts richer than a `PdfDocumentSpec` (the reports' tables). */
export type Pdf = InstanceType<typeof PDFDocument>;

/** A new A4 document with the fonts 'body' and 'bold' registered (embedded as subsets) and 'body' selected. */
export function newPdf(fonts: PdfFonts, info: { Title: string }): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { ...info, Producer: 'Pult' } });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.font('body');
  return doc;
}

/** Ends the document and resolves with its bytes. */
export function pdfBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
