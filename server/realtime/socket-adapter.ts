/**
 * The socket.io adapter seam: in-memory by default (undefined → socket.io's own), the Redis Streams
 * adapter when a Redis client is given, so rooms span nodes and connection state recovery works across
 * them (sessions and missed packets live in the stream, not in one node's memory; `recs:updated` is
 * left out of what a recovered socket is replayed, as on a single node).
 *
 * Import lazily (only when REDIS_URL is set) so the embedded default loads no Redis code.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis, RedisOptions } from 'ioredis';
import { notReplayed } from './memory-adapter.ts';
import { duplicateRedis, type RedisLog } from './redis-connection.ts';

export interface SocketAdapterOptions {
  log: RedisLog;
  /** Stream (and pub/sub channel prefix); one per deployment sharing a Redis. */
  streamName?: string;
  /**
   * Approximate stream cap. Connection state recovery can only replay what is still in the stream, so
   * keep it above the broadcasts of one maxDisconnectionDuration across the whole cluster.
   */
  maxLen?: number;
}

const BLOCK_MS = 5_000;

/**
 * The adapter gets its own connection with different rules from our command connections:
 * - no commandTimeout: the adapter's XREAD BLOCKs for BLOCK_MS and would time out at 800 ms, leaving
 *   reads queued up behind each other on the connection. ioredis' blockingTimeout is the safety net
 *   for a silently dead socket instead.
 * - an offline queue: without one the adapter's read loop retries a rejected XREAD immediately, a
 *   promise loop that would starve the event loop for the whole outage. maxRetriesPerRequest 1 (from
 *   the base options) flushes that queue at every other reconnect attempt, so it stays bounded.
 * - resending what was in flight when the socket dropped: with no commandTimeout, a dropped command
 *   would never settle; a resent XREAD is harmless and a resent broadcast is deduplicated by clients
 *   through the room version.
 */
const ADAPTER_CONNECTION: RedisOptions = {
  commandTimeout: undefined,
  blockingTimeout: BLOCK_MS * 2,
  enableOfflineQueue: true,
  autoResendUnfulfilledCommands: true,
};

export type SocketAdapterFactory = ReturnType<typeof createAdapter>;

export function createSocketAdapter(redis: Redis | undefined, opts: SocketAdapterOptions): SocketAdapterFactory | undefined {
  if (!redis) return undefined;
  const client = duplicateRedis(redis, 'socket.io', opts.log, ADAPTER_CONNECTION);
  const streamName = opts.streamName ?? 'chorus:socket.io';
  const factory = createAdapter(client, {
    streamName,
    channelPrefix: streamName,
    sessionKeyPrefix: `${streamName}:session:`,
    maxLen: opts.maxLen ?? 10_000,
    blockTimeInMs: BLOCK_MS,
  });
  // The adapter closes its own reader connections when its last namespace closes (io.close());
  // the publishing connection is ours, so it follows the same moment.
  let open = 0;
  // A plain function, not an arrow: socket.io calls `new adapter(nsp)`, and a constructor returning an
  // object yields that object.
  return function chorusAdapter(nsp: Parameters<SocketAdapterFactory>[0]) {
    const adapter = factory(nsp);
    open++;
    // The stream holds every broadcast for recovery; a recovered socket is not replayed the ones that
    // are states rather than changes (recs:updated, memory-adapter.ts): it is sent the latest instead.
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      if (session) session.missedPackets = session.missedPackets.filter((p) => !notReplayed(p));
      return session;
    };
    const close = adapter.close.bind(adapter);
    adapter.close = () => {
      const result = close();
      if (--open === 0) client.disconnect();
      return result;
    };
    return adapter;
  };
}
