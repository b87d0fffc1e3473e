// The OpenAPI 3.1 document, generated from the features' declarations
// (registry.ts) and their zod schemas through `z.toJSONSchema()`. Request
// schemas are the input side (`io: 'input'`): what a client sends, before
// defaults and transforms. Nothing here is written by hand but the summaries.
import { z } from 'zod';
import type { ApiOperation, ApiSection } from './registry.js';

type Json = Record<string, unknown>;

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a client sends for `schema`. */
export function inputSchema(schema: z.ZodType): Json {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete s.$schema;
  return s;
}

/** /api/lines/:id → /api/lines/{id} */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

const errorSchema: Json = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } } } }, required: ['code', 'message'] } },
  required: ['error'],
};
const errorRef = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operationId(op: ApiOperation): string {
  const words = op.path.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)));
  return op.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function parameters(op: ApiOperation): Json[] {
  const out: Json[] = pathParams(op.path).map((name) => ({ name, in: 'path', required: true, schema: op.params?.[name] ? inputSchema(op.params[name]) : { type: 'string' } }));
  if (op.query) {
    const q = inputSchema(op.query);
    const props = (q.properties ?? {}) as Record<string, Json>;
    const required = new Set((q.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) out.push({ name, in: 'query', required: required.has(name), schema });
  }
  return out;
}

function operation(op: ApiOperation, tag: string): Json {
  const status = op.status ?? 200;
  const success: Json = status === 204 ? { description: 'Готово, без содержимого' } : status === 302 ? { description: 'Перенаправление' } : { description: 'Успешно', content: { [op.produces ?? 'application/json']: {} } };
  const responses: Json = { [String(status)]: success };
  if (op.body || op.query || op.params || op.bodyType) responses['400'] = errorRef('Неверные данные: что именно не так — в details');
  if (op.access !== 'public') responses['401'] = errorRef(op.access === 'signed' ? 'Подпись ссылки неверна или истекла' : 'Нужен вход');
  if (Array.isArray(op.access)) responses['403'] = errorRef('Не для вашей роли');
  if (pathParams(op.path).length) responses['404'] = errorRef('Не найдено (или принадлежит другой компании)');
  const out: Json = {
    tags: [tag],
    summary: op.summary,
    operationId: operationId(op),
    'x-access': op.access,
    security: op.access === 'public' || op.access === 'signed' ? [] : [{ bearer: [] }],
    responses,
  };
  if (op.description) out.description = op.description;
  const params = parameters(op);
  if (params.length) out.parameters = params;
  if (op.body || op.bodyType) out.requestBody = { required: true, content: { [op.bodyType ?? 'application/json']: op.body ? { schema: inputSchema(op.body) } : {} } };
  return out;
}

export function openApiDocument(sections: readonly ApiSection[], info: { title: string; version: string; description?: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const s of sections) {
    for (const op of s.operations) {
      const p = (paths[openApiPath(op.path)] ??= {});
      if (p[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is declared twice`);
      p[op.method] = operation(op, s.tag);
    }
  }
  return {
    openapi: '3.1.0',
    info,
    tags: sections.map((s) => ({ name: s.tag, ...(s.description ? { description: s.description } : {}) })),
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'POST /api/auth/login → token; Authorization: Bearer <token>' } },
    },
  };
}
