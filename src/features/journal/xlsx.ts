// The journal as an XLSX, written straight to a stream: the sheet's XML is
// built as text a page of rows at a time and deflated into a ZIP entry
// (./zip.ts), so memory holds one page, whatever the period. The parts are
// what exceljs's streaming writer produced before (one sheet, its title and
// heading rows, frozen panes under the titles, column widths, text cells
// top-aligned, the recording cell a hyperlink): only the per-cell object
// model is gone, which was most of the CPU time and of the memory (its
// garbage). Text cells are `t="str"` as exceljs writes them without shared
// strings; times stay text (`dd.mm.yyyy hh:mm`), as the screen shows them.
import type { Writable } from 'node:stream';
import { cells } from './columns.js';
import { sheetName } from './strings.js';
import type { JournalDoc } from './writers.js';
import { ZipWriter } from './zip.js';

/** Row of the sheet where the column titles are (the heading is above them). */
export const XLSX_HEADER_ROW = 2;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';

/** Style indexes in styles.xml's cellXfs. */
const S_HEADING = 1;
const S_TITLES = 2;
const S_CELL = 3;
const S_LINK = 4;

// Characters XML 1.0 cannot hold (control characters but tab, LF, CR; U+FFFE, U+FFFF) are dropped, as exceljs did.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const ESCAPES = /[&<>"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for XML content or an attribute value. */
export function xmlText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPES, (c) => entities[c] ?? '') : s;
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const textCell = (ref: string, style: number, text: string) => `<c r="${ref}" s="${style}" t="str"><v>${xmlText(text)}</v></c>`;

const contentTypes = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
    + `<Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/>`
    + `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`
    + `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/>`
    + `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`
    + `<Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/></Types>`;

const packageRels = `${XML}<Relationships xmlns="${NS_PKG_REL}">`
  + `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>`
  + `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`
  + `<Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`;

const appProps = `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Пульт</Application></Properties>`;

