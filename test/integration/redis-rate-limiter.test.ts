/**
 * The rate limiter on Redis: one budget across nodes, and a memory fallback (the insurance limiter)
 * that keeps limiting, without blocking or throwing, while Redis is unreachable.
 */
import net, { type AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/realtime/rate-limiter.ts';
import { closeRedis, openRedis } from '../../server/realtime/redis-connection.ts';
import { dropKeysAndClose, openTestRedis, quietLog, uniqueName } from '../helpers/redis.ts';
import { requireService } from '../helpers/services.ts';

const redis = requireService('redis');

describe.skipIf(!redis.url)('rate limiter on Redis', () => {
  let client: Redis;
  let prefix: string;
  beforeEach(async () => {
    client = await openTestRedis(redis.url ?? '');
    prefix = uniqueName('rl').replaceAll(':', '-');
  });
  afterEach(() => dropKeysAndClose(client, `chorus:rl:${prefix}`));

  it('two nodes share one budget per key, stored in Redis', async () => {
    const nodeA = createRateLimiter({ points: 3, durationS: 10, keyPrefix: prefix }, client);
    const nodeB = createRateLimiter({ points: 3, durationS: 10, keyPrefix: prefix }, client);
    expect(await nodeA.consume('guest-1', 2)).toBe(true);
    expect(await nodeB.consume('guest-1')).toBe(true);
    expect(await nodeB.consume('guest-1')).toBe(false);
    expect(await nodeA.consume('guest-2')).toBe(true); // budgets are per key
    expect(await client.get(`chorus:rl:${prefix}:guest-1`)).toBe('4');
  });

  it('reset forgets a key everywhere', async () => {
    const nodeA = createRateLimiter({ points: 1, durationS: 10, keyPrefix: prefix }, client);
    const nodeB = createRateLimiter({ points: 1, durationS: 10, keyPrefix: prefix }, client);
    expect(await nodeA.consume('k')).toBe(true);
    expect(await nodeB.consume('k')).toBe(false);
    await nodeA.reset('k');
    expect(await nodeB.consume('k')).toBe(true);
  });
});

describe('rate limiter with Redis unreachable', () => {
  it('falls back to a per-process memory budget at once: no throw, no wait, still limited', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const down = openRedis(`redis://127.0.0.1:${port}`, { role: 'test', log: quietLog });
    try {
      const limiter = createRateLimiter({ points: 2, durationS: 10, keyPrefix: 'offline' }, down);
      const started = Date.now();
      expect(await limiter.consume('k')).toBe(true);
      expect(await limiter.consume('k')).toBe(true);
      expect(await limiter.consume('k')).toBe(false);
      await expect(limiter.reset('k')).resolves.toBeUndefined();
      expect(await limiter.consume('k')).toBe(true);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await closeRedis(down);
    }
  });
});
