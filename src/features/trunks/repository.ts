// SIP trunks in the database. The password is read only for pushing the
// trunk to the PBX (spec()); everything shown or audited is a Trunk, which
// carries whether a password is set, never the password.
import { stmt, type Db } from '../../store/db.js';
import type { TrunkSpec } from '../../telephony/ports.js';

export interface Trunk {
  id: number;
  name: string;
  mode: 'ip' | 'register';
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  codecs: string[];
  username: string | null;
  authUsername: string | null;
  realm: string | null;
  /** Shown on outbound calls of lines without their own caller id. */
  callerId: string | null;
  didSource: 'ruri' | 'to' | 'diversion';
  passwordSet: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Every setting of a trunk, as written (the password included). */
export type TrunkInput = Omit<Trunk, 'id' | 'passwordSet' | 'createdAt' | 'updatedAt'> & { password: string | null };

interface Row {
  id: number; name: string; mode: Trunk['mode']; host: string; port: number; transport: Trunk['transport']; codecs: string;
  username: string | null; password: string | null; auth_username: string | null; realm: string | null; caller_id: string | null;
  did_source: Trunk['didSource']; created_at: string; updated_at: string;
}

const toTrunk = (r: Row): Trunk => ({
  id: r.id, name: r.name, mode: r.mode, host: r.host, port: r.port, transport: r.transport, codecs: r.codecs.split(',').filter(Boolean),
  username: r.username, authUsername: r.auth_username, realm: r.realm, callerId: r.caller_id, didSource: r.did_source,
  passwordSet: r.password !== null && r.password !== '', createdAt: r.created_at, updatedAt: r.updated_at,
});

const toSpec = (r: Row): TrunkSpec => ({
  id: r.id, mode: r.mode, host: r.host, port: r.port, transport: r.transport, codecs: r.codecs.split(',').filter(Boolean),
  username: r.username, password: r.password, authUsername: r.auth_username, realm: r.realm, didSource: r.did_source,
});

const columns = 'name, mode, host, port, transport, codecs, username, password, auth_username, realm, caller_id, did_source';
const values = (t: TrunkInput) => [t.name, t.mode, t.host, t.port, t.transport, t.codecs.join(','), t.username, t.password, t.authUsername, t.realm, t.callerId, t.didSource];

export class TrunkRepository {
  constructor(private readonly db: Db) {}

  list(): Trunk[] {
    return (stmt(this.db, 'SELECT * FROM sip_trunks ORDER BY id').all() as Row[]).map(toTrunk);
  }

  get(id: number): Trunk | null {
    const r = stmt(this.db, 'SELECT * FROM sip_trunks WHERE id = ?').get(id) as Row | undefined;
    return r ? toTrunk(r) : null;
  }

  /** The trunk's settings with its password, for the PBX only. */
  input(id: number): TrunkInput | null {
    const r = stmt(this.db, 'SELECT * FROM sip_trunks WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    const t = toTrunk(r);
    return {
      name: t.name, mode: t.mode, host: t.host, port: t.port, transport: t.transport, codecs: t.codecs, username: t.username,
      authUsername: t.authUsername, realm: t.realm, callerId: t.callerId, didSource: t.didSource, password: r.password,
    };
  }

  spec(id: number): TrunkSpec | null {
    const r = stmt(this.db, 'SELECT * FROM sip_trunks WHERE id = ?').get(id) as Row | undefined;
    return r ? toSpec(r) : null;
  }

  specs(): TrunkSpec[] {
    return (stmt(this.db, 'SELECT * FROM sip_trunks ORDER BY id').all() as Row[]).map(toSpec);
  }

  create(t: TrunkInput, at: string): Trunk {
    const info = stmt(this.db, `INSERT INTO sip_trunks (${columns}, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...values(t), at, at);
    return this.get(Number(info.lastInsertRowid))!;
  }

  update(id: number, t: TrunkInput, at: string): Trunk | null {
    const sets = columns.split(', ').map((c) => `${c} = ?`).join(', ');
    const changed = stmt(this.db, `UPDATE sip_trunks SET ${sets}, updated_at = ? WHERE id = ?`).run(...values(t), at, id).changes;
    return changed ? this.get(id) : null;
  }

  delete(id: number): boolean {
    return stmt(this.db, 'DELETE FROM sip_trunks WHERE id = ?').run(id).changes > 0;
  }

  /** Lines whose outbound calls use this trunk (a trunk in use cannot be deleted). */
  linesUsing(id: number): number[] {
    return stmt(this.db, 'SELECT id FROM lines WHERE trunk_id = ? ORDER BY id').pluck().all(id) as number[];
  }
}
