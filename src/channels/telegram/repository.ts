// The Telegram channel's tables: each bot's update offset and each chat's
// conversation state.
import { stmt, type Db } from '../../store/db.js';
import { freshChat, type ChatState } from '../messenger/dialog.js';

export class TelegramRepository {
  constructor(readonly db: Db) {}

  nextUpdateId(tenantId: number): number {
    return (stmt(this.db, 'SELECT next_update_id FROM telegram_offsets WHERE tenant_id = ?').pluck().get(tenantId) as number | undefined) ?? 0;
  }

  setNextUpdateId(tenantId: number, next: number): void {
    stmt(this.db, 'INSERT INTO telegram_offsets (tenant_id, next_update_id) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET next_update_id = max(next_update_id, excluded.next_update_id)').run(tenantId, next);
  }

  chat(tenantId: number, chatId: number): ChatState {
    const raw = stmt(this.db, 'SELECT state FROM telegram_chats WHERE tenant_id = ? AND chat_id = ?').pluck().get(tenantId, chatId) as string | undefined;
    return raw ? { ...freshChat(), ...(JSON.parse(raw) as Partial<ChatState>) } : freshChat();
  }

  saveChat(tenantId: number, chatId: number, s: ChatState, at: string): void {
    stmt(this.db, `INSERT INTO telegram_chats (tenant_id, chat_id, state, ticket_id, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, chat_id) DO UPDATE SET state = excluded.state, ticket_id = excluded.ticket_id, updated_at = excluded.updated_at`)
      .run(tenantId, chatId, JSON.stringify(s), s.ticketId, at);
  }

  /** Chats of this company whose open request has been closed since (they are asked for a rating). */
  chatsWithClosedRequests(tenantId: number): { chatId: number; ticketId: number; number: string }[] {
    return stmt(this.db, `SELECT c.chat_id AS chatId, c.ticket_id AS ticketId, t.number FROM telegram_chats c JOIN tickets t ON t.id = c.ticket_id
      WHERE c.tenant_id = ? AND t.status = 'closed'`).all(tenantId) as { chatId: number; ticketId: number; number: string }[];
  }

  ticketNumber(ticketId: number): string | null {
    return (stmt(this.db, 'SELECT number FROM tickets WHERE id = ?').pluck().get(ticketId) as string | undefined) ?? null;
  }

  isOpen(ticketId: number): boolean {
    return stmt(this.db, "SELECT status FROM tickets WHERE id = ?").pluck().get(ticketId) === 'open';
  }

  /** The company's accounts at a phone (the directory's phones). */
  accountsByPhone(tenantId: number, phone: string): { accountId: number; buildingId: number | null; address: string; flat: string | null }[] {
    return stmt(this.db, `SELECT DISTINCT a.id AS accountId, a.building_id AS buildingId, b.address AS address, a.flat AS flat
      FROM account_phones p JOIN accounts a ON a.id = p.account_id JOIN buildings b ON b.id = a.building_id
      WHERE p.phone = ? AND a.tenant_id = ? AND a.status = 'active' LIMIT 5`).all(phone, tenantId) as { accountId: number; buildingId: number | null; address: string; flat: string | null }[];
  }
}
