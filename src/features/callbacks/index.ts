// Callbacks as a workflow (issue 15, item 4) and outbound calls placed by
// Pult (item 5): wiring for the composition root.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { RecordingService } from '../recordings/service.js';
import type { CallRouter } from '../routing/router.js';
import { CallbackRepository, isCallable } from './repository.js';
import { OutboundCalls } from './outbound-call.js';
import { CallbackScheduler } from './scheduler.js';
import { callbackRoutes, type CloudDial } from './routes.js';
import { attachDialIn } from './dial-in.js';
import type { OutboundRouter } from '../trunks/index.js';

export { CallbackRepository, OutboundCalls, CallbackScheduler };

export interface CallbackOptions {
  trunkEndpoint: string;
  /** The trunk and caller id of a line's outbound calls (absent: trunkEndpoint and the line's first number). */
  route?: OutboundRouter;
  /** Pult dials open tasks itself (false: people do, from the list). */
  auto: boolean;
  urgentSec: number;
  numberRingSec?: number;
  tickMs?: number;
}

export function attachCallbacks(d: {
  db: Db; pbx: PbxPort; router: CallRouter; calls: CallRepository; lines: LineRepository; operators: OperatorService;
  recordings: RecordingService; events: CallEvents; clock: Clock; logger: Logger; cloud?: CloudDial | null;
}, o: CallbackOptions) {
  const callbacks = new CallbackRepository(d.db);
  const outbound = new OutboundCalls({ ...d, callbacks, opts: { trunkEndpoint: o.trunkEndpoint, route: o.route, numberRingSec: o.numberRingSec ?? 30 } });
  const scheduler = new CallbackScheduler({ ...d, callbacks, outbound }, { urgentSec: o.urgentSec, tickMs: o.tickMs });
  // A caller who calls in and is answered closes their own open tasks.
  d.events.on('call.answered', (e) => {
    const call = d.calls.get(e.callId);
    if (!call || call.direction !== 'inbound' || !isCallable(call.callerNumber)) return;
    const tenantId = call.lineId ? (d.lines.get(call.lineId)?.tenantId ?? null) : null;
    const closed = callbacks.closeCalledIn(call.callerNumber, tenantId, e.at);
    if (closed.length) d.logger.info('callback tasks closed: the caller called in', { callId: call.id, tasks: closed });
  });
  // Calls people dial from their own phones (the console's dial pad).
  attachDialIn({ ...d, outbound });
  if (o.auto) scheduler.start();
  return {
    callbacks, outbound, scheduler,
    routes: callbackRoutes({ callbacks, outbound, router: d.router, pbx: d.pbx, lines: d.lines, operators: d.operators, cloud: d.cloud ?? null }),
    resync: () => outbound.resync(),
    stop: () => scheduler.stop(),
  };
}
