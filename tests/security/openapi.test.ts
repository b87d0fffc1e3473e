// Issue 13, item 4: the API describes itself. GET /api/openapi.json is
// generated from the features' declarations (src/features/*/openapi.ts),
// which name the same zod schemas the handlers parse. These probes keep the
// document honest from outside:
// - every route the real express app serves under /api, /hooks and /metrics
//   is in the document, and every operation in it is a real route;
// - who may call: an operation limited to roles answers 403 to every other
//   role, and lets its own roles through the role check; one for any
//   logged-in user answers 401 without a token;
// - bodies: the empty body the document calls invalid (required fields
//   missing) is a 400 naming exactly the fields the document calls required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { testServer } from '../support/test-server.js';
import { api, login } from '../../scripts/lib/pult-process.js';
import { storeCall, type Server } from '../support/security-probes.js';

let s: Server;
const tokens: Record<string, string> = {};
const roleLogins = { admin: 'admin', supervisor: 'supervisor', operator: 'operator', overflow: 'mobile', executor: 'executor' } as const;
type RoleName = keyof typeof roleLogins;

interface Operation { summary: string; 'x-access': 'public' | 'signed' | 'user' | RoleName[]; requestBody?: { content: Record<string, { schema?: { required?: string[]; properties?: Record<string, unknown> } }> } }
interface Doc { openapi: string; paths: Record<string, Record<string, Operation>>; tags: { name: string }[] }
let doc: Doc;

/** Every route the app serves: its router stack, walked into the mounted routers. */
function servedRoutes(app: Express): string[] {
  const out = new Set<string>();
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) for (const p of [l.route.path].flat()) for (const m of Object.keys(l.route.methods)) out.add(`${m.toUpperCase()} ${p}`);
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...out].filter((r) => / \/(api|hooks|metrics)(\/|\.|$)/.test(r));
}

