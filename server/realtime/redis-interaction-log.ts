/**
 * The interaction log on a Redis Stream (the scale-out seam; MemoryInteractionLog is the default).
 *
 * publish(): one XADD per interaction in one MULTI (a batch is in the stream entirely or not at all).
 * A failure is AppError('UNAVAILABLE'); the records are in Postgres already, so the caller's outbox
 * replays them later and consumers drop the duplicates by interaction id.
 *
 * subscribe(): a consumer in a consumer group (StreamConsumer: at-least-once, idempotent by id, dead
 * consumers' entries reclaimed, poison entries dead-lettered after maxDeliveries). Consumers of one
 * group share the work; a different purpose (another learner kind) needs another group name.
 * Unlike the memory log, a failed batch is retried later rather than dropped.
 *
 * The command connection is the caller's (openRedis) and is not closed here; each consumer opens and
 * closes its own blocking connection.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Interaction } from '../../ml/types.ts';
import { AppError } from '../errors.ts';
import type { InteractionLog } from '../services/types.ts';
import { mapRedisError, redisCall } from './redis-connection.ts';
import { asCount, encodeInteraction, parseFlatRecords } from './redis-stream-codec.ts';
import { StreamConsumer, type BatchHandler, type ConsumerLog, type ConsumerSettings, type StreamLostHandler } from './redis-stream-consumer.ts';

export type { BatchHandler, DeliveryMeta } from './redis-stream-consumer.ts';

export interface RedisInteractionLogOptions {
  /** Command connection from openRedis(); owned by the caller. */
  redis: Redis;
  log: ConsumerLog;
  stream?: string;
  /** Default `<stream>:dead`. */
  deadLetterStream?: string;
  group?: string;
  /** Default `<hostname>:<pid>:<random>`; a second subscribe() on one instance appends `:2`, `:3`… */
  consumer?: string;
  /**
   * Approximate cap (MAXLEN ~) on the stream. Trimming drops the oldest entries whether or not a group
   * consumed them (Redis 7 cannot trim "acked only"), so the cap must exceed the largest backlog we
   * accept: 1,000,000 entries is ~3 h of learner outage at 100 interactions/s, roughly 300–400 MB of
   * Redis memory when full. Beyond it nothing is lost for good (Postgres holds every interaction), but
   * the learner must replay from there; consumers log trimmed pending entries as errors.
   */
  maxLen?: number;
  batchSize?: number;
  blockMs?: number;
  /** A pending entry idle this long is taken over by another consumer (its owner is presumed dead). */
  claimIdleMs?: number;
  claimIntervalMs?: number;
  maxDeliveries?: number;
  /**
   * How long an applied id is remembered (one ~100-byte key each: ~36 MB at 100 interactions/s for the
   * default hour). It must outlast reclaim races (claimIdleMs) and the Redis outages after which the
   * Postgres outbox replays publishes that may have landed already.
   */
  dedupeTtlS?: number;
  /** How long close() waits for a running handler before abandoning its entries (left pending). */
  closeTimeoutMs?: number;
  startId?: string;
}

export interface InteractionLogGroupInfo {
  name: string;
  consumers: number;
  /** Delivered to a consumer, not acked yet. */
  pending: number;
  /** Not delivered to the group yet; null when Redis cannot tell (after deletions). */
  lag: number | null;
}

export interface InteractionLogInfo {
  stream: string;
  length: number;
  deadLetters: number;
  groups: InteractionLogGroupInfo[];
}

export const DEFAULT_STREAM = 'chorus:interactions';
export const DEFAULT_GROUP = 'chorus-learners';

export class RedisInteractionLog implements InteractionLog {
  readonly kind = 'redis' as const;
  readonly stream: string;
  readonly group: string;
  private readonly redis: Redis;
  private readonly maxLen: number;
  private readonly settings: Omit<ConsumerSettings, 'consumer' | 'group' | 'dedupePrefix'>;
  private readonly consumerBase: string;
  private readonly consumers = new Set<StreamConsumer>();
  private subscriptions = 0;
  private closed = false;

