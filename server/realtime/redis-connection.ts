/**
 * The one place that opens ioredis connections, so every Redis seam fails the same way when Redis is
 * unreachable: a command fails within 1 s (commandTimeout 800 ms, or at once while disconnected), the
 * caller sees AppError('UNAVAILABLE'), nothing crashes, and the client reconnects on its own.
 *
 * Import this module lazily (only when REDIS_URL is set) so the embedded default loads no Redis driver.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** Below 1 s with room for the event-loop lag of a busy node. */
export const REDIS_COMMAND_TIMEOUT_MS = 800;
/** Reconnect backoff cap: a returning Redis is picked up within ~2 s. */
const RECONNECT_CAP_MS = 2_000;

export type RedisLog = Pick<Logger, 'warn' | 'info'>;

export interface OpenRedisOptions {
  /** Names the connection in logs and in Redis' CLIENT LIST (`chorus:<role>`). */
  role: string;
  log: RedisLog;
  /** Extra ioredis options, applied last (e.g. a longer commandTimeout for a blocking reader). */
  overrides?: RedisOptions;
}

/** Exponential backoff with jitter (so restarted nodes do not reconnect in lockstep), never giving up. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(RECONNECT_CAP_MS, 50 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + Math.random() / 2));
}

export function baseRedisOptions(role: string): RedisOptions {
  return {
    connectionName: `chorus:${role}`,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // Only matters when a connection enables its offline queue (the blocking readers, the socket.io
    // adapter): a queued command is flushed with an error at every second failed reconnect attempt,
    // so that queue is bounded in time (~2 reconnect periods) instead of growing through an outage.
    maxRetriesPerRequest: 1,
    // No offline queue on command connections: while Redis is away a command fails at once (the caller
    // answers UNAVAILABLE) instead of piling up in memory and running late, after its caller already
    // reported failure (a late XADD or room-state write would be a surprise side effect).
    enableOfflineQueue: false,
    // Same reason: a command in flight when the socket dropped is not run late; commandTimeout settles
    // its promise (a connection without commandTimeout must turn this back on, see socket-adapter.ts).
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    // After a failover the old primary answers READONLY: reconnect (and resend) to reach the new one.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
  };
}

/**
 * Logs a connection's trouble once per outage (ioredis emits 'error' on every failed reconnect, which
 * would flood the log) and its recovery once. Also guarantees an 'error' listener exists: without one
 * an unreachable Redis would crash the process with an unhandled 'error' event.
 */
export function watchRedis(client: Redis, role: string, log: RedisLog): Redis {
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err, role }, 'redis unreachable; commands fail with UNAVAILABLE until it returns');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ role }, 'redis connection restored');
  });
  return client;
}

/** Opens (connects in the background) one Redis connection with Chorus' failure behaviour. */
export function openRedis(url: string, opts: OpenRedisOptions): Redis {
  const client = new Redis(url, { ...baseRedisOptions(opts.role), ...opts.overrides });
  return watchRedis(client, opts.role, opts.log);
}

/** A second connection to the same server (for blocking reads or pub/sub), watched the same way. */
export function duplicateRedis(client: Redis, role: string, log: RedisLog, overrides: RedisOptions = {}): Redis {
  return watchRedis(client.duplicate({ connectionName: `chorus:${role}`, ...overrides }), role, log);
}

/**
 * Resolves true once the connection is ready, false after `timeoutMs`. Start-up should await this:
 * without an offline queue, commands sent before 'ready' fail. False is not fatal: the node starts
 * degraded and the connection keeps retrying.
 */
export function whenReady(client: Redis, timeoutMs = 5_000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/** QUIT politely, but never wait on an unreachable server: disconnect after a short grace. */
export async function closeRedis(client: Redis, graceMs = 500): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([client.quit().then(() => undefined, () => undefined), grace]);
  clearTimeout(timer);
  client.disconnect();
}

const UNAVAILABLE_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
];
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Server replies that mean "not now" rather than "wrong command" (OOM: a full Redis under noeviction). */
const UNAVAILABLE_REPLIES = ['LOADING', 'READONLY', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'BUSY ', 'OOM'];

/** True for errors that mean Redis cannot be reached right now (as opposed to a bug in the command). */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const msg = err.message;
  return UNAVAILABLE_MESSAGES.some((m) => msg.includes(m)) || UNAVAILABLE_REPLIES.some((p) => msg.startsWith(p));
}

/** Connection trouble → AppError('UNAVAILABLE') with the cause kept; anything else passes through. */
export function mapRedisError(err: unknown, what: string): unknown {
  if (isAppError(err) || !isRedisUnavailable(err)) return err;
  return new AppError('UNAVAILABLE', `${what}: storage temporarily unavailable`, { cause: err });
}

/** Runs one Redis operation and maps connection trouble to UNAVAILABLE. */
export async function redisCall<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw mapRedisError(err, what);
  }
}
