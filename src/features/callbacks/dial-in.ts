// Calls people place themselves: the console's dial pad (sip.js INVITE) or a
// desk phone dialling an outside number. The dialplan hands such a channel to
// Pult as ['dial', <endpoint>, <number>, <line id or empty>] (dialplan/
// extensions.conf, [operators]); the endpoint is the authenticated PJSIP
// endpoint, i.e. the operator's extension. Pult checks who may dial what,
// from which line (the line's number is the caller ID), then dials the
// number over the trunk, records and logs it like click-to-call.
import { checkDialNumber } from '../../domain/dialling.js';
import type { Logger } from '../../log.js';
import type { PbxChannel, PbxPort } from '../../telephony/ports.js';
import type { Line, LineRepository } from '../lines/repository.js';
import type { Operator, OperatorService } from '../operators/service.js';
import type { CallRouter } from '../routing/router.js';
import type { OutboundCalls } from './outbound-call.js';

export type DialPlan = { ok: true; number: string; line: Line } | { ok: false; status: 400 | 404 | 409; field: 'number' | 'lineId' | null; problem: string };

/**
 * May this operator dial `raw` from `lineId` (or their first line)? Only
 * lines of the operator's own companies; the number must be an outside number.
 */
export function planDial(op: Operator | null, lines: LineRepository, raw: string, lineId: number | null): DialPlan {
  if (!op) return { ok: false, status: 409, field: null, problem: 'you have no operator phone' };
  const checked = checkDialNumber(raw);
  if (!checked.ok) return { ok: false, status: 400, field: 'number', problem: checked.problem };
  const mine = lines.list().filter((l) => l.tenantId !== null && op.tenantIds.includes(l.tenantId));
  // Another company's line is as unknown as a missing one.
  const line = lineId === null ? mine[0] : mine.find((l) => l.id === lineId);
  if (!line) return lineId === null ? { ok: false, status: 409, field: null, problem: 'you answer no company line to call from' } : { ok: false, status: 404, field: 'lineId', problem: `line ${lineId} not found` };
  return { ok: true, number: checked.number, line };
}

export function attachDialIn(d: { router: CallRouter; pbx: PbxPort; lines: LineRepository; operators: OperatorService; outbound: OutboundCalls; logger: Logger }): void {
  const refuse = (channel: PbxChannel, why: string, reason: 'busy' | 'congestion' = 'congestion') => {
    d.logger.warn('a call dialled from an operator phone was refused', { channelId: channel.id, why });
    return d.pbx.hangup(channel.id, reason);
  };
  d.router.registerChannelOwner('dial', {
    entered: async (channel, args) => {
      const [endpoint = '', raw = '', lineArg = ''] = args;
      const op = d.operators.list().find((o) => o.extension === endpoint) ?? null;
      const lineId = /^\d{1,9}$/.test(lineArg) ? Number(lineArg) : null;
      const plan = planDial(op, d.lines, raw, lineId);
      if (!plan.ok) return refuse(channel, `${endpoint}: ${plan.problem}`);
      const r = d.outbound.startFromPhone({ leg: channel.id, userId: op!.userId, number: plan.number, line: plan.line });
      if ('problem' in r) return refuse(channel, `${endpoint}: ${r.problem}`, 'busy');
    },
  });
}
