/**
 * One consumer of the interaction stream inside a consumer group: the at-least-once loop.
 *
 *   read new entries (XREADGROUP BLOCK, own connection) → skip ids applied already → handler → mark ids
 *   applied + XACK (one MULTI).  Every claimIntervalMs: XAUTOCLAIM entries idle ≥ claimIdleMs (a dead
 *   consumer's, or our own failed ones) and retry them one entry per handler call, so a poison entry
 *   cannot drag its batch-mates to the dead-letter stream with it.
 *
 * Delivery limit: an entry whose handler call fails on its maxDeliveries-th delivery, or that comes back
 * with more deliveries than that (its consumers kept dying on it), is copied to the dead-letter stream
 * with the reason and its stream id, and acked.
 *
 * Where exactly-once holds and where it cannot:
 * - A crash after the MULTI (mark + ack) loses nothing and repeats nothing: the entry is gone.
 * - A redelivery of an id already marked (the same interaction published twice — e.g. the Postgres
 *   outbox replays a publish whose reply was lost — or two consumers racing on a reclaimed entry whose
 *   first consumer was slow rather than dead) is acked without calling the handler, for dedupeTtlS.
 * - A crash between the handler resolving and the MULTI redelivers the batch and applies it again:
 *   Redis cannot commit the learner's in-memory state and the ack together. The learner closes that gap
 *   by recording the last applied stream id / interaction ids in its model snapshot (Postgres) and
 *   skipping them after a restore; models tolerate the rare double update otherwise (test-then-train).
 */
import type { Redis } from 'ioredis';
import type { Interaction } from '../../ml/types.ts';
import type { Logger } from '../logger.ts';
import { duplicateRedis } from './redis-connection.ts';
import { decodeEntry, parseAutoClaim, parseReadGroup, type RawEntry } from './redis-stream-codec.ts';
import {
  deadLetter, deliveryCounts, forgetConsumerIfIdle, markAndAck, splitApplied,
  type DeadItem, type Item, type StreamKeys,
} from './redis-stream-ops.ts';

/** What a Redis consumer knows beyond the records (a learner snapshot may record the last stream id). */
export interface DeliveryMeta {
  /** Stream ids of `records`, index for index. */
  streamIds: readonly string[];
  /** 1 on first delivery; more when the entry was reclaimed after a failure or a dead consumer. */
  deliveries: number;
}

/** Compatible with InteractionLog's handler: a handler may ignore `meta`. */
export type BatchHandler = (records: readonly Interaction[], meta: DeliveryMeta) => void | Promise<void>;
export type ConsumerLog = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
/**
 * Called when the group this consumer read from vanished (Redis came back without its data, or someone
 * deleted the stream): entries published since `since` (ms, the last time this consumer had read
 * everything there was) may be gone unread. The consumer reads on once it resolved; if it rejects, it is
 * called again before the next read.
 */
export type StreamLostHandler = (since: number) => Promise<void>;

export interface ConsumerSettings extends StreamKeys {
  /** Where a newly created group starts: '0' delivers what was published before any learner ran. */
  startId: string;
  batchSize: number;
  blockMs: number;
  claimIdleMs: number;
  claimIntervalMs: number;
  maxDeliveries: number;
  closeTimeoutMs: number;
}

