// Replies' API shapes and socket events (types only; shared with the browser pages).

export type ReplyStatus = 'pending' | 'rejected' | 'sending' | 'sent' | 'failed';

/** A reply to a resident as the API returns it. */
export interface Reply {
  id: number; requestId: number; number: string; tenantId: number; templateId: number | null; channel: string; body: string; status: ReplyStatus;
  author: { id: number; name: string }; createdAt: string;
  decidedBy: { id: number; name: string } | null; decidedAt: string | null; decisionComment: string | null;
  sentAt: string | null; error: string | null;
  /** The document the reply carries (its PDF, an attachment of the request; `url` a short-lived signed link), or null. */
  document: ReplyDocument | null;
}

export interface ReplyDocument { title: string; attachmentId: number; name: string; url: string }

/** A plain reply's template, or a document's («Акт выполненных работ»: the topic is the document's title). */
export type TemplateKind = 'reply' | 'document';
export const templateKinds = ['reply', 'document'] as const satisfies readonly TemplateKind[];

export interface ReplyTemplate { id: number; tenantId: number; kind: TemplateKind; topic: string; body: string; needsApproval: boolean; updatedAt: string }

/** GET /api/requests/:id/reply-draft: the template filled for the request; `document` when it is a document template. */
export interface ReplyDraft { body: string; needsApproval: boolean; document: { title: string } | null }

/** GET /api/requests/:id/replies */
export interface RepliesView { replies: Reply[]; channel: string; canReply: boolean; needsApproval: boolean; canApprove: boolean }

/** `reply.pending` to supervisors:<tenantId> (and admins); `reply.decided` to the author's user room. */
export interface ReplyEvent {
  replyId: number; requestId: number; number: string; tenantId: number;
  status: ReplyStatus;
  author: { id: number; name: string };
  decidedBy: { id: number; name: string } | null;
  decisionComment: string | null;
  at: string;
}
