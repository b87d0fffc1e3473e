// The channels, wired: the core (intake, registry of senders, feedback), the
// console's conversation routes and each channel adapter's public routes.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { TicketService } from '../features/tickets/service.js';
import type { TicketLifecycle } from '../features/tickets/routes.js';
import type { RequestService } from '../features/requests/service.js';
import type { RequestState } from '../features/requests/repository.js';
import { ChannelRepository } from './repository.js';
import { ChannelIntake, type ChannelFiles } from './intake.js';
import { ChannelRegistry } from './registry.js';
import { FeedbackService } from './feedback.js';
import { channelConsoleRoutes } from './routes.js';

export { ChannelIntake, ChannelRegistry, FeedbackService, ChannelRepository };
export type { ChannelName, InboundRequest, ReceivedRequest, RequestMessage, ChannelSender } from './types.js';

export function attachChannels(o: {
  db: Db; clock: Clock; logger: Logger; tickets: TicketService; lifecycle: TicketLifecycle; requests: RequestService;
  state: (id: number) => RequestState | null; publicUrl: string | null; files?: ChannelFiles;
}) {
  const repo = new ChannelRepository(o.db);
  const intake = new ChannelIntake({ repo, tickets: o.tickets, lifecycle: o.lifecycle, announce: (id) => o.requests.announce(id), clock: o.clock, logger: o.logger, publicUrl: o.publicUrl, files: o.files });
  const registry = new ChannelRegistry();
  const feedback = new FeedbackService({ repo, intake, reopen: (id, comment, by) => o.requests.reopen(id, comment, by), announce: (id) => o.requests.announce(id), clock: o.clock });
  return { repo, intake, registry, feedback, routes: channelConsoleRoutes({ intake, feedback, state: o.state }) };
}
