// Benchmark: the «Заявка» PDF (issue 12, item 2). Renders the built-in
// template for a request, one after another (as GET /api/requests/:id/document.pdf
// does), and prints p50/p95/p99 render time, throughput, the PDF's size and
// memory. Rendering happens off the database; a request's data is one query.
//
//   npm run bench:documents -- [--runs 500]
import { parseArgs } from 'node:util';
import { renderPdf, loadPdfFonts } from '../src/documents/pdf.js';
import { defaultTemplate, fillTemplate } from '../src/features/request-documents/template.js';
import { sampleValues } from '../src/features/request-documents/values.js';
import { loadConfig } from '../src/config/index.js';
import { percentile } from './lib/bench-rig.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '500' } } });
const runs = Number(values.runs);
const fontDir = loadConfig({ ...process.env, PULT_ARI_PASSWORD: process.env.PULT_ARI_PASSWORD ?? 'bench-only-password' }).PULT_PDF_FONT_DIR;
const fonts = loadPdfFonts(fontDir);
const now = new Date('2026-12-02T09:30:00Z');

const times: number[] = [];
let bytes = 0;
for (let i = 0; i < 20; i++) await renderPdf(fillTemplate(defaultTemplate, sampleValues('УК «Северный квартал»', now, 'Europe/Moscow')), fonts); // warm-up
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
for (let i = 0; i < runs; i++) {
  const v = { ...sampleValues('УК «Северный квартал»', now, 'Europe/Moscow'), number: `2026-${String(i + 1).padStart(6, '0')}`, description: `Течь стояка горячей воды, квартира ${i % 300}. `.repeat(1 + (i % 8)) };
  const t = performance.now();
  const pdf = await renderPdf(fillTemplate(defaultTemplate, v), fonts);
  times.push(performance.now() - t);
  bytes += pdf.length;
}
const total = performance.now() - t0;
times.sort((a, b) => a - b);
const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`«Заявка» PDF, built-in template, DejaVu from ${fontDir}: ${runs} renders`);
console.log(`  render  p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  p99 ${ms(percentile(times, 99))}  max ${ms(times.at(-1)!)}`);
console.log(`  throughput ${(runs / (total / 1000)).toFixed(0)} PDFs/s on one core; average size ${(bytes / runs / 1024).toFixed(1)} KB`);
console.log(`  memory: rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (grew ${((process.memoryUsage().rss - rss0) / 1024 / 1024).toFixed(0)} MB), heap used ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
