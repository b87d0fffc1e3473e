// Shapes of the HTTP API answers the pages use (the socket events come from
// the server's contract, imported for types only).
import type { CardAccount } from '../../../src/realtime/contract.ts';
export type { CallCard, CardAccount, CardCall, CardTicket, ServerToClientEvents, ClientToServerEvents } from '../../../src/realtime/contract.ts';

export interface User {
  id: number;
  login: string;
  role: 'admin' | 'supervisor' | 'operator' | 'overflow' | 'executor';
  fullName: string;
  tenantIds: number[] | null;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

export type OperatorState = 'offline' | 'available' | 'ringing' | 'oncall' | 'wrapup' | 'paused';

export interface OperatorMe {
  operator: {
    userId: number;
    fullName?: string;
    extension: string;
    state: OperatorState;
    pauseReason: string | null;
    stateSince: string;
    wrapupUntil: string | null;
  };
  sip: SipCredentials | null;
}

export interface SipCredentials {
  extension: string;
  password: string;
  wsUrl: string;
  domain: string;
}

export interface AccountItem extends CardAccount {
  matchedBy?: string;
}

export type { Ticket, TicketCategory } from '../../../src/features/tickets/types.ts';

export interface CallItem {
  id: string;
  from: string;
  callerName?: string | null;
  to: string;
  line: { id: number; name: string | null } | null;
  state?: string;
  outcome: string | null;
  arrivedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  talkSec: number | null;
  answeredVia: 'console' | 'mobile' | null;
  recordingUrl: string | null;
  recording: { state: string; durationSec: number | null } | null;
  /** The line's entry menu the caller went through: its line and the key (null: none). */
  entryMenu?: { lineId: number; lineName: string | null; digit: string | null } | null;
}

export interface NewTicketBody {
  kind: 'emergency' | 'planned';
  categoryId: number;
  description: string;
  accountNumber?: string;
  tenantId?: number;
  address?: string;
  flat?: string;
  callerName?: string;
  callerPhone?: string;
  anonymous?: boolean;
  callId?: string;
  /** How the request came when there is no call (walk-in, letter…). */
  channel?: string;
}
