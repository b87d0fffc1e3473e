// What the API says about itself: each feature declares its operations next to
// its routes (a feature's `openapi.ts`), naming the very zod schemas its
// handlers pass to `parse()`. The OpenAPI document (document.ts) is generated
// from these declarations; tests/security/openapi.test.ts walks the real
// express router and fails on a route missing from them or a declared
// operation no route serves, and sends bodies the spec calls invalid.
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an operation:
 * - 'public': no login (health, login, webhooks checked by their own signature);
 * - 'signed': a signed link (`?exp=…&sig=…`), no login;
 * - 'user': any logged-in user (the handler may narrow it further: own data, own companies;
 *   executors only reach the few routes of their phone page, src/features/executors/routes.ts executorGate);
 * - a list of roles: `requireRole(...)` refuses everyone else with 403.
 */
export type Access = 'public' | 'signed' | 'user' | readonly string[];

export interface ApiOperation {
  method: HttpMethod;
  /** The express path, e.g. /api/lines/:id. */
  path: string;
  /** One line, in Russian: it is shown on /api/docs/. */
  summary: string;
  description?: string;
  access: Access;
  /** Path parameters' schemas; a parameter not listed is a string. */
  params?: Record<string, z.ZodType>;
  /** The query schema the handler parses (an object). */
  query?: z.ZodType;
  /** The JSON body schema the handler parses. */
  body?: z.ZodType;
  /** A body that is not JSON: an upload, a CSV file, a vendor's form post. */
  bodyType?: 'multipart/form-data' | 'text/csv' | 'application/x-www-form-urlencoded';
  /** What a successful answer is, when not JSON: a PDF, a spreadsheet, audio, a page. */
  produces?: string;
  /** The success status when not 200 (201 created, 204 no content, 302 redirect). */
  status?: number;
}

export interface ApiSection {
  /** The group's heading on /api/docs/ (Russian). */
  tag: string;
  description?: string;
  operations: readonly ApiOperation[];
}

export const apiSection = (tag: string, operations: readonly ApiOperation[], description?: string): ApiSection => ({ tag, description, operations });

/** The positive integer id every route parses from its path (`z.coerce.number().int().positive()`). */
export const pathId = z.coerce.number().int().positive();

export const STAFF = ['admin', 'supervisor'] as const;
export const ADMIN = ['admin'] as const;
export const DESK = ['admin', 'supervisor', 'operator'] as const;
