// A document to a resident («Ответ на обращение», «Акт выполненных работ»):
// the filled and edited text of a document template, rendered to PDF with the
// one pdfkit setup (src/documents/pdf.ts) and sent with a short cover message.
import { ApiError } from '../../http/errors.js';
import { renderPdf, type PdfFonts } from '../../documents/pdf.js';

/** The resident-facing words around a document (Russian). */
export const documentText = {
  cover: (title: string, number: string) => `Направляем документ «${title}» по заявке № ${number}.`,
  subtitle: (company: string, number: string) => `${company} · заявка № ${number}`,
  footer: (at: string) => `Сформировано ${at}`,
  fileName: (title: string, number: string) => `${title} ${number}.pdf`,
  thisPage: 'эта страница',
  linkRefused: '{ссылка} в документе не работает: ссылка на страницу заявки приходит в сообщении',
};

/** 400: {ссылка} in a document's text (the link goes in the message, not the PDF). */
export const linkInDocument = () => new ApiError(400, 'invalid_input', `body: ${documentText.linkRefused}`, [{ field: 'body', problem: documentText.linkRefused }]);

/** The PDF: the title, the company and request number, the text in paragraphs, the date. */
export function renderDocument(o: { title: string; body: string; company: string; number: string; at: string }, fonts: PdfFonts, now: Date): Promise<Buffer> {
  return renderPdf({
    title: o.title,
    subtitle: documentText.subtitle(o.company, o.number),
    blocks: o.body.split(/\n{2,}/).map((p) => ({ kind: 'text' as const, text: p })),
    signatures: [],
    footer: documentText.footer(o.at),
    info: { author: o.company, subject: o.title, creationDate: now },
  }, fonts);
}
