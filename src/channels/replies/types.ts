// Replies' socket events (types only; shared with the browser pages).

/** `reply.pending` to supervisors:<tenantId> (and admins); `reply.decided` to the author's user room. */
export interface ReplyEvent {
  replyId: number; requestId: number; number: string; tenantId: number;
  status: 'pending' | 'rejected' | 'sending' | 'sent' | 'failed';
  author: { id: number; name: string };
  decidedBy: { id: number; name: string } | null;
  decisionComment: string | null;
  at: string;
}