const CLAIM_PAGES_PER_ROUND = 10;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class StreamConsumer {
  private readonly blocking: Redis;
  private stopping = false;
  /** Set when close gave up waiting for a handler: from then on behave like a crashed process (no ack). */
  private abandoned = false;
  private groupReady = false;
  private lastClaimAt = 0;
  private claimCursor = '0-0';
  private failing = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();
  /** When this consumer last read everything the stream held (a read that returned less than a batch). */
  private drainedAt = Date.now();
  /** Set when the group vanished after it had existed: the drainedAt of that moment, until onLost ran. */
  private lostSince: number | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly s: ConsumerSettings,
    private readonly handler: BatchHandler,
    private readonly log: ConsumerLog,
    private readonly onLost?: StreamLostHandler,
  ) {
    // A blocking read holds its connection for up to blockMs, so it gets its own. Its commandTimeout must
    // outlast the BLOCK; its offline queue holds at most this one read, so enabling it is bounded.
    this.blocking = duplicateRedis(redis, `interactions:${s.consumer}`, log, {
      commandTimeout: s.blockMs + 2_000,
      enableOfflineQueue: true,
    });
  }

  start(): void {
    this.done = this.run();
  }

  /** Stops the loop; waits up to closeTimeoutMs for a running handler, then abandons its entries. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.wake?.();
      this.blocking.disconnect(); // rejects a pending XREADGROUP BLOCK at once
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.s.closeTimeoutMs)));
    const finished = await Promise.race([this.done.then(() => true), timedOut]);
    clearTimeout(timer);
    if (!finished) {
      this.abandoned = true;
      this.log.warn({ consumer: this.s.consumer }, 'interaction handler still running at close; its entries stay pending');
      return;
    }
    await forgetConsumerIfIdle(this.redis, this.s);
  }

  private async run(): Promise<void> {
    let delay = 0;
    while (!this.stopping) {
      try {
        if (!this.groupReady) await this.ensureGroup();
        if (this.lostSince !== undefined) await this.recoverLost(this.lostSince);
        if (Date.now() - this.lastClaimAt >= this.s.claimIntervalMs) await this.claim();
        const readAt = Date.now();
        const reply = await this.blocking.xreadgroup(
          'GROUP', this.s.group, this.s.consumer,
          'COUNT', this.s.batchSize, 'BLOCK', this.s.blockMs,
          'STREAMS', this.s.stream, '>',
        );
        const entries = parseReadGroup(reply);
        if (entries.length > 0) await this.process(entries, null);
        if (entries.length < this.s.batchSize) this.drainedAt = readAt;
        this.recovered();
        delay = 0;
      } catch (err) {
        if (this.stopping) break;
        // The stream or group vanished (Redis restarted without persistence, or someone deleted it):
        // what was published since this consumer last drained the stream may be gone unread.
        if (message(err).startsWith('NOGROUP')) {
          if (this.groupReady) this.lostSince ??= this.drainedAt;
          this.groupReady = false;
        }
        this.trouble(err);
        delay = Math.min(Math.max(delay * 2, 100), 5_000);
        await this.sleep(delay);
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.s.stream, this.s.group, this.s.startId, 'MKSTREAM');
    } catch (err) {
      if (!message(err).startsWith('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  private async recoverLost(since: number): Promise<void> {
    this.log.warn(
      { stream: this.s.stream, group: this.s.group, since: new Date(since).toISOString() },
      this.onLost
        ? 'the interaction stream lost its group (Redis restarted without its data?); recovering what it held'
        : 'the interaction stream lost its group (Redis restarted without its data?); entries since may be lost',
    );
    await this.onLost?.(since);
    this.lostSince = undefined;
  }

  /** Takes over entries idle for claimIdleMs (a dead consumer's, or ours that failed) and retries them. */
  private async claim(): Promise<void> {
    this.lastClaimAt = Date.now();
    for (let page = 0; page < CLAIM_PAGES_PER_ROUND && !this.stopping; page++) {
      const reply = await this.redis.xautoclaim(
        this.s.stream, this.s.group, this.s.consumer, this.s.claimIdleMs, this.claimCursor, 'COUNT', this.s.batchSize,
      );
      const { cursor, entries, deleted } = parseAutoClaim(reply);
      this.claimCursor = cursor;
      if (deleted.length > 0) {
        // MAXLEN trimming outran the consumers; Postgres still holds these interactions.
        this.log.error({ count: deleted.length, stream: this.s.stream }, 'pending interactions were trimmed before processing');
      }
      const gone = entries.filter((e) => e.fields === null).map((e) => e.streamId);
      if (gone.length > 0) await this.redis.xack(this.s.stream, this.s.group, ...gone); // Redis < 7 keeps them pending
      const live = entries.filter((e) => e.fields !== null);
      if (live.length > 0) await this.process(live, await deliveryCounts(this.redis, this.s, live.map((e) => e.streamId)));
      if (cursor === '0-0') break;
    }
  }

  /** `retries` null: first delivery, one batch. Otherwise delivery counts of reclaimed entries. */
  private async process(entries: readonly RawEntry[], retries: Map<string, number> | null): Promise<void> {
    const items: Item[] = [];
    const dead: DeadItem[] = [];
    for (const e of entries) {
      const deliveries = retries?.get(e.streamId) ?? 1;
      const d = decodeEntry(e);
      if (!d.ok) dead.push({ ...d, deliveries }); // can never succeed: no point retrying
      else if (deliveries > this.s.maxDeliveries) {
        dead.push({
          streamId: e.streamId,
          interactionId: d.record.id,
          raw: e.fields?.['json'],
          reason: `no answer after ${deliveries - 1} deliveries (consumers crashed or hung)`,
          deliveries,
        });
      } else items.push(d);
    }
    if (dead.length > 0) await this.deadLetter(dead);
    if (retries === null) return this.handle(items, 1);
    for (const item of items) {
      if (this.stopping) return; // the rest stay pending for the next claim, by anyone
      await this.handle([item], retries.get(item.streamId) ?? this.s.maxDeliveries);
    }
  }

  private async handle(items: readonly Item[], deliveries: number): Promise<void> {
    if (items.length === 0) return;
    const { fresh, skipped } = await splitApplied(this.redis, this.s, items);
    if (fresh.length > 0) {
      try {
        const meta: DeliveryMeta = { streamIds: fresh.map((i) => i.streamId), deliveries };
        await this.handler(Object.freeze(fresh.map((i) => i.record)), meta);
      } catch (err) {
        if (this.abandoned) return;
        if (deliveries >= this.s.maxDeliveries) {
          await this.deadLetter(fresh.map((i) => ({
            streamId: i.streamId, interactionId: i.record.id, raw: JSON.stringify(i.record), reason: message(err), deliveries,
          })));
        } else {
          this.log.warn({ err, count: fresh.length, deliveries }, 'interaction handler failed; entries stay pending for a retry');
        }
        if (skipped.length > 0) await markAndAck(this.redis, this.s, [], skipped);
        return;
      }
    }
    if (this.abandoned) return;
    await markAndAck(this.redis, this.s, fresh.map((i) => i.record.id), [...fresh.map((i) => i.streamId), ...skipped]);
  }

  private async deadLetter(items: readonly DeadItem[]): Promise<void> {
    await deadLetter(this.redis, this.s, items);
    this.log.error(
      { count: items.length, deadLetterStream: this.s.deadLetterStream, reason: items[0]?.reason },
      'interactions moved to the dead-letter stream',
    );
  }

  private trouble(err: unknown): void {
    if (this.failing) return this.log.debug({ err }, 'interaction consumer still failing');
    this.failing = true;
    this.log.warn({ err, consumer: this.s.consumer }, 'interaction consumer failing; retrying with backoff');
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.info({ consumer: this.s.consumer }, 'interaction consumer resumed');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
