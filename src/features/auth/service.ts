// Users and bearer-token sessions. Tokens are random 32 bytes; only their
// sha256 is stored, so a leaked database does not leak live sessions.
// Whenever sessions end (logout, password change, a user disabled), the
// 'sessionsEnded' event names them, after the transaction has committed, so
// the realtime server can disconnect their sockets at once.
import { stmt } from '../../store/db.js';
import { EventEmitter } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';
import { dummyHash, hashPassword, hashPasswordAsync, verifyPasswordAsync } from './passwords.js';

export const roles = ['admin', 'supervisor', 'operator', 'overflow', 'executor'] as const;
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

/** A user as an admin sees them in the user list. */
export interface UserAccount extends User {
  createdAt: string;
  disabledAt: string | null;
}

/** A live session: `key` names it (a room, a log line) without revealing the token. */
export interface Session {
  user: User;
  key: string;
  expiresAt: string;
}

interface UserRow { id: number; login: string; role: Role; full_name: string; mobile_number: string | null; password_hash: string; created_at: string; disabled_at: string | null }

/** Logins of system accounts (a channel's «Веб-форма», «Telegram»…) start with it; see AuthService.isSystemAccount. */
export const SYSTEM_LOGIN_PREFIX = '~';
/** SQL: the row is a person's account, not a system account. */
const PERSON = `substr(login, 1, 1) <> '${SYSTEM_LOGIN_PREFIX}'`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** The public name of a session: a prefix of its token's hash. */
export const sessionKey = (tokenHash: string) => tokenHash.slice(0, 24);

