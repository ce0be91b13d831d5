/**
 * The consumer's bookkeeping commands on Redis: delivery counts, the applied-id dedupe, the atomic
 * "mark applied + ack", dead-lettering and leaving the group. Kept apart from the loop in
 * redis-stream-consumer.ts so each reads on its own.
 */
import type { Redis } from 'ioredis';
import type { Interaction } from '../../ml/types.ts';

export interface StreamKeys {
  stream: string;
  deadLetterStream: string;
  deadLetterMaxLen: number;
  group: string;
  consumer: string;
  dedupePrefix: string;
  dedupeTtlS: number;
}

export interface Item {
  streamId: string;
  record: Interaction;
}

export interface DeadItem {
  streamId: string;
  interactionId: string | undefined;
  raw: string | undefined;
  reason: string;
  deliveries: number;
}

/** MULTI replies carry per-command errors instead of rejecting; null means the transaction was aborted. */
async function execOrThrow(pending: Promise<[Error | null, unknown][] | null>): Promise<void> {
  const results = await pending;
  if (results === null) throw new Error('redis transaction aborted');
  for (const [err] of results) if (err) throw err;
}

/** Delivery count of each pending entry (XPENDING per id, pipelined), by stream id. */
export async function deliveryCounts(redis: Redis, k: StreamKeys, ids: readonly string[]): Promise<Map<string, number>> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.xpending(k.stream, k.group, id, id, 1);
  const results = (await pipe.exec()) ?? [];
  const counts = new Map<string, number>();
  for (const [err, rows] of results) {
    if (err) throw err;
    const row = Array.isArray(rows) ? (rows[0] as unknown[] | undefined) : undefined;
    if (row && typeof row[0] === 'string') counts.set(row[0], Number(row[3]));
  }
  return counts;
}

/** Fresh = first occurrence of an id not applied yet; skipped = stream ids to ack without handling. */
export async function splitApplied(redis: Redis, k: StreamKeys, items: readonly Item[]): Promise<{ fresh: Item[]; skipped: string[] }> {
  const ids = [...new Set(items.map((i) => i.record.id))];
  const marks = await redis.mget(ids.map((id) => k.dedupePrefix + id));
  const applied = new Set(ids.filter((_, n) => marks[n] != null));
  const fresh: Item[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const i of items) {
    if (applied.has(i.record.id) || seen.has(i.record.id)) skipped.push(i.streamId);
    else {
      seen.add(i.record.id);
      fresh.push(i);
    }
  }
  return { fresh, skipped };
}

/** Marks ids applied and acks their entries in one transaction: a crash leaves both or neither. */
export async function markAndAck(redis: Redis, k: StreamKeys, appliedIds: readonly string[], streamIds: readonly string[]): Promise<void> {
  if (streamIds.length === 0) return;
  const multi = redis.multi();
  for (const id of appliedIds) multi.set(k.dedupePrefix + id, '1', 'EX', k.dedupeTtlS);
  multi.xack(k.stream, k.group, ...streamIds);
  await execOrThrow(multi.exec());
}

/** Copies entries to the dead-letter stream (with reason and original stream id) and acks them, atomically. */
export async function deadLetter(redis: Redis, k: StreamKeys, items: readonly DeadItem[]): Promise<void> {
  const multi = redis.multi();
  for (const d of items) {
    multi.xadd(
      k.deadLetterStream, 'MAXLEN', '~', k.deadLetterMaxLen, '*',
      'id', d.interactionId ?? '', 'json', d.raw ?? '', 'error', d.reason, 'streamId', d.streamId,
      'group', k.group, 'consumer', k.consumer, 'deliveries', String(d.deliveries), 'at', String(Date.now()),
    );
  }
  multi.xack(k.stream, k.group, ...items.map((d) => d.streamId));
  await execOrThrow(multi.exec());
}

/** A cleanly stopped consumer with nothing pending leaves the group, so XINFO does not fill with ghosts. */
export async function forgetConsumerIfIdle(redis: Redis, k: StreamKeys): Promise<void> {
  try {
    const mine = await redis.xpending(k.stream, k.group, '-', '+', 1, k.consumer);
    if (Array.isArray(mine) && mine.length === 0) await redis.xgroup('DELCONSUMER', k.stream, k.group, k.consumer);
  } catch {
    // Best effort: a leftover consumer entry with no pending work costs nothing but a line in XINFO.
  }
}
