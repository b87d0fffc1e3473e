// PDFs as the tests read them: text through poppler's pdftotext, a page as
// PNG through pdftoppm (saved under artifacts/ to be looked at).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const artifacts = path.resolve(import.meta.dirname, '../../artifacts/documents');

function tmpFile(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pult-pdf-')), 'doc.pdf');
  writeFileSync(file, pdf);
  return file;
}

/** The PDF's text, whitespace collapsed to single spaces. */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', tmpFile(pdf), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Fonts the PDF embeds (pdffonts), e.g. ['BAAAAA+DejaVuSans', …]. */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean }[] {
  const out = execFileSync('pdffonts', [tmpFile(pdf)], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  return out.map((l) => { const cols = l.trim().split(/\s+/); return { name: cols[0]!, embedded: cols.at(-5) === 'yes' }; });
}

/** Page 1 as a PNG under artifacts/documents/<name>.png; returns its path. */
export function pdfPng(pdf: Buffer, name: string): string {
  mkdirSync(artifacts, { recursive: true });
  const prefix = path.join(artifacts, name);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', tmpFile(pdf), prefix]);
  return `${prefix}.png`;
}
