// The «Заявка» template: placeholders checked by name, filled as plain text;
// the PDF fonts' absence is a clear startup error naming the setting.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultTemplate, fillTemplate, placeholders, templateSchema, unknownPlaceholders, type Values } from '../../../src/features/request-documents/template.js';
import { loadPdfFonts, renderPdf } from '../../../src/documents/pdf.js';
import { loadConfig } from '../../../src/config/index.js';
import { localDateTime } from '../../../src/features/request-documents/values.js';

const values = Object.fromEntries(Object.keys(placeholders).map((k) => [k, `<${k}>`])) as Values;

describe('template placeholders', () => {
  it('names each unknown placeholder with where it is; known ones, spaced or not, pass', () => {
    const t = templateSchema.parse({ title: '{{number}} {{ company }}', blocks: [{ kind: 'fields', rows: [{ label: '{{nope}}', value: '{{address}} {{Address}}' }] }], signatures: ['{{executor}}'], footer: '{{}}' });
    expect(unknownPlaceholders(t)).toEqual([
      { field: 'blocks.0.rows.0.label', problem: 'неизвестная подстановка {{nope}}' },
      { field: 'blocks.0.rows.0.value', problem: 'неизвестная подстановка {{Address}}' },
      { field: 'footer', problem: 'неизвестная подстановка {{}}' },
    ]);
    expect(unknownPlaceholders(defaultTemplate)).toEqual([]);
  });

  it('fills every text; a value holding braces is not filled again', () => {
    const t = templateSchema.parse({ title: 'Заявка № {{number}}', subtitle: '{{company}}', blocks: [{ kind: 'text', text: '{{description}}!' }, { kind: 'fields', rows: [{ label: 'Адрес', value: '{{address}}, кв. {{flat}}' }] }], signatures: ['{{executor}}'] });
    const filled = fillTemplate(t, { ...values, description: '{{number}}' });
    expect(filled).toEqual({ title: 'Заявка № <number>', subtitle: '<company>', blocks: [{ kind: 'text', text: '{{number}}!' }, { kind: 'fields', rows: [{ label: 'Адрес', value: '<address>, кв. <flat>' }] }], signatures: ['<executor>'] });
  });

  it('dates print in the company time zone', () => {
    expect(localDateTime('2026-03-01T21:30:00.000Z', 'Europe/Moscow')).toBe('02.03.2026 00:30');
    expect(localDateTime(null, 'Europe/Moscow')).toBe('—');
  });
});

describe('PDF fonts', () => {
  it('a directory without DejaVu is a startup error naming the file and PULT_PDF_FONT_DIR', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'no-fonts-'));
    expect(() => loadPdfFonts(empty)).toThrow(/DejaVuSans\.ttf.*PULT_PDF_FONT_DIR/);
  });

  it('defaults to Debian’s DejaVu directory, which renders a PDF', async () => {
    const c = loadConfig({ PULT_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'cfg-')), PULT_ARI_PASSWORD: 'x'.repeat(8) });
    expect(c.PULT_PDF_FONT_DIR).toBe('/usr/share/fonts/truetype/dejavu');
    const pdf = await renderPdf({ ...fillTemplate(defaultTemplate, values) }, loadPdfFonts(c.PULT_PDF_FONT_DIR));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
