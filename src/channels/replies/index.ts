// Replies to residents, wired: templates, the reply service with approval,
// the routes and the socket notifications.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import { rooms, type RealtimeServer } from '../../realtime/server.js';
import type { TicketService } from '../../features/tickets/service.js';
import type { ChannelIntake, ChannelRegistry } from '../index.js';
import { channelNames, type ChannelName } from '../types.js';
import { ReplyRepository, type Reply } from './repository.js';
import { ReplyService, type ReplyDocuments, type ReplyNotifier } from './service.js';
import type { StoredReply } from './repository.js';
import { replyRoutes } from './routes.js';
import type { ReplyEvent } from './types.js';

export { ReplyService, ReplyRepository, type Reply };

const event = (r: StoredReply, at: string): ReplyEvent => ({
  replyId: r.id, requestId: r.requestId, number: r.number, tenantId: r.tenantId, status: r.status, author: r.author, decidedBy: r.decidedBy, decisionComment: r.decisionComment, at,
});

class SocketReplyNotifier implements ReplyNotifier {
  io: RealtimeServer | null = null;
  constructor(private readonly clock: Clock) {}
  pending(r: StoredReply): void {
    this.io?.to([rooms.supervisors(r.tenantId), rooms.role('admin')]).emit('reply.pending', event(r, this.clock.now().toISOString()));
  }
  decided(r: StoredReply): void {
    this.io?.to(rooms.user(r.author.id)).emit('reply.decided', event(r, this.clock.now().toISOString()));
  }
}

const isChannel = (c: string): c is ChannelName => (channelNames as readonly string[]).includes(c);

export function attachReplies(o: {
  db: Db; clock: Clock; logger: Logger; timeZone: string;
  registry: ChannelRegistry; intake: ChannelIntake; tickets: TicketService;
  /** The request's channel, stage name and executor (the requests feature). */
  request(id: number): { channel: string; stageName: string; assigneeId: number | null; assigneeName: string | null } | null;
  holderName(accountNumber: string, tenantId: number): string | null;
  needsApproval(tenantId: number): boolean;
  tenantExists(id: number): boolean;
  /** Documents' PDFs: made and stored as the request's attachments, read back to send, signed links. */
  documents: ReplyDocuments;
}) {
  const repo = new ReplyRepository(o.db);
  const notifier = new SocketReplyNotifier(o.clock);
  const service = new ReplyService({
    repo, clock: o.clock, logger: o.logger, timeZone: o.timeZone, notify: notifier, needsApproval: o.needsApproval,
    facts: (id) => {
      const ticket = o.tickets.get(id);
      const x = ticket ? o.request(id) : null;
      if (!ticket || !x) return null;
      return { ticket, channel: x.channel, stageName: x.stageName, assigneeId: x.assigneeId, assigneeName: x.assigneeName, holderName: ticket.accountNumber ? o.holderName(ticket.accountNumber, ticket.tenantId) : null };
    },
    sender: (channel) => (isChannel(channel) ? o.registry.sender(channel) : null),
    threadKey: (id) => o.intake.threads(id)[0]?.key ?? null,
    statusLink: (id) => o.intake.newStatusLink(id).statusUrl,
    outMessage: (id, channel, body, author) => void o.intake.addMessage(id, { direction: 'out', channel, body, author }),
    documents: o.documents,
  });
  return {
    repo, service,
    routes: replyRoutes({ repo, replies: service, clock: o.clock, tenantExists: o.tenantExists }),
    connect(io: RealtimeServer) {
      notifier.io = io;
    },
  };
}
