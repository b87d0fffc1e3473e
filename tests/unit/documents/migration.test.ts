// Migration 030 on a database that already holds pipelines and categories:
// the default pipelines hand the document out on 'assigned' (not 'done'),
// a company's own rules elsewhere are kept, categories keep their rows and
// requests, and a category may now be 'both' or a subcategory.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '../../../src/store/migrations');
const files = readdirSync(dir).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
const target = files.find((f) => f.startsWith('030_'))!;

describe('migration 030', () => {
  it('moves the default document rule to «Передана исполнителю» and rebuilds categories in place', () => {
    const db = new Database(':memory:');
    for (const f of files.filter((f) => f < target)) db.exec(readFileSync(path.join(dir, f), 'utf8'));
    db.prepare("INSERT INTO tenants (id, name) VALUES (1, 'УК')").run();
    db.prepare("INSERT INTO users (id, login, password_hash, role, full_name, created_at) VALUES (1, 'op', 'x', 'operator', 'op', '2026-01-01')").run();
    db.prepare("INSERT INTO pipelines (id, tenant_id, kind, name) VALUES (1, 1, 'emergency', 'А'), (2, 1, 'planned', 'П')").run();
    const stage = db.prepare('INSERT INTO pipeline_stages (pipeline_id, code, name, position, rules) VALUES (?, ?, ?, ?, ?)');
    // Pipeline 1 as the old default stored it; pipeline 2 a company's own (document on 'done' with a notify, already on 'assigned').
    stage.run(1, 'assigned', 'Передана', 2, '[{"type":"require","fields":["assignee"]},{"type":"notify","to":"assignee"}]');
    stage.run(1, 'done', 'Выполнена', 4, '[{"type":"require","fields":["result"]},{"type":"document"}]');
    stage.run(2, 'assigned', 'Передана', 2, '[{"type":"document"}]');
    stage.run(2, 'done', 'Выполнена', 4, '[{"type":"notify","to":"supervisors"},{"type":"document"}]');
    db.prepare("INSERT INTO tickets (id, number, tenant_id, kind, category_id, description, address, created_by, created_at) VALUES (1, '2026-000001', 1, 'emergency', 1, 'Течь', 'ул. Ленина, 1', 1, '2026-01-01')").run();
    const before = db.prepare('SELECT id, code, kind, speciality_id FROM ticket_categories ORDER BY id').all();

    db.pragma('foreign_keys = OFF'); // as the runner does for a `pult:foreign-keys-off` file
    db.exec(readFileSync(path.join(dir, target), 'utf8'));
    db.pragma('foreign_keys = ON');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const rules = (p: number, code: string) => JSON.parse(db.prepare('SELECT rules FROM pipeline_stages WHERE pipeline_id = ? AND code = ?').pluck().get(p, code) as string);
    expect(rules(1, 'assigned')).toEqual([{ type: 'require', fields: ['assignee'] }, { type: 'notify', to: 'assignee' }, { type: 'document' }]);
    expect(rules(1, 'done')).toEqual([{ type: 'require', fields: ['result'] }]);
    expect(rules(2, 'assigned')).toEqual([{ type: 'document' }]);
    expect(rules(2, 'done')).toEqual([{ type: 'notify', to: 'supervisors' }, { type: 'document' }]);

    expect(db.prepare('SELECT id, code, kind, speciality_id FROM ticket_categories ORDER BY id').all()).toEqual(before);
    db.prepare("INSERT INTO ticket_categories (code, name, kind, parent_id) VALUES ('lift', 'Лифт', 'both', NULL)").run();
    expect(() => db.prepare("INSERT INTO ticket_categories (code, name, kind) VALUES ('x', 'x', 'sometimes')").run()).toThrow(/CHECK/);
    expect(() => db.prepare('DELETE FROM ticket_categories WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
  });
});
