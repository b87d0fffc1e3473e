// Abuse limits of the public web form: accepted requests per client address
// and per building an hour, building searches per client address a minute
// (rate-limiter-flexible in memory, like the login throttle).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../../http/errors.js';

export interface WebFormLimitOptions { perIpHour: number; perAddressHour: number; searchPerIpMin: number }

export class WebFormLimits {
  private readonly byIp: RateLimiterMemory;
  private readonly byBuilding: RateLimiterMemory;
  private readonly search: RateLimiterMemory;

  constructor(o: WebFormLimitOptions) {
    this.byIp = new RateLimiterMemory({ keyPrefix: 'web-form-ip', points: o.perIpHour, duration: 3600 });
    this.byBuilding = new RateLimiterMemory({ keyPrefix: 'web-form-building', points: o.perAddressHour, duration: 3600 });
    this.search = new RateLimiterMemory({ keyPrefix: 'web-search-ip', points: o.searchPerIpMin, duration: 60 });
  }

  /** Counts one request from this address for this building; 429 with Retry-After seconds past either limit. */
  async submit(ip: string, buildingId: number): Promise<void> {
    await take(this.byIp, ip, 'too many requests from your address: try again later or call the dispatch room');
    try {
      await take(this.byBuilding, String(buildingId), 'too many requests for this address: the dispatchers already know, or call them');
    } catch (err) {
      // Refused for the address: that attempt does not use up the client's own allowance.
      await this.byIp.reward(ip, 1);
      throw err;
    }
  }

  async searched(ip: string): Promise<void> {
    await take(this.search, ip, 'too many searches: wait a minute');
  }
}

async function take(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const retryAfterSec = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new ApiError(429, 'rate_limited', message, { retryAfterSec });
  }
}
