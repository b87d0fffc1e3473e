// The contract between the cloud-PBX webhook adapters (itoolabs, mango,
// zadarma) and whatever stores and routes their calls. Each adapter's
// translate() turns one verified, parsed webhook into zero or more of these.
//
// Rules every adapter keeps:
// - `source` is `<vendor>:<account>` (e.g. `mango:<vpbx_api_key>`), so the
//   same call id at two vendors or two accounts never collides.
// - `externalId` is the vendor's id of the whole call (Mango entry_id,
//   Zadarma pbx_call_id, itoolabs callid), stable across its legs.
// - `at` is ISO 8601 UTC. Where the vendor sends no time for an event, the
//   adapter uses the `receivedAt` its caller passes in.
// - Phone numbers go through normalizePhone; a withheld caller is null.
// - Vendors deliver at least once and some events re-assert earlier facts
//   (every inbound leg re-states `call.incoming`): consumers must drop events
//   whose eventKey they have already seen.
// - Inbound calls only for now: outbound / internal calls translate to [].
import { createHash } from 'node:crypto';

export interface AgentRef { pbxLogin?: string; extension?: string; number?: string }

export type CallResult = 'answered' | 'missed' | 'busy' | 'failed';

export type ExternalCallEvent =
  | { kind: 'call.incoming'; source: string; externalId: string; caller: string | null; did: string | null; at: string }
  | { kind: 'call.ringing'; source: string; externalId: string; at: string; agent: AgentRef }
  | { kind: 'call.answered'; source: string; externalId: string; at: string; agent: AgentRef }
  | { kind: 'call.ended'; source: string; externalId: string; at: string; result: CallResult; durationSec: number | null }
  | { kind: 'call.transferred'; source: string; externalId: string; at: string; to: AgentRef }
  | { kind: 'call.recording'; source: string; externalId: string; at: string; recording: { url?: string; vendorRecordingId?: string } };

export type ExternalCallEventKind = ExternalCallEvent['kind'];

/** Options every translate() takes. */
export interface TranslateOptions {
  /** The account part of `source`: Mango vpbx_api_key, the itoolabs PBX domain, the Zadarma API key. */
  account: string;
  /** When the webhook arrived (ISO UTC); used only for events the vendor sends without a time. */
  receivedAt: string;
}

/** A stable text for an agent reference: the same agent always gives the same text. */
export function agentKey(a: AgentRef): string {
  return [a.pbxLogin ?? '', a.extension ?? '', a.number ?? ''].join('/');
}

/**
 * The idempotency key of an event: source, call, kind and what makes the
 * event distinct within the call (the agent rung or answering, the transfer
 * target, the recording). Deliberately NOT `at`: some vendors send no event
 * time, so `at` can be the receive time and differ between two deliveries of
 * the same webhook. Consequence: a second ring of the same agent within one
 * call has the same key as the first (harmless: the agent is rung again, the
 * call record does not change). The same webhook delivered twice always gives
 * the same key. 64 hex characters, safe for any unique column.
 */
export function eventKey(e: ExternalCallEvent): string {
  let discriminator: string;
  switch (e.kind) {
    case 'call.incoming':
    case 'call.ended':
      discriminator = '';
      break;
    case 'call.ringing':
    case 'call.answered':
      discriminator = agentKey(e.agent);
      break;
    case 'call.transferred':
      discriminator = agentKey(e.to);
      break;
    case 'call.recording':
      discriminator = e.recording.vendorRecordingId ?? e.recording.url ?? '';
      break;
  }
  return createHash('sha256').update(JSON.stringify([e.source, e.externalId, e.kind, discriminator])).digest('hex');
}

/** Drops events whose key was already seen in the list (first one wins). */
export function dedupeEvents(events: readonly ExternalCallEvent[]): ExternalCallEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const k = eventKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
