// The status page's data (/s/<token>): the request as its resident may see
// it — number, company, category, address, stages with times, the executor's
// first name, the report and photos (short-lived signed links), the
// conversation, the documents sent to the resident and the rating form's state. Nothing of other residents.
import type { TicketService } from '../../features/tickets/service.js';
import type { RequestRepository } from '../../features/requests/repository.js';
import type { RequestService } from '../../features/requests/service.js';
import type { AttachmentView } from '../../features/attachments/index.js';
import type { ChannelIntake } from '../intake.js';
import type { FeedbackService } from '../feedback.js';
import type { StatusView } from './schema.js';
import { executorPublicName } from './names.js';

export interface StatusDeps {
  tickets: TicketService;
  repo: RequestRepository;
  requests: RequestService;
  intake: ChannelIntake;
  feedback: FeedbackService;
  attachments: (ticketId: number) => AttachmentView[];
  /** The documents that went out to the resident (nothing pending or rejected), with signed links. */
  documents: (ticketId: number) => StatusView['documents'];
}

export function statusView(d: StatusDeps, ticketId: number): StatusView | null {
  const t = d.tickets.get(ticketId);
  if (!t) return null;
  const x = d.repo.extras(ticketId);
  const name = (code: string) => d.requests.stageName(t.tenantId, t.kind, code);
  const timeline = d.repo.history(ticketId).filter((h) => h.from !== h.to).map((h) => ({ at: h.at, stage: h.to, name: name(h.to) }));
  const category = d.tickets.category(t.category.id);
  return {
    number: t.number,
    company: t.tenantName,
    category: t.category.name,
    emergency: category?.kind === 'emergency' || t.kind === 'emergency',
    address: t.address,
    flat: t.flat,
    description: t.description,
    createdAt: t.createdAt,
    status: t.status,
    stage: { code: x.stage, name: name(x.stage) },
    timeline,
    executor: x.assigneeId !== null ? (executorPublicName(x.assigneeName) ?? '') : null,
    report: x.doneAt ? x.result : null,
    doneAt: x.doneAt,
    photos: d.attachments(ticketId).filter((a) => a.mime.startsWith('image/')).map((a) => ({ url: a.url, thumbUrl: a.thumbUrl, name: a.name })),
    documents: d.documents(ticketId),
    messages: d.intake.messages(ticketId).map((m) => ({ id: m.id, direction: m.direction, body: m.body, at: m.createdAt, author: m.author })),
    canRate: d.feedback.canRate(ticketId),
    ratings: d.feedback.ratings(ticketId).map((r) => ({ score: r.score, comment: r.comment, questionsLeft: r.questionsLeft, at: r.createdAt })),
  };
}
