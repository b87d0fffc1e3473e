// The executor's phone page (/x/), wired: repository, idempotency keys,
// service, routes. The page itself is agent-ui/x/.
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import type { AttachmentService } from '../attachments/index.js';
import { ExecutorAppRepository } from './repository.js';
import { Idempotency } from './idempotency.js';
import { ExecutorAppService, type ExecutorAppDeps } from './service.js';
import { executorAppRoutes } from './routes.js';

export { ExecutorAppService, Idempotency, ExecutorAppRepository };

export function attachExecutorApp(o: Omit<ExecutorAppDeps, 'attachments'> & { db: Db; clock: Clock; attachments: AttachmentService; maxBytes: number }) {
  const repo = new ExecutorAppRepository(o.db);
  const idempotency = new Idempotency(repo, o.clock);
  const service = new ExecutorAppService(repo, { requests: o.requests, attachments: (id) => o.attachments.list(id), recordingUrl: o.recordingUrl, remindEveryMin: o.remindEveryMin }, o.clock);
  return { repo, service, idempotency, routes: executorAppRoutes({ service, idempotency, attachments: o.attachments, maxBytes: o.maxBytes }) };
}
