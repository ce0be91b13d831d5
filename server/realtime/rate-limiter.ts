/**
 * Rate limiting seam over rate-limiter-flexible: memory now; a Redis store (RateLimiterRedis, same
 * library and options) plugs in here when REDIS_URL is set, so limits hold across nodes.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimiter {
  /** Takes `points` from `key`'s budget; false when the budget for this window is spent. */
  consume(key: string, points?: number): Promise<boolean>;
  /** Forget a key (e.g. a disconnected socket) so memory does not grow with churn. */
  reset(key: string): Promise<void>;
}

export interface RateLimiterOptions {
  points: number;
  durationS: number;
  keyPrefix?: string;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const limiter = new RateLimiterMemory({
    points: opts.points,
    duration: opts.durationS,
    keyPrefix: opts.keyPrefix ?? 'chorus',
  });
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return true;
      } catch (e) {
        // The library rejects with a RateLimiterRes when the budget is spent, an Error when the store fails.
        if (e instanceof RateLimiterRes) return false;
        throw e;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
