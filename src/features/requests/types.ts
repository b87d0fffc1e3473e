// Requests' API shapes (types only; shared with the browser pages).
import type { RequestKind } from '../../domain/request-pipeline.js';

export const channels = ['call', 'walk-in', 'letter', 'email', 'web', 'other', 'telegram'] as const;
export type Channel = (typeof channels)[number];

export interface ListFilter {
  tenantIds: number[] | null;
  number?: string; phone?: string; text?: string; address?: string;
  stage?: string[]; status?: 'open' | 'closed'; kind?: RequestKind; categoryId?: number; assigneeId?: number | null;
  channel?: string; buildingId?: number; accountId?: number; late?: boolean; from?: string; to?: string;
  before?: { createdAt: string; id: number };
  limit: number;
}

export interface MonitorFilter {
  tenantIds: number[] | null;
  kind?: RequestKind; categoryId?: number; assigneeId?: number; buildingId?: number; from?: string; to?: string;
}

/** What `request.reminder` carries to the holder's user room or, escalated, to supervisors:<tenantId>. */
export interface ReminderEvent { requestId: number; number: string; tenantId: number; stage: string; dueAt: string | null; late: boolean; slot: number; escalated: boolean; at: string }
/** `request.notify`: a stage rule's notification. */
export interface NotifyEvent { requestId: number; number: string; tenantId: number; stage: string; reason: 'assigned' | 'stage'; at: string }
/** `request.changed`: to tenant:<id> rooms when a request is created, moved, edited or commented. */
export interface ChangedEvent { requestId: number; tenantId: number; stage: string; status: 'open' | 'closed'; at: string }

/** GET /api/requests/monitor and the `requests.monitor` event's counts (open requests only). */
export interface MonitorSnapshot {
  at: string; open: number; late: number; dueSoon: number; unassigned: number;
  byKind: { kind: string; open: number; late: number }[];
  byCategory: { categoryId: number; name: string; open: number; late: number }[];
  byExecutor: { userId: number; name: string; open: number; late: number }[];
  byStage: { stage: string; count: number }[];
}
