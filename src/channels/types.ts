// The channels' one vocabulary: every adapter (web form, e-mail, messenger…)
// translates what it receives into an InboundRequest, the way PBX vendors
// translate into call events; the core (intake.ts) registers it.
import type { Channel } from '../features/requests/types.js';

/** A channel requests arrive by (each also a request's `channel` in src/features/requests/types.ts). */
export type ChannelName = Extract<Channel, 'web' | 'email' | 'telegram'>;
export const channelNames = ['web', 'email', 'telegram'] as const satisfies readonly ChannelName[];

export interface InboundRequest {
  channel: ChannelName;
  tenantId: number;
  /** null/absent → the fallback category («Прочая плановая заявка»; the emergency one for kind 'emergency'). */
  categoryId?: number | null;
  /** Default: planned, unless the category is emergency-only. */
  kind?: 'emergency' | 'planned';
  description: string;
  buildingId?: number | null;
  flat?: string | null;
  /** Free text when there is no building (e-mail); with a building the building's address is used. */
  address?: string | null;
  accountId?: number | null;
  contact: { name?: string | null; phone?: string | null; email?: string | null };
  /** e.g. the e-mail's root Message-ID or a chat id: later messages on this thread join the request. */
  thread?: { key: string } | null;
  /** Checked by content (photos, PDF) and stored after the request is registered; see ChannelIntake.accept. */
  attachments?: { filename: string; bytes: Buffer }[];
}

export interface ReceivedRequest { ticketId: number; number: string; tenantId: number; statusToken: string; statusUrl: string }

export interface RequestMessage {
  id: number;
  ticketId: number;
  direction: 'in' | 'out';
  channel: ChannelName | 'console';
  body: string;
  author: string | null;
  createdAt: string;
}

/** A file sent with a message (a document's PDF). */
export interface OutgoingFile { filename: string; mime: string; bytes: Buffer }

/** An outgoing side of a channel (e-mail by SMTP, a messenger…): registered in the ChannelRegistry by its adapter. */
export interface ChannelSender {
  channel: ChannelName;
  /** Sends `text` (with `o.attachment`, a document, when given: an e-mail attachment, a messenger's document…). */
  send(to: { ticketId: number; threadKey: string | null; contact: InboundRequest['contact'] }, text: string, subject?: string, o?: { attachment?: OutgoingFile }): Promise<void>;
}

/** Who registered a channel's requests: the journal's «Зарегистрировал». */
export const channelUserNames: Record<ChannelName, string> = { web: 'Веб-форма', email: 'Эл. почта', telegram: 'Telegram' };