const expressPath = (p: string) => p.replace(/\{([^}]+)\}/g, ':$1');
const documented = (d: Doc) => Object.entries(d.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${expressPath(p)}`));

function coverage(app: Express, d: Doc): { undocumented: string[]; unserved: string[] } {
  const served = servedRoutes(app);
  const spec = documented(d);
  return { undocumented: served.filter((r) => !spec.includes(r)).sort(), unserved: spec.filter((r) => !served.includes(r)).sort() };
}

/** A path with its parameters filled: ids nobody has (nothing is changed), a valid kind. */
const fill = (p: string, values: Record<string, string> = {}) => p.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? (name === 'kind' ? 'emergency' : '999999'));
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '20' });
  for (const [role, name] of Object.entries(roleLogins)) tokens[role] = await login(s.url, name, 'demo');
  const r = await api<Doc>(s.url, 'GET', '/api/openapi.json', undefined, tokens.operator);
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => {
  await s?.stop();
});

describe('GET /api/openapi.json', () => {
  it('needs a login; any staff role gets the OpenAPI 3.1 document', async () => {
    expect((await api(s.url, 'GET', '/api/openapi.json')).status).toBe(401);
    for (const role of ['admin', 'supervisor', 'operator', 'overflow'] as const) {
      const r = await api<Doc>(s.url, 'GET', '/api/openapi.json', undefined, tokens[role]);
      expect(r.status, role).toBe(200);
      expect(r.body.openapi).toBe('3.1.0');
    }
    expect(doc.tags.map((t) => t.name)).toContain('Линии');
  });

  it('documents every route the server serves, and nothing it does not serve', () => {
    const served = servedRoutes(s.app);
    expect(served.length).toBeGreaterThan(150);
    expect(coverage(s.app, doc)).toEqual({ undocumented: [], unserved: [] });
  });

  it('the check sees a route added without a declaration', () => {
    const d = structuredClone(doc);
    delete d.paths['/api/lines/{id}']!.patch;
    expect(coverage(s.app, d).undocumented).toEqual(['PATCH /api/lines/:id']);
    d.paths['/api/nowhere'] = { get: { summary: 'x', 'x-access': 'user' } };
    expect(coverage(s.app, d).unserved).toEqual(['GET /api/nowhere']);
  });
});

describe('who may call an operation is what the document says', () => {
  it('an operation for some roles answers 403 to every other role', async () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      const access = op['x-access'];
      if (!Array.isArray(access)) continue;
      for (const role of Object.keys(roleLogins) as RoleName[]) {
        if (access.includes(role)) continue;
        const r = await api(s.url, method, fill(path), method === 'GET' || method === 'DELETE' ? undefined : {}, tokens[role]);
        if (r.status !== 403) wrong.push(`${method} ${path} as ${role}: ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an operation for some roles lets each of them past the role check', async () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      const access = op['x-access'];
      if (!Array.isArray(access)) continue;
      for (const role of access) {
        const r = await api(s.url, method, fill(path), method === 'GET' || method === 'DELETE' ? undefined : {}, tokens[role]);
        if (r.status === 403 || r.status === 401) wrong.push(`${method} ${path} as ${role}: ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an operation for logged-in users answers 401 without a token; a public one does not ask for it', async () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      const r = await api(s.url, method, fill(path), method === 'GET' || method === 'DELETE' ? undefined : {});
      const access = op['x-access'];
      if (access === 'public' ? r.status === 401 : r.status !== 401) wrong.push(`${method} ${path} (${JSON.stringify(access)}) without a token: ${r.status}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the body schema in the document is the one the route enforces', () => {
  it('an empty body is refused naming exactly the fields the document calls required (and none where it requires none)', async () => {
    // Ids of records that exist, so that the body is what the route judges.
    const one = (sql: string) => String(s.db.prepare(sql).pluck().get());
    const ids: Record<string, string> = { id: '1', tenantId: '1', userId: one("SELECT id FROM users WHERE login = 'operator'"), accountNumber: one('SELECT account_number FROM accounts WHERE tenant_id = 1 LIMIT 1') };
    const zone = await api<{ zone: { id: number } }>(s.url, 'POST', '/api/zones', { tenantId: 1, name: 'Зона', polygon: [[37.6, 55.7], [37.7, 55.7], [37.7, 55.8]] }, tokens.admin);
    const group = await api<{ group: { id: number } }>(s.url, 'POST', '/api/executor-groups', { tenantId: 1, name: 'Бригада' }, tokens.admin);
    const template = await api<{ template: { id: number } }>(s.url, 'POST', '/api/reply-templates', { tenantId: 1, topic: 'Проверка', body: 'Текст ответа' }, tokens.admin);
    expect(template.status).toBe(201);
    const byPath: Record<string, Record<string, string>> = {
      '/api/calls/{id}/transfer': { id: storeCall(s, 1) },
      '/api/executors/{id}/schedules': { id: one("SELECT id FROM users WHERE login = 'executor'") },
      '/api/executors/{id}/exceptions': { id: one("SELECT id FROM users WHERE login = 'executor'") },
      '/api/zones/{id}': { id: String(zone.body.zone.id) },
      '/api/zones/{id}/executors': { id: String(zone.body.zone.id) },
      '/api/executor-groups/{id}': { id: String(group.body.group.id) },
      '/api/executor-groups/{id}/schedules': { id: String(group.body.group.id) },
      '/api/reply-templates/{id}': { id: String(template.body.template.id) },
    };
    // The group's own company is checked before the body (a group cannot move): given, it is not missing.
    const given: Record<string, Record<string, unknown>> = { '/api/executor-groups/{id}': { tenantId: 1 } };
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const { path, method, op } of operations()) {
      const schema = op.requestBody?.content['application/json']?.schema;
      const access = op['x-access'];
      if (!schema || access === 'public' || access === 'signed') continue;
      const required = schema.required ?? [];
      const properties = Object.keys(schema.properties ?? {});
      const role = access === 'user' ? 'admin' : access.includes('admin') ? 'admin' : access[0]!;
      const body = given[path] ?? {};
      const missing = required.filter((f) => !(f in body)).sort();
      const r = await api<{ error?: { details?: { field: string }[] } }>(s.url, method, fill(path, { ...ids, ...byPath[path] }), body, tokens[role]);
      // Problems with the document's fields; a whole-body rule ("nothing to change") names no field.
      const fields = [...new Set((r.body.error?.details ?? []).map((d) => d.field))].filter((f) => properties.includes(f)).sort();
      if ((missing.length > 0 && r.status !== 400) || JSON.stringify(fields) !== JSON.stringify(missing)) wrong.push(`${method} ${path}: ${r.status} ${JSON.stringify(fields)} ≠ required ${JSON.stringify(missing)}`);
      checked.push(`${method} ${path}`);
    }
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(50);
  });

  it('a field the document does not know is refused where the document says so (additionalProperties: false)', async () => {
    const op = doc.paths['/api/tenants']!.post!;
    expect(op.requestBody!.content['application/json']!.schema).toMatchObject({ additionalProperties: false, required: ['name'] });
    const r = await api<{ error: { details: { field: string }[] } }>(s.url, 'POST', '/api/tenants', { name: 'УК «Проверка»', director: 'x' }, tokens.admin);
    expect(r.status).toBe(400);
  });
});
