// The outgoing sides of the channels: each adapter that can answer a
// resident (e-mail by SMTP, a messenger…) registers its sender here; replies
// are sent through the sender of the request's channel.
import type { ChannelName, ChannelSender } from './types.js';

export class ChannelRegistry {
  private readonly senders = new Map<ChannelName, ChannelSender>();

  register(s: ChannelSender): void {
    this.senders.set(s.channel, s);
  }

  sender(channel: ChannelName): ChannelSender | null {
    return this.senders.get(channel) ?? null;
  }

  channels(): ChannelName[] {
    return [...this.senders.keys()];
  }
}
