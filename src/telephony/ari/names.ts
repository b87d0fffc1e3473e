// The names Pult gives to things on Asterisk: channel ids of the legs it
// dials, bridges, recordings, playbacks, and the channel variables a leg
// carries. The only place these schemes are written; routing, callbacks and
// resync ask for them by meaning.

/** The bridge that joins a call's caller and whoever answered it. */
export const bridgeName = (callId: string) => `${callId}-b`;

/** The call's recording (stored by Asterisk under this name). */
export const recordingName = (callId: string) => `pult-${callId}`;

/** The n-th offer leg of an inbound call to an operator's phone (n from 1). */
export const operatorLegId = (callId: string, n: number) => `${callId}-o${n}`;

/** The n-th offer leg of an inbound call to an overflow mobile. */
export const mobileLegId = (callId: string, n: number) => `${callId}-m${n}`;

/** The n-th leg of a blind transfer. */
export const transferLegId = (callId: string, n: number) => `${callId}-t${n}`;

/** An outbound call (callback, click-to-call): the operator's leg rung first, then the number's. */
export const outboundOperatorLeg = (callId: string) => `${callId}-o1`;
export const outboundNumberLeg = (callId: string) => `${callId}-p1`;

/** Which outbound leg a channel id is, if it is one. */
export function outboundLegOf(channelId: string): { callId: string; role: 'operator' | 'number' } | null {
  if (channelId.endsWith('-o1')) return { callId: channelId.slice(0, -3), role: 'operator' };
  if (channelId.endsWith('-p1')) return { callId: channelId.slice(0, -3), role: 'number' };
  return null;
}

/** The call an operator or mobile leg (…-oN, …-mN) was dialled for. */
export function callIdOfOfferLeg(channelId: string): string | null {
  return /^([0-9a-f-]{36})-[om]\d+$/.exec(channelId)?.[1] ?? null;
}

/** The call a bridge (…-b) belongs to. */
export function callIdOfBridge(bridgeId: string): string | null {
  return /^([0-9a-f-]{36})-b$/.exec(bridgeId)?.[1] ?? null;
}

/** The goodbye prompt played to a caller nobody could take. */
export const goodbyePlaybackId = (callId: string) => `${callId}-bye`;

/** The n-th wait announcement played to a queued caller. */
export const announcementPlaybackId = (callId: string, n: number) => `${callId}-ann${n}`;

/** The entry menu's prompt, n-th try. */
export const entryMenuPlaybackId = (channelId: string, n: number) => `${channelId}-menu${n}`;

/**
 * Channel variables a dialled leg carries: the call id for the dialplan, and
 * (to a softphone) a SIP header the console matches the ringing call to its card by.
 */
export function legVariables(callId: string, o: { sipHeader: boolean }): Record<string, string> {
  return o.sipHeader ? { PULT_CALL_ID: callId, 'PJSIP_HEADER(add,X-Pult-Call-Id)': callId } : { PULT_CALL_ID: callId };
}
