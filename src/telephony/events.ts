// The normalised call-event vocabulary. Every PBX adapter's calls end up
// here; screen pop, wallboard and storage listen to these and nothing else.
import { EventEmitter } from 'node:events';

export interface CallEventMap {
  'call.arrived': [{ callId: string; lineId: number | null; did: string; caller: string; at: string }];
  'call.offered': [{ callId: string; kind: 'operator' | 'mobile'; userId: number | null; target: string; at: string }];
  'call.offerEnded': [{ callId: string; kind: 'operator' | 'mobile'; userId: number | null; result: string; at: string }];
  'call.overflowed': [{ callId: string; reason: string; at: string }];
  'call.answered': [{ callId: string; userId: number | null; via: 'console' | 'mobile'; at: string }];
  'call.ended': [{ callId: string; outcome: string; reason: string; at: string }];
  'callback.created': [{ callId: string; caller: string; reason: string; at: string }];
  'recording.ready': [{ callId: string; durationSec: number; at: string }];
  'recording.failed': [{ callId: string; error: string; at: string }];
}

export class CallEvents extends EventEmitter<CallEventMap> {}
