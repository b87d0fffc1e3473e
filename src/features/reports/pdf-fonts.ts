// pdfkit with DejaVu Sans embedded (Cyrillic): the one place the reports set
// up their PDF fonts. (src/documents/pdf.ts of the request form may replace it.)
import PDFDocument from 'pdfkit';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

export type Pdf = InstanceType<typeof PDFDocument>;

/** A new A4 document with the fonts 'body' and 'bold' registered and 'body' selected. */
export function newPdf(info: { Title: string }): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { ...info, Producer: 'Pult' } });
  doc.registerFont('body', `${FONT_DIR}/DejaVuSans.ttf`);
  doc.registerFont('bold', `${FONT_DIR}/DejaVuSans-Bold.ttf`);
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
