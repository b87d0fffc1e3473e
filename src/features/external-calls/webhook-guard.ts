// Limits on webhook traffic (anyone on the network can post to /hooks):
// accepted deliveries per account and per source address per second, and
// refused ones (unknown account, bad credentials, stale) per source address
// per minute. Over a limit → 429, and nothing is stored.
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface WebhookLimits {
  perAccountPerSec: number;
  perIpPerSec: number;
  failedPerIpPerMin: number;
}

export class WebhookGuard {
  private readonly account: RateLimiterMemory;
  private readonly ip: RateLimiterMemory;
  private readonly failed: RateLimiterMemory;

  constructor(private readonly limits: WebhookLimits) {
    this.account = new RateLimiterMemory({ keyPrefix: 'hook-account', points: limits.perAccountPerSec, duration: 1 });
    this.ip = new RateLimiterMemory({ keyPrefix: 'hook-ip', points: limits.perIpPerSec, duration: 1 });
    this.failed = new RateLimiterMemory({ keyPrefix: 'hook-failed', points: limits.failedPerIpPerMin, duration: 60 });
  }

  /** False when this address is over its limit of requests or of refused attempts. */
  async admitAddress(ip: string): Promise<boolean> {
    const failed = await this.failed.get(ip);
    if (failed && failed.consumedPoints >= this.limits.failedPerIpPerMin) return false;
    return this.take(this.ip, ip);
  }

  /** False when this account is over its limit. */
  admitAccount(key: string): Promise<boolean> {
    return this.take(this.account, key);
  }

  /** Counts a refused attempt (unknown account, bad credentials, stale delivery) against the address. */
  async refused(ip: string): Promise<void> {
    await this.failed.penalty(ip, 1);
  }

  private async take(limiter: RateLimiterMemory, key: string): Promise<boolean> {
    try {
      await limiter.consume(key);
      return true;
    } catch (err) {
      if (err instanceof Error) throw err; // a limiter fault, not a limit
      return false;
    }
  }
}
