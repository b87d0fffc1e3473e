// Reconnect delays for PBX connections: exponential from `minMs`, capped at
// `maxMs`, with ±20 % jitter so many clients do not retry in step. Forever.
export function backoffDelay(attempt: number, minMs = 500, maxMs = 15_000): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 10)) * (0.8 + Math.random() * 0.4);
}