export class AuthService extends EventEmitter<{ sessionsEnded: [string[]] }> {
  /**
   * `slidingHours`: roles whose sessions last that long instead and are
   * renewed on use (the executor's phone stays logged in); a renewal is
   * written at most once an hour.
   */
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly ttlHours: number, private readonly slidingHours: Partial<Record<Role, number>> = {}) {
    super();
  }

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

  /** Returns a fresh token, or null when the login or password is wrong or the user is disabled. */
  async login(login: string, password: string): Promise<{ token: string; user: User; expiresAt: string } | null> {
    const row = stmt(this.db, 'SELECT * FROM users WHERE login = ?').get(login) as UserRow | undefined;
    const ok = await verifyPasswordAsync(password, row?.password_hash ?? dummyHash);
    if (!row || !ok || row.disabled_at !== null || row.login.startsWith(SYSTEM_LOGIN_PREFIX)) return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (this.slidingHours[row.role] ?? this.ttlHours) * 3600_000).toISOString();
    stmt(this.db, 'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(token), row.id, now.toISOString(), expiresAt);
    return { token, user: this.toUser(row), expiresAt };
  }

  authenticate(token: string): User | null {
    return this.session(token)?.user ?? null;
  }

  /** The live session of a token (not expired, user not disabled), or null. */
  session(token: string): Session | null {
    const hash = sha256(token);
    const row = stmt(this.db, 'SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL')
      .get(hash, this.clock.now().toISOString()) as (UserRow & { session_expires_at: string }) | undefined;
    if (!row) return null;
    return { user: this.toUser(row), key: sessionKey(hash), expiresAt: this.slide(hash, row.role, row.session_expires_at) };
  }

  /** A sliding session's new expiry (renewed when an hour has passed since the last renewal), or the old one. */
  private slide(hash: string, role: Role, expiresAt: string): string {
    const hours = this.slidingHours[role];
    if (hours === undefined) return expiresAt;
    const now = this.clock.now().getTime();
    if (new Date(expiresAt).getTime() > now + (hours - 1) * 3600_000) return expiresAt;
    const renewed = new Date(now + hours * 3600_000).toISOString();
    stmt(this.db, 'UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(renewed, hash);
    return renewed;
  }

  logout(token: string): void {
    const hash = sha256(token);
    const n = stmt(this.db, 'DELETE FROM sessions WHERE token_hash = ?').run(hash).changes;
    if (n > 0) this.emit('sessionsEnded', [sessionKey(hash)]);
  }

  /** Checks the current password, sets the new one and ends the user's other sessions. */
  async changePassword(userId: number, currentToken: string, currentPassword: string, newPassword: string): Promise<boolean> {
    const row = stmt(this.db, 'SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    if (!row || !(await verifyPasswordAsync(currentPassword, row.password_hash))) return false;
    const hash = await hashPasswordAsync(newPassword);
    this.setPasswordAndEndSessions(userId, hash, sha256(currentToken));
    return true;
  }

  /** An admin sets a new password: every session of that user ends. */
  async resetPassword(userId: number, newPassword: string, within?: () => void): Promise<boolean> {
    if (!this.getUser(userId) || this.isSystemAccount(userId)) return false;
    this.setPasswordAndEndSessions(userId, await hashPasswordAsync(newPassword), null, within);
    return true;
  }

  /** Disables a user: no more logins, every session ends now. */
  disable(userId: number, within?: () => void): boolean {
    const ended = this.db.transaction(() => {
      const n = stmt(this.db, 'UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?').run(this.clock.now().toISOString(), userId).changes;
      if (n === 0) return null;
      within?.();
      return this.deleteSessions(userId, null);
    })();
    if (ended === null) return false;
    if (ended.length > 0) this.emit('sessionsEnded', ended);
    return true;
  }

  enable(userId: number, within?: () => void): boolean {
    return this.db.transaction(() => {
      // A system account stays disabled.
      const ok = stmt(this.db, `UPDATE users SET disabled_at = NULL WHERE id = ? AND ${PERSON}`).run(userId).changes > 0;
      if (ok) within?.();
      return ok;
    })();
  }

  /** An account as an admin sees it (with its disabled mark), or null. */
  account(id: number): UserAccount | null {
    const row = stmt(this.db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? { ...this.toUser(row), createdAt: row.created_at, disabledAt: row.disabled_at } : null;
  }

  /**
   * Changes a user's name, mobile, role or companies. A new role or new
   * companies end the user's sessions (their sockets joined rooms by the
   * old ones): they log in again and see what they now may.
   * `within(before, after)` runs inside the transaction (the audit entry).
   */
  updateUser(id: number, p: { fullName?: string; mobileNumber?: string | null; role?: Role; tenantIds?: number[] }, within?: (before: UserAccount, after: UserAccount) => void): UserAccount | null {
    const ended = this.db.transaction(() => {
      const before = this.account(id);
      if (!before) return null;
      if (p.fullName !== undefined) stmt(this.db, 'UPDATE users SET full_name = ? WHERE id = ?').run(p.fullName, id);
      if (p.mobileNumber !== undefined) stmt(this.db, 'UPDATE users SET mobile_number = ? WHERE id = ?').run(p.mobileNumber, id);
      if (p.role !== undefined) stmt(this.db, 'UPDATE users SET role = ? WHERE id = ?').run(p.role, id);
      if (p.tenantIds !== undefined) {
        stmt(this.db, 'DELETE FROM user_tenants WHERE user_id = ?').run(id);
        const link = stmt(this.db, 'INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)');
        for (const t of p.tenantIds) link.run(id, t);
      }
      const after = this.account(id)!;
      within?.(before, after);
      const scopeChanged = before.role !== after.role || JSON.stringify(before.tenantIds) !== JSON.stringify(after.tenantIds);
      return scopeChanged ? this.deleteSessions(id, null) : [];
    })();
    if (ended === null) return null;
    if (ended.length > 0) this.emit('sessionsEnded', ended);
    return this.account(id);
  }

  /**
   * A system account: not a person but who registers what a channel brings
   * in (the journal's «Веб-форма», «Telegram»…). Its login starts with «~»,
   * which no login made through the API or the CLI may; it has no password
   * and stays disabled: the admin API neither lists nor changes it.
   */
  isSystemAccount(userId: number): boolean {
    const login = stmt(this.db, 'SELECT login FROM users WHERE id = ?').pluck().get(userId) as string | undefined;
    return login !== undefined && login.startsWith(SYSTEM_LOGIN_PREFIX);
  }

  isDisabled(userId: number): boolean {
    return (stmt(this.db, 'SELECT disabled_at FROM users WHERE id = ?').pluck().get(userId) ?? null) !== null;
  }

  /** Whether any enabled admin exists (else the first one is made with `npm run admin -- create`). */
  hasAdmin(): boolean {
    return stmt(this.db, "SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").get() !== undefined;
  }

  /** People's accounts: the system accounts (see isSystemAccount) are not listed. */
  listUsers(o: { limit: number; offset: number }): { items: UserAccount[]; total: number } {
    const rows = stmt(this.db, `SELECT * FROM users WHERE ${PERSON} ORDER BY id LIMIT ? OFFSET ?`).all(o.limit, o.offset) as UserRow[];
    const total = stmt(this.db, `SELECT count(*) FROM users WHERE ${PERSON}`).pluck().get() as number;
    return { items: rows.map((r) => ({ ...this.toUser(r), createdAt: r.created_at, disabledAt: r.disabled_at })), total };
  }

  private setPasswordAndEndSessions(userId: number, passwordHash: string, keepTokenHash: string | null, within?: () => void): void {
    const ended = this.db.transaction(() => {
      stmt(this.db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
      within?.();
      return this.deleteSessions(userId, keepTokenHash);
    })();
    if (ended.length > 0) this.emit('sessionsEnded', ended);
  }

  /** Deletes a user's sessions (but one), returning their keys. Call inside a transaction. */
  private deleteSessions(userId: number, keepTokenHash: string | null): string[] {
    const hashes = stmt(this.db, 'SELECT token_hash FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').pluck().all(userId, keepTokenHash) as string[];
    stmt(this.db, 'DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepTokenHash);
    return hashes.map(sessionKey);
  }

  private toUser(row: UserRow): User {
    const tenantIds = row.role === 'admin' ? null : (stmt(this.db, 'SELECT tenant_id FROM user_tenants WHERE user_id = ? ORDER BY tenant_id').pluck().all(row.id) as number[]);
    return { id: row.id, login: row.login, role: row.role, fullName: row.full_name, mobileNumber: row.mobile_number, tenantIds };
  }
}
