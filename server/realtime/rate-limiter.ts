/**
 * Rate limiting seam over rate-limiter-flexible: memory by default; with a Redis client the same library
 * and options on RateLimiterRedis, so a budget holds across nodes (a client reconnecting to another node
 * keeps its spent points).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

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

/**
 * `redis` (a command connection from openRedis) selects RateLimiterRedis. Its insurance limiter is a
 * per-process memory limiter with the same budget: while Redis is unreachable every check falls through
 * to it at once (rejectIfRedisNotReady, no offline queue), so an outage neither blocks nor crashes event
 * handling and abuse is still throttled, per node instead of cluster-wide. Failing open (no limit) would
 * invite abuse exactly when the system is weakest; failing closed would turn a Redis outage into a full
 * outage of socket commands. Per-socket keys live on one node anyway, so for them nothing is lost.
 */
export function createRateLimiter(opts: RateLimiterOptions, redis?: Redis): RateLimiter {
  const memory = new RateLimiterMemory({
    points: opts.points,
    duration: opts.durationS,
    keyPrefix: opts.keyPrefix ?? 'chorus',
  });
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis,
        points: opts.points,
        duration: opts.durationS,
        keyPrefix: `chorus:rl:${opts.keyPrefix ?? 'default'}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
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