function coreProps(title: string, at: Date): string {
  const when = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
    + `<dc:creator>Пульт</dc:creator><dc:title>${xmlText(title)}</dc:title>`
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`;
}

const workbook = `${XML}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

const workbookRels = `${XML}<Relationships xmlns="${NS_PKG_REL}">`
  + `<Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>`
  + `<Relationship Id="rId2" Type="${NS_REL}/styles" Target="styles.xml"/></Relationships>`;

// Fonts: 0 the default, 1 the heading (bold 12), 2 the titles (bold), 3 a link (underlined, blue).
// Cell formats: 0 default, 1 heading, 2 titles (top, wrapped), 3 a cell (top), 4 a link cell (top).
const styles = `${XML}<styleSheet xmlns="${NS_MAIN}">`
  + '<fonts count="4"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="12"/><name val="Calibri"/><family val="2"/></font>'
  + '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><u/><sz val="11"/><color rgb="FF0F5F8C"/><name val="Calibri"/><family val="2"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
  + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
  + '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
  + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>'
  + '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

function sheetStart(doc: JournalDoc, letters: string[]): string {
  const cols = doc.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  const titles = doc.columns.map((c, i) => textCell(`${letters[i]}${XLSX_HEADER_ROW}`, S_TITLES, c.title)).join('');
  const first = XLSX_HEADER_ROW + 1;
  return `${XML}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`
    + `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${XLSX_HEADER_ROW}" topLeftCell="A${first}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`
    + `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`
    + `<row r="1" s="${S_HEADING}" customFormat="1">${textCell('A1', S_HEADING, doc.heading)}</row>`
    + `<row r="${XLSX_HEADER_ROW}" s="${S_TITLES}" customFormat="1">${titles}</row>`;
}

/** Sheet text handed to the ZIP at a time: small enough that little of it outlives a young-generation GC. */
const CHUNK_CHARS = 64 * 1024;

const PAGE_MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';

/** Writes `open`, one element per item (a few thousand per chunk), then `close`. */
async function writeList<T>(zip: ZipWriter, open: string, items: T[], element: (item: T, i: number) => string, close: string): Promise<boolean> {
  if (!(await zip.write(open))) return false;
  for (let from = 0; from < items.length; from += 5000) {
    if (!(await zip.write(items.slice(from, from + 5000).map((item, k) => element(item, from + k)).join('')))) return false;
  }
  return zip.write(close);
}

/** Writes the XLSX (ends `out`); resolves with the number of requests written (fewer when `out` went away). */
export async function writeXlsx(out: Writable, doc: JournalDoc): Promise<number> {
  const zip = new ZipWriter(out, doc.ctx.now);
  const letters = doc.columns.map((_, i) => columnLetters(i));
  // The recording links: the sheet lists their cells after its rows, its relationships part their targets.
  const linkRefs: string[] = [];
  const linkTargets: string[] = [];
  let n = 0;
  let rowNo = XLSX_HEADER_ROW;
  const ok = async (step: Promise<boolean>) => (await step) && zip.open;
  if (!(await ok(zip.add('[Content_Types].xml', contentTypes)))) return n;
  if (!(await ok(zip.add('_rels/.rels', packageRels)))) return n;
  if (!(await ok(zip.add('docProps/app.xml', appProps)))) return n;
  if (!(await ok(zip.add('docProps/core.xml', coreProps(doc.heading, doc.ctx.now))))) return n;
  if (!(await ok(zip.add('xl/workbook.xml', workbook)))) return n;
  if (!(await ok(zip.add('xl/styles.xml', styles)))) return n;
  await zip.begin('xl/worksheets/sheet1.xml');
  if (!(await ok(zip.write(sheetStart(doc, letters))))) return n;
  let xml: string[] = [];
  let chars = 0;
  for (const page of doc.pages) {
    for (const r of page) {
      const { text, links } = cells(doc.columns, r, doc.ctx);
      const no = ++rowNo;
      let row = `<row r="${no}">`;
      for (let i = 0; i < text.length; i++) {
        const link = links[i];
        const ref = letters[i]! + no;
        if (link) {
          linkRefs.push(ref);
          linkTargets.push(link);
        }
        row += textCell(ref, link ? S_LINK : S_CELL, text[i]!);
      }
      xml.push(row, '</row>');
      chars += row.length;
      if (chars >= CHUNK_CHARS) {
        const text = xml.join('');
        xml = [];
        chars = 0;
        if (!(await ok(zip.write(text)))) return n;
      }
    }
    n += page.length;
  }
  if (xml.length > 0 && !(await ok(zip.write(xml.join(''))))) return n;
  if (!(await ok(zip.write('</sheetData>')))) return n;
  if (linkRefs.length > 0 && !(await ok(writeList(zip, '<hyperlinks>', linkRefs, (ref, i) => `<hyperlink ref="${ref}" r:id="rId${i + 1}"/>`, '</hyperlinks>')))) return n;
  await zip.write(PAGE_MARGINS + '</worksheet>');
  if (!(await ok(zip.end()))) return n;
  if (!(await ok(zip.add('xl/_rels/workbook.xml.rels', workbookRels)))) return n;
  if (linkTargets.length > 0) {
    await zip.begin('xl/worksheets/_rels/sheet1.xml.rels');
    const rel = (t: string, i: number) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/hyperlink" Target="${xmlText(t)}" TargetMode="External"/>`;
    if (!(await ok(writeList(zip, `${XML}<Relationships xmlns="${NS_PKG_REL}">`, linkTargets, rel, '</Relationships>')))) return n;
    if (!(await ok(zip.end()))) return n;
  }
  await zip.finish();
  if (out.destroyed) return n;
  out.end();
  if (!out.writableFinished) await new Promise<void>((resolve) => {
    const done = () => resolve();
    out.once('finish', done).once('close', done).once('error', done);
  });
  return n;
}
