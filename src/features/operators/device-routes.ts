// An operator's extension and device, changed by an admin: a browser
// softphone, or a desk phone with its own SIP account (registering, or at a
// fixed contact). Audited (never the SIP password); a taken extension is a
// 409; an operator ringing or on a call keeps their device until the call
// ends (409). After the commit the PBX gets the endpoint through ARI dynamic
// configuration at once (the old extension's endpoint removed); if the PBX
// is down, the next resync pushes it.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import type { Logger } from '../../log.js';
import type { PbxPort } from '../../telephony/ports.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { AuditLog } from '../audit/repository.js';
import type { Operator, OperatorService } from './service.js';

export const deviceBody = z.object({
  extension: z.string().regex(/^\d{3,6}$/, 'extension must be 3 to 6 digits'),
  deviceKind: z.enum(['webrtc', 'sip']),
  /** A desk phone at a fixed address that does not register; null: it registers with its SIP account. */
  staticContact: z.string().regex(/^sips?:[^\s]+$/, 'a SIP URI like sip:1001@192.0.2.10:5060').max(200).nullable(),
  /** A new SIP password for the device (shown once in the answer). */
  resetSipPassword: z.literal(true),
}).partial().strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .refine((b) => !(b.deviceKind === 'webrtc' && b.staticContact), { message: 'a browser softphone has no fixed contact', path: ['staticContact'] });

const device = (o: Operator) => ({ extension: o.extension, deviceKind: o.deviceKind, staticContact: o.staticContact });

export function operatorDeviceRoutes(operators: OperatorService, pbx: PbxPort, logger: Logger, sip: { domain: string }, audit: AuditLog): Router {
  const r = Router();
  r.patch('/api/operators/:userId', requireRole('admin'), async (req, res) => {
    const userId = parse(z.coerce.number().int().positive(), req.params.userId, 'userId');
    const before = operators.get(userId);
    if (!before) throw notFound('operator');
    const b = parse(deviceBody, req.body);
    if (b.extension !== undefined && b.extension !== before.extension && operators.list().some((o) => o.extension === b.extension)) throw taken(b.extension);
    if (before.activity === 'ringing' || before.activity === 'oncall') throw new ApiError(409, 'operator_busy', 'the operator is on a call: change the device when the call ends');
    let after: Operator;
    try {
      after = operators.updateDevice(userId, b, (was, now) => {
        audit.record({ userId: currentUser(req).id, action: 'update', entity: 'user', entityId: userId, tenantId: now.tenantIds[0] ?? null, before: device(was), after: { ...device(now), ...(b.resetSipPassword ? { sipAccountRenewed: true } : {}) } });
      });
    } catch (err) {
      if (uniqueViolation(err)) throw taken(b.extension ?? '');
      throw err;
    }
    // After the commit: the PBX learns the device at once; if it is not connected, the next resync pushes it.
    let provisioned = false;
    if (pbx.connected) {
      try {
        if (after.extension !== before.extension) await pbx.deleteEndpoint(before.extension);
        const spec = operators.endpointSpecs().find((s) => s.id === after.extension);
        if (spec) await pbx.upsertEndpoint(spec);
        provisioned = true;
      } catch (err) {
        logger.warn('could not push the operator\'s device now; it will be pushed on the next resync', { extension: after.extension, err });
      }
    }
    // A desk phone needs its SIP account programmed: shown to the admin when it is new.
    const creds = operators.sipCredentials(userId)!;
    const newAccount = after.deviceKind === 'sip' && after.staticContact === null && (b.resetSipPassword || before.deviceKind !== 'sip' || after.extension !== before.extension);
    res.json({ operator: after, provisioned, sipAccount: newAccount ? { username: creds.extension, password: creds.password, domain: sip.domain } : null });
  });
  return r;
}

const taken = (extension: string) => new ApiError(409, 'conflict', `extension ${extension} is taken`, [{ field: 'extension', problem: 'taken' }]);
