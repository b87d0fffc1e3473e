// The Telegram channel, wired: one BotApi per configured company bot, the
// channel's sender registered for replies, polling started and stopped with Pult.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Db } from '../../store/db.js';
import type { ChannelIntake } from '../intake.js';
import type { FeedbackService } from '../feedback.js';
import type { ChannelRegistry } from '../registry.js';
import { BotApi } from './bot-api.js';
import { TelegramChannel } from './bot.js';
import { TelegramRepository } from './repository.js';

export function attachTelegram(o: {
  db: Db; clock: Clock; logger: Logger; intake: ChannelIntake; feedback: FeedbackService; registry: ChannelRegistry;
  bots: Map<number, string>; apiUrl: string; pollSec: number; allowPrivate: boolean; timeoutSec: number; maxPhotoBytes: number;
}): { channel: TelegramChannel; start(): void; stop(): Promise<void> } {
  const policy = { hosts: [new URL(o.apiUrl).hostname], allowPrivate: o.allowPrivate, timeoutMs: o.timeoutSec * 1000, maxBytes: 1024 * 1024 };
  const apis = new Map([...o.bots].map(([tenantId, token]) => [tenantId, new BotApi(o.apiUrl, token, policy)] as const));
  const channel = new TelegramChannel({ repo: new TelegramRepository(o.db), intake: o.intake, feedback: o.feedback, clock: o.clock, logger: o.logger, bots: apis, pollSec: o.pollSec, maxPhotoBytes: o.maxPhotoBytes });
  if (apis.size) o.registry.register(channel.sender);
  return { channel, start: () => channel.start(), stop: () => channel.stop() };
}
