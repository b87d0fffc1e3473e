// The «Заявка» template: a small structured document whose texts hold
// placeholders ({{number}}, {{address}}…). Validated when saved: unknown
// placeholders are named in the 400, sizes are limited. Filling is plain
// text substitution; the PDF layout is src/documents/pdf.ts.
import { z } from 'zod';
import type { PdfBlock, PdfDocumentSpec } from '../../documents/pdf.js';

/** Every placeholder a template may use, with what it stands for (shown in the editor). */
export const placeholders = {
  number: 'номер заявки',
  received: 'дата и время поступления',
  address: 'адрес',
  flat: 'квартира',
  caller: 'заявитель',
  phone: 'телефон заявителя',
  description: 'содержание заявки',
  category: 'категория',
  kind: 'вид (аварийная / плановая)',
  executor: 'исполнитель',
  deadline: 'срок выполнения',
  company: 'управляющая компания',
  dispatcher: 'принял (диспетчер)',
  handed: 'передана в работу',
  stage: 'стадия',
  printed: 'дата печати',
} as const;
export type Placeholder = keyof typeof placeholders;
export type Values = Record<Placeholder, string>;

export const MAX_TEMPLATE_CHARS = 20_000;
const text = (max: number) => z.string().max(max, `не длиннее ${max} символов`);

export const templateSchema = z.object({
  title: text(200).trim().min(1, 'нужен заголовок'),
  subtitle: text(300).optional(),
  blocks: z.array(z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('heading'), text: text(200) }).strict(),
    z.object({ kind: z.literal('text'), text: text(3000) }).strict(),
    z.object({ kind: z.literal('fields'), rows: z.array(z.object({ label: text(100).trim().min(1, 'нужна подпись поля'), value: text(500) }).strict()).min(1).max(30) }).strict(),
  ])).max(40, 'не больше 40 блоков'),
  signatures: z.array(text(100).trim().min(1)).max(10, 'не больше 10 строк подписей'),
  footer: text(500).optional(),
}).strict();
export type DocumentTemplate = z.infer<typeof templateSchema>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every text of a template with its path, for checks and filling. */
function texts(t: DocumentTemplate): { path: string; text: string }[] {
  const out = [{ path: 'title', text: t.title }];
  if (t.subtitle !== undefined) out.push({ path: 'subtitle', text: t.subtitle });
  t.blocks.forEach((b, i) => {
    if (b.kind === 'fields') b.rows.forEach((r, j) => out.push({ path: `blocks.${i}.rows.${j}.label`, text: r.label }, { path: `blocks.${i}.rows.${j}.value`, text: r.value }));
    else out.push({ path: `blocks.${i}.text`, text: b.text });
  });
  t.signatures.forEach((s, i) => out.push({ path: `signatures.${i}`, text: s }));
  if (t.footer !== undefined) out.push({ path: 'footer', text: t.footer });
  return out;
}

export interface TemplateProblem { field: string; problem: string }

/** Placeholders a template uses that do not exist, with where; empty = fine. */
export function unknownPlaceholders(t: DocumentTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const { path, text: s } of texts(t)) {
    for (const m of s.matchAll(PLACEHOLDER)) {
      if (!(m[1]! in placeholders)) problems.push({ field: path, problem: `неизвестная подстановка {{${m[1]}}}` });
    }
  }
  return problems;
}

const fill = (s: string, v: Values) => s.replace(PLACEHOLDER, (whole, name: string) => (name in placeholders ? v[name as Placeholder] : whole));

/** The template with every placeholder replaced: what the PDF shows. */
export function fillTemplate(t: DocumentTemplate, v: Values): Omit<PdfDocumentSpec, 'info'> {
  const blocks: PdfBlock[] = t.blocks.map((b) => b.kind === 'fields'
    ? { kind: 'fields', rows: b.rows.map((r) => ({ label: fill(r.label, v), value: fill(r.value, v) })) }
    : { kind: b.kind, text: fill(b.text, v) });
  return {
    title: fill(t.title, v),
    ...(t.subtitle !== undefined ? { subtitle: fill(t.subtitle, v) } : {}),
    blocks,
    signatures: t.signatures.map((s) => fill(s, v)),
    ...(t.footer !== undefined ? { footer: fill(t.footer, v) } : {}),
  };
}

/** The built-in «Заявка» (decree 354 section X / Госстрой 170 annex 5: what the journal holds). */
export const defaultTemplate: DocumentTemplate = {
  title: 'Заявка № {{number}}',
  subtitle: '{{company}}',
  blocks: [
    { kind: 'fields', rows: [
      { label: 'Поступила', value: '{{received}}' },
      { label: 'Вид заявки', value: '{{kind}}' },
      { label: 'Категория', value: '{{category}}' },
      { label: 'Адрес', value: '{{address}}' },
      { label: 'Квартира', value: '{{flat}}' },
      { label: 'Заявитель', value: '{{caller}}' },
      { label: 'Телефон', value: '{{phone}}' },
      { label: 'Срок выполнения', value: '{{deadline}}' },
      { label: 'Принял', value: '{{dispatcher}}' },
      { label: 'Передана в работу', value: '{{handed}}' },
      { label: 'Исполнитель', value: '{{executor}}' },
    ] },
    { kind: 'heading', text: 'Содержание заявки' },
    { kind: 'text', text: '{{description}}' },
    { kind: 'heading', text: 'Отметка о выполнении' },
    { kind: 'text', text: 'Дата и время выполнения: «____» ______________ 20___ г.  ____ ч ____ мин\n\nВыполненные работы: ____________________________________________________________\n\n__________________________________________________________________________________' },
  ],
  signatures: ['Диспетчер', 'Исполнитель', 'Заявитель (работы принял)'],
  footer: 'Сформировано {{printed}}',
};
