// The executors API's input schemas and small shared helpers.
import { z } from 'zod';
import { polygonProblems, type LonLat } from '../../domain/geo.js';
import { newPassword } from '../auth/routes.js';
import type { User } from '../auth/service.js';

export const id = z.coerce.number().int().positive();
export const ids = z.array(z.number().int().positive()).max(10_000);
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a date');
export const mobile = z.string().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'a phone number').nullable();

export const executorBody = z.object({
  login: z.string().trim().min(2).max(64).regex(/^[\w.@-]+$/, 'letters, digits, . _ @ -'),
  password: newPassword,
  fullName: z.string().trim().min(1).max(200),
  mobileNumber: mobile.default(null),
  tenantIds: ids.min(1),
  specialityIds: ids.default([]),
  buildingIds: ids.default([]),
  zoneIds: ids.default([]),
}).strict();
export const executorPatch = executorBody.omit({ login: true, password: true }).partial().strict();

export const point = z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]);
export const zoneBody = z.object({
  tenantId: id,
  city: z.string().trim().max(100).default(''),
  name: z.string().trim().min(1).max(100),
  polygon: z.array(point).min(3, 'a polygon needs at least 3 points').max(2000),
  responsibleId: z.number().int().positive().nullable().default(null),
}).strict().superRefine((z_, ctx) => {
  for (const p of polygonProblems(z_.polygon as LonLat[])) ctx.addIssue({ code: 'custom', path: ['polygon'], message: p });
});

export const scheduleBody = z.object({
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7), // 1 = Monday … 7 = Sunday
  from: hhmm,
  to: hhmm,
  zoneId: z.number().int().positive().nullable().default(null),
  validFrom: ymd.nullable().default(null),
  validTo: ymd.nullable().default(null),
}).strict().refine((s) => !s.validFrom || !s.validTo || s.validFrom <= s.validTo, { message: 'validFrom after validTo', path: ['validTo'] });
export const exceptionBody = z.object({ kind: z.enum(['vacation', 'sick', 'other']), from: ymd, to: ymd, note: z.string().trim().max(500).nullable().default(null) })
  .strict().refine((e) => e.from <= e.to, { message: 'from after to', path: ['to'] });

export const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);

/** [1..7] (Monday = 1) ↔ the stored bit mask (bit 0 = Monday). */
export const weekdayMask = (days: number[]): number => days.reduce((m, d) => m | (1 << (d - 1)), 0);
export const weekdaysOf = (mask: number): number[] => [1, 2, 3, 4, 5, 6, 7].filter((d) => mask & (1 << (d - 1)));
