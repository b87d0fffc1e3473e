// Users and bearer-token sessions. Tokens are random 32 bytes; only their
// sha256 is stored, so a leaked database does not leak live sessions.
import { stmt } from '../../store/db.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import { dummyHash, hashPassword, verifyPasswordAsync } from './passwords.js';

export const roles = ['admin', 'supervisor', 'operator', 'overflow'] as const;
export type Role = (typeof roles)[number];

export interface User {
  id: number;
  login: string;
  role: Role;
  fullName: string;
  mobileNumber: string | null;
  /** Management companies this user works for; null = all (admin). */
  tenantIds: number[] | null;
}

interface UserRow { id: number; login: string; role: Role; full_name: string; mobile_number: string | null; password_hash: string }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class AuthService {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly ttlHours: number) {}

  createUser(input: { login: string; password: string; passwordHash?: string; role: Role; fullName: string; mobileNumber?: string | null; tenantIds?: number[] }): User {
    const id = this.db.transaction(() => {
      const info = stmt(this.db, 'INSERT INTO users (login, password_hash, role, full_name, mobile_number, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.login, input.passwordHash ?? hashPassword(input.password), input.role, input.fullName, input.mobileNumber ?? null, this.clock.now().toISOString());
      const userId = Number(info.lastInsertRowid);
      const link = stmt(this.db, 'INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)');
      for (const t of input.tenantIds ?? []) link.run(userId, t);
      return userId;
    })();
    const user = this.getUser(id);
    if (!user) throw new Error('user vanished after insert');
    return user;
  }

  getUser(id: number): User | null {
    const row = stmt(this.db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? this.toUser(row) : null;
  }

  findByLogin(login: string): User | null {
    const row = stmt(this.db, 'SELECT * FROM users WHERE login = ?').get(login) as UserRow | undefined;
    return row ? this.toUser(row) : null;
  }

  /** Returns a fresh token, or null when the login or password is wrong. */
  async login(login: string, password: string): Promise<{ token: string; user: User; expiresAt: string } | null> {
    const row = stmt(this.db, 'SELECT * FROM users WHERE login = ?').get(login) as UserRow | undefined;
    const ok = await verifyPasswordAsync(password, row?.password_hash ?? dummyHash);
    if (!row || !ok) return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlHours * 3600_000).toISOString();
    stmt(this.db, 'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(token), row.id, now.toISOString(), expiresAt);
    return { token, user: this.toUser(row), expiresAt };
  }

  authenticate(token: string): User | null {
    const row = stmt(this.db, 'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?')
      .get(sha256(token), this.clock.now().toISOString()) as UserRow | undefined;
    return row ? this.toUser(row) : null;
  }

  logout(token: string): void {
    stmt(this.db, 'DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
  }

  private toUser(row: UserRow): User {
    const tenantIds = row.role === 'admin' ? null : (stmt(this.db, 'SELECT tenant_id FROM user_tenants WHERE user_id = ? ORDER BY tenant_id').pluck().all(row.id) as number[]);
    return { id: row.id, login: row.login, role: row.role, fullName: row.full_name, mobileNumber: row.mobile_number, tenantIds };
  }
}
