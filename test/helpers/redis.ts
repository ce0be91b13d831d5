/**
 * Redis for tests: connections opened through the production factory, unique key names per test, and
 * cleanup of everything under a test's prefix. Suites guard themselves with requireService('redis').
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Interaction } from '../../ml/types.ts';
import { createLogger } from '../../server/logger.ts';
import { closeRedis, openRedis, whenReady } from '../../server/realtime/redis-connection.ts';

export const quietLog = createLogger({ logLevel: 'silent' });

export async function openTestRedis(url: string, role = 'test'): Promise<Redis> {
  const redis = openRedis(url, { role, log: quietLog });
  if (!(await whenReady(redis, 5_000))) throw new Error(`redis at ${url} is not ready`);
  return redis;
}

/** A key prefix no other test (or concurrent run) uses. */
export const uniqueName = (what: string): string => `chorus:test:${what}:${randomUUID().slice(0, 8)}`;

/** Deletes every key starting with `prefix`, then closes the connection. */
export async function dropKeysAndClose(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await closeRedis(redis);
}

/** Polls until predicate() is truthy; fails after the deadline. Never a fixed sleep. */
export async function until<T>(predicate: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const interaction = (id: string, extra: Partial<Interaction> = {}): Interaction => ({
  id,
  userId: 'u1',
  roomId: 'r1',
  trackId: 't1',
  type: 'like',
  context: { hour: 12, weekday: 3 },
  createdAt: 1_700_000_000_000,
  ...extra,
});
