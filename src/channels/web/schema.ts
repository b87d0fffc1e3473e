// The residents' web form: its fields as zod schemas, shared by the server
// (which decides) and the browser page (which checks before sending). Also
// the public API's answer shapes. No server-only imports here.
import { z } from 'zod';
import { normalizePhone } from '../../domain/phone.js';

/** A number a dispatcher can call back: Russian 7XXXXXXXXXX, or 10–15 digits. */
export function residentPhone(raw: string): string | null {
  const n = normalizePhone(raw);
  if (!n) return null;
  if (/^7\d{10}$/.test(n)) return n;
  return /^\d{10,15}$/.test(n) && !n.startsWith('7') && !n.startsWith('8') ? n : null;
}

const idField = (problem: string) => z.coerce.number({ error: problem }).int(problem).positive(problem);

/** The form's fields as sent (multipart text fields or JSON). `website` is the honeypot: people never see it. */
export const webFormSchema = z.object({
  buildingId: idField('выберите адрес из списка'),
  flat: z.string().trim().max(20, 'номер квартиры не длиннее 20 символов').optional().transform((v) => v || null),
  categoryId: idField('выберите, что случилось'),
  description: z.string({ error: 'опишите проблему' }).trim().min(10, 'опишите проблему подробнее (не короче 10 символов)').max(4000, 'не длиннее 4000 символов'),
  name: z.string({ error: 'укажите, как к вам обращаться' }).trim().min(2, 'укажите, как к вам обращаться').max(200, 'не длиннее 200 символов'),
  phone: z.string({ error: 'укажите телефон' }).trim().max(40, 'слишком длинный номер').transform((v, ctx) => {
    const p = residentPhone(v);
    if (!p) ctx.addIssue({ code: 'custom', message: 'укажите телефон, например +7 916 123-45-67' });
    return p ?? '';
  }),
  email: z.string().trim().max(320, 'слишком длинный адрес').optional().transform((v) => v || null).pipe(z.email('неверный адрес эл. почты').nullable()),
  website: z.string().max(2000).optional(),
}).strict();
export type WebForm = z.output<typeof webFormSchema>;

export const ratingFormSchema = z.object({
  score: z.coerce.number({ error: 'поставьте оценку от 1 до 5' }).int('поставьте оценку от 1 до 5').min(1, 'поставьте оценку от 1 до 5').max(5, 'поставьте оценку от 1 до 5'),
  comment: z.string().trim().max(2000, 'не длиннее 2000 символов').optional().transform((v) => v || null),
  questionsLeft: z.boolean().optional().default(false),
}).strict();

export const residentMessageSchema = z.object({ text: z.string().trim().min(1, 'пустое сообщение').max(2000, 'не длиннее 2000 символов') }).strict();

export interface PublicCompany { id: number; name: string }
export interface PublicCategory { id: number; name: string; emergency: boolean; parentId: number | null }
export interface PublicBuilding { id: number; address: string }
export interface WebFormAnswer { number: string; statusUrl: string; company: string }

/** What the status page shows: no other residents' data, no staff names but the executor's. */
export interface StatusView {
  number: string;
  company: string;
  category: string;
  emergency: boolean;
  address: string;
  flat: string | null;
  description: string;
  createdAt: string;
  status: 'open' | 'closed';
  stage: { code: string; name: string };
  timeline: { at: string; stage: string; name: string }[];
  executor: string | null;
  report: string | null;
  doneAt: string | null;
  photos: { url: string; thumbUrl: string | null; name: string }[];
  /** Documents sent to the resident (after approval when it was needed): short-lived signed links to their PDFs. */
  documents: { title: string; name: string; url: string; sentAt: string }[];
  messages: { id: number; direction: 'in' | 'out'; body: string; at: string; author: string | null }[];
  canRate: boolean;
  ratings: { score: number; comment: string | null; questionsLeft: boolean; at: string }[];
}