  constructor(private readonly opts: RedisInteractionLogOptions) {
    this.redis = opts.redis;
    this.stream = opts.stream ?? DEFAULT_STREAM;
    this.group = opts.group ?? DEFAULT_GROUP;
    this.maxLen = opts.maxLen ?? 1_000_000;
    this.consumerBase = opts.consumer ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const claimIdleMs = opts.claimIdleMs ?? 30_000;
    this.settings = {
      stream: this.stream,
      deadLetterStream: opts.deadLetterStream ?? `${this.stream}:dead`,
      deadLetterMaxLen: 100_000,
      startId: opts.startId ?? '0',
      batchSize: opts.batchSize ?? 100,
      blockMs: opts.blockMs ?? 2_000,
      claimIdleMs,
      claimIntervalMs: opts.claimIntervalMs ?? Math.max(100, Math.floor(claimIdleMs / 3)),
      maxDeliveries: opts.maxDeliveries ?? 5,
      dedupeTtlS: opts.dedupeTtlS ?? 3600,
      closeTimeoutMs: opts.closeTimeoutMs ?? 5_000,
    };
  }

  async publish(records: readonly Interaction[]): Promise<void> {
    if (this.closed) throw new AppError('UNAVAILABLE', 'interaction log is closed');
    if (records.length === 0) return;
    const multi = this.redis.multi();
    for (const r of records) multi.xadd(this.stream, 'MAXLEN', '~', this.maxLen, '*', ...encodeInteraction(r));
    const results = await redisCall('publishing interactions', () => multi.exec());
    if (results === null) throw new AppError('UNAVAILABLE', 'publishing interactions: transaction aborted');
    for (const [err] of results) if (err) throw mapRedisError(err, 'publishing interactions');
  }

  /** Starts one consumer; `group` overrides the instance's group for this consumer. */
  subscribe(handler: BatchHandler, opts: { group?: string; consumer?: string; onLost?: StreamLostHandler } = {}): () => void {
    if (this.closed) throw new AppError('UNAVAILABLE', 'interaction log is closed');
    const n = ++this.subscriptions;
    const group = opts.group ?? this.group;
    const consumer = opts.consumer ?? (n === 1 ? this.consumerBase : `${this.consumerBase}:${n}`);
    const c = new StreamConsumer(
      this.redis,
      { ...this.settings, group, consumer, dedupePrefix: `${this.stream}:applied:${group}:` },
      handler,
      this.opts.log,
      opts.onLost,
    );
    this.consumers.add(c);
    c.start();
    return () => {
      if (!this.consumers.delete(c)) return;
      c.stop().catch((err: unknown) => this.opts.log.error({ err }, 'stopping interaction consumer failed'));
    };
  }

  /** Stream length, dead letters and per-group pending/lag, for /metrics. */
  async info(): Promise<InteractionLogInfo> {
    return redisCall('interaction log info', async () => {
      const [length, deadLetters] = await Promise.all([
        this.redis.xlen(this.stream),
        this.redis.xlen(this.settings.deadLetterStream),
      ]);
      let groups: InteractionLogGroupInfo[] = [];
      if (length > 0 || (await this.redis.exists(this.stream)) === 1) {
        const reply = await this.redis.xinfo('GROUPS', this.stream);
        groups = parseFlatRecords(reply).map((g) => ({
          name: String(g['name']),
          consumers: asCount(g['consumers']) ?? 0,
          pending: asCount(g['pending']) ?? 0,
          lag: asCount(g['lag']),
        }));
      }
      return { stream: this.stream, length, deadLetters, groups };
    });
  }

  /**
   * Entries this instance's group has not acked yet (pending + undelivered). Before the group exists
   * every entry counts, since a new group starts at the beginning of the stream.
   */
  async pending(): Promise<number> {
    const info = await this.info();
    const g = info.groups.find((x) => x.name === this.group);
    if (!g) return info.length;
    return g.pending + (g.lag ?? 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = [...this.consumers].map((c) => c.stop());
    this.consumers.clear();
    await Promise.all(stopping);
  }
}
