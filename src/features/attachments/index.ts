// The attachments feature, wired: storage directory, signed links, service, routes.
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import { AttachmentStore } from './files.js';
import { AttachmentLinks } from './links.js';
import { AttachmentRepository } from './repository.js';
import { attachmentRoutes, signedAttachmentRoutes } from './routes.js';
import { AttachmentService, type AttachmentNote, type AttachmentView } from './service.js';

export { AttachmentService, type AttachmentView };
export { inspect, isRefusal } from './files.js';

export function attachAttachments(o: { db: Db; clock: Clock; dir: string; maxBytes: number; secret: Buffer; ttlSec: number; note?: AttachmentNote }) {
  const links = new AttachmentLinks(o.secret, o.ttlSec, o.clock);
  const service = new AttachmentService(new AttachmentRepository(o.db), new AttachmentStore(o.dir), links, o.clock, o.note);
  return { service, publicRoutes: signedAttachmentRoutes(service, links), routes: attachmentRoutes(service, o.maxBytes) };
}
