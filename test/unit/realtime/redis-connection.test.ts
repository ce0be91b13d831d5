/**
 * Failure behaviour of the Redis connection factory, without a real Redis: a server that never answers
 * (commands fail within 1 s) and a port nobody listens on (commands fail at once, one log line per
 * outage, no crash). All as AppError('UNAVAILABLE').
 */
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeRedis, mapRedisError, openRedis, redisCall, whenReady } from '../../../server/realtime/redis-connection.ts';
import { RedisInteractionLog } from '../../../server/realtime/redis-interaction-log.ts';
import { interaction, quietLog, until } from '../../helpers/redis.ts';
import type { Redis } from 'ioredis';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Speaks just enough RESP for ioredis to become ready (CLIENT …, INFO), then never answers again. */
async function stallingServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (buf) => {
      const lines = buf.toString().split('\r\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]?.startsWith('*')) continue;
        const name = (lines[i + 2] ?? '').toUpperCase();
        if (name === 'INFO') socket.write('$9\r\nloading:0\r\n');
        else if (name === 'CLIENT' || name === 'SELECT') socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function open(port: number, log = quietLog): Redis {
  const redis = openRedis(`redis://127.0.0.1:${port}`, { role: 'test', log });
  cleanups.push(() => closeRedis(redis));
  return redis;
}

describe('openRedis failure behaviour', () => {
  it('a command to a server that stopped answering fails within 1 s as UNAVAILABLE', async () => {
    const redis = open(await stallingServer());
    expect(await whenReady(redis, 2_000)).toBe(true);
    const started = Date.now();
    await expect(redisCall('reading', () => redis.get('k'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('an unreachable Redis fails commands at once, logs one warning per outage and crashes nothing', async () => {
    const warn = vi.fn();
    const redis = open(await closedPort(), { ...quietLog, warn, info: vi.fn() } as never);
    let attempts = 0;
    redis.on('reconnecting', () => attempts++);
    const started = Date.now();
    const err = await redisCall('writing', () => redis.set('k', 'v')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: 'writing: storage temporarily unavailable' });
    expect(Date.now() - started).toBeLessThan(200);
    await until(() => attempts >= 3, 'three reconnect attempts');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await whenReady(redis, 50)).toBe(false);
  });

  it('an interaction log over an unreachable Redis refuses publishes as UNAVAILABLE and closes cleanly', async () => {
    const redis = open(await closedPort());
    const log = new RedisInteractionLog({ redis, log: quietLog, stream: 'chorus:test:offline', blockMs: 100 });
    log.subscribe(() => undefined);
    await expect(log.publish([interaction('a')])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(log.close()).resolves.toBeUndefined();
  });

  it('leaves errors that are not about reachability alone', () => {
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(mapRedisError(wrongType, 'x')).toBe(wrongType);
    expect(mapRedisError(new Error('LOADING Redis is loading the dataset in memory'), 'x')).toMatchObject({ code: 'UNAVAILABLE' });
  });
});
