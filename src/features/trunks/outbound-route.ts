// Which trunk an outbound call leaves through and the number it shows: the
// line's trunk when it has one (else the PBX's default trunk from
// pjsip.conf), and the line's outbound caller id, else the trunk's.
import { trunkObjectId } from '../../telephony/ari/trunks.js';
import type { Line } from '../lines/repository.js';
import type { Trunk } from './repository.js';

export interface OutboundRoute {
  /** The PBX endpoint of the trunk (the `@trunk` of the dial string). */
  trunk: string;
  /** null: the caller's own default (e.g. the line's first DID). */
  callerId: string | null;
}

export type OutboundRouter = (lineId: number | null) => OutboundRoute;

export function outboundRouter(d: { line(id: number): Line | null; trunk(id: number): Trunk | null; defaultTrunk: string }): OutboundRouter {
  return (lineId) => {
    const line = lineId === null ? null : d.line(lineId);
    const trunk = line?.trunkId != null ? d.trunk(line.trunkId) : null;
    return { trunk: trunk ? trunkObjectId(trunk.id) : d.defaultTrunk, callerId: line?.outboundCallerId ?? trunk?.callerId ?? null };
  };
}
