// Login endpoint protection: failed logins are counted per login and per
// client address. Past the limit, every further failure blocks that key for
// a doubling wait (1 s, 2 s, 4 s… up to maxDelaySec). A blocked key is
// refused before the password is checked, so guessing runs at the speed the
// server allows, not at the speed of scrypt. A successful login clears the
// login's counter (not the address's: one good account must not launder an
// address that is guessing others).
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  failuresPerLogin: number;
  failuresPerAddress: number;
  windowSec: number;
  maxDelaySec: number;
}

export class LoginThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly blocks: RateLimiterMemory;

  constructor(private readonly o: LoginThrottleOptions) {
    // Counts only; never refuses by itself (points far above any limit).
    this.failures = new RateLimiterMemory({ keyPrefix: 'login-fail', points: 1_000_000, duration: o.windowSec });
    // One point: a key that has been block()ed is refused until the block ends.
    this.blocks = new RateLimiterMemory({ keyPrefix: 'login-block', points: 1, duration: 1 });
  }

  /** Seconds the caller must wait before trying again, or 0 if it may try now. */
  async retryAfterSec(address: string, login: string): Promise<number> {
    let ms = 0;
    for (const key of keys(address, login)) {
      const res = await this.blocks.get(key);
      if (res && res.consumedPoints > 1 && res.msBeforeNext > 0) ms = Math.max(ms, res.msBeforeNext);
    }
    return Math.ceil(ms / 1000);
  }

  async failed(address: string, login: string): Promise<void> {
    const [byAddress, byLogin] = keys(address, login);
    await this.count(byAddress, this.o.failuresPerAddress);
    await this.count(byLogin, this.o.failuresPerLogin);
  }

  async succeeded(login: string): Promise<void> {
    const key = keys('', login)[1];
    await this.failures.delete(key);
    await this.blocks.delete(key);
  }

  private async count(key: string, limit: number): Promise<void> {
    const res = await this.failures.penalty(key, 1);
    const over = res.consumedPoints - limit;
    if (over < 0) return;
    const delaySec = Math.min(2 ** Math.min(over, 30), this.o.maxDelaySec);
    await this.blocks.block(key, delaySec);
  }
}

function keys(address: string, login: string): [string, string] {
  return [`addr:${address}`, `login:${login.toLowerCase()}`];
}
