// The "callback" action: a waiting caller pressed 1 (wait-announcements.ts).
// They hear a short confirmation and we hang up; the callback task keeps
// their place in the queue (their arrival time).
import type { RoutingContext } from './context.js';
import { sayGoodbye } from './goodbye.js';

export function callerAskedForCallback(ctx: RoutingContext, callId: string, prompt: string[]): Promise<void> {
  return sayGoodbye(ctx, callId, 'the caller asked to be called back', { prompt, callback: 'caller-requested' });
}
