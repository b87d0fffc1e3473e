// The typed socket.io contract, shared with the browser code (agent-ui
// imports this file for types only). Event names are part of the public API.

export interface CardAccount {
  accountNumber: string;
  holderName: string;
  address: string;
  flat: string | null;
  tenant: { id: number; name: string };
  phones: string[];
  /** The directory's e-mail addresses (absent in older cards). */
  emails?: string[];
  status: string;
}

export interface CardTicket {
  id: number;
  number: string;
  kind: 'emergency' | 'planned';
  category: string;
  description: string;
  address: string;
  createdAt: string;
  dueAt: string | null;
}

export interface CardCall {
  id: string;
  arrivedAt: string;
  outcome: string | null;
  answeredVia: string | null;
  talkSec: number | null;
  line: string | null;
}

/** The ticket card an operator (or overflow mobile) gets when a call rings for them. */
export interface CallCard {
  callId: string;
  caller: string;
  callerName: string | null;
  anonymous: boolean;
  /** «Аноним № N» for a withheld number. */
  anonymousLabel: string | null;
  did: string;
  line: { id: number; name: string } | null;
  tenant: { id: number; name: string } | null;
  accounts: CardAccount[];
  openTickets: CardTicket[];
  recentCalls: CardCall[];
  via: 'console' | 'mobile';
  offeredAt: string;
  /** Set when the card is re-sent to a reconnecting client mid-call. */
  state: 'ringing' | 'connected';
  /** 'outbound': Pult is calling `caller` for this operator (a callback or click-to-call). */
  direction?: 'inbound' | 'outbound';
  /** The callback task an outbound call is made for: why, since when, due when, earlier attempts. */
  callback?: { id: number; reason: string; createdAt: string; dueAt: string; attempts: { at: string; outcome: string | null; endReason: string | null }[] } | null;
}

export interface ServerToClientEvents {
  'call.offered': (card: CallCard) => void;
  'call.answered': (e: { callId: string; answeredBy: number | null; byYou: boolean; via: 'console' | 'mobile'; at: string }) => void;
  'call.ended': (e: { callId: string; outcome: string; reason: string; at: string; recordingUrl: string | null }) => void;
  'call.recording': (e: { callId: string; recordingUrl: string | null; durationSec: number | null; error: string | null }) => void;
  'operator.state': (e: { userId: number; state: string; pauseReason: string | null; since: string; wrapupUntil: string | null }) => void;
  'wallboard.snapshot': (s: import('../features/wallboard/contract.js').WallboardSnapshot) => void;
  'request.reminder': (e: import('../features/requests/types.js').ReminderEvent) => void;
  'request.notify': (e: import('../features/requests/types.js').NotifyEvent) => void;
  'request.changed': (e: import('../features/requests/types.js').ChangedEvent) => void;
  /** Nobody could be assigned automatically: to supervisors:<tenantId> and the zone's responsible dispatcher. */
  'request.alarm': (e: import('../features/executors/service.js').AlarmEvent) => void;
  'requests.monitor': (e: { tenantId: number; counts: import('../features/requests/types.js').MonitorSnapshot }) => void;
  'wallboard.patch': (p: import('../features/wallboard/contract.js').WallboardPatch) => void;
  /** A reply to a resident waits for approval: to supervisors:<tenantId> and admins. */
  'reply.pending': (e: import('../channels/replies/types.js').ReplyEvent) => void;
  /** Your reply was approved (and sent) or rejected with a comment: to the author. */
  'reply.decided': (e: import('../channels/replies/types.js').ReplyEvent) => void;
}

export interface ClientToServerEvents {
  /** Ask for the current card again (e.g. after the page was reloaded). */
  'card.resend': () => void;
  /** The wallboard missed a patch (or has none yet): send the full snapshot again. */
  'wallboard.resync': () => void;
}

export interface SocketData {
  userId: number;
  role: string;
  tenantIds: number[] | null;
  /** The login session the socket belongs to (see AuthService.session). */
  sessionKey: string;
  sessionExpiresAt: string;
}
