/**
 * Turns what the domain wants recorded into stored interaction records. Each gets its own id here,
 * once, so a retried append (or a replayed stream) is deduplicated by id instead of counted twice.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction, InteractionContext } from '../../ml/types.ts';
import type { Logger } from '../logger.ts';
import type { DomainInteraction, RoomState } from '../rooms/index.ts';
import type { AppendBatcher } from './append-batcher.ts';
import type { InteractionLog } from './types.ts';

export function contextFor(room: Pick<RoomState, 'settings'>, now: number): InteractionContext {
  const at = new Date(now);
  const context: InteractionContext = { hour: at.getHours(), weekday: at.getDay() };
  // Left out rather than stored as undefined/null, so the JSON stays minimal.
  if (room.settings.mood) context.mood = room.settings.mood;
  if (room.settings.activity) context.activity = room.settings.activity;
  return context;
}

export function toInteractions(
  list: readonly DomainInteraction[],
  room: Pick<RoomState, 'id' | 'settings'>,
  now: number,
): Interaction[] {
  if (list.length === 0) return [];
  const context = contextFor(room, now);
  return list.map((i) => ({
    id: randomUUID(),
    userId: i.userId,
    roomId: room.id,
    trackId: i.trackId,
    type: i.type,
    context: { ...context },
    createdAt: now,
  }));
}

export interface RecordDeps {
  db: Database;
  interactionLog: InteractionLog;
  log: Logger;
  onInteractions?: ((records: readonly Interaction[]) => void) | undefined;
  /** The records are queued in the Postgres outbox: dequeue them once published. */
  outbox?: boolean | undefined;
  /** Group commit of appends without a room edit (append-batcher.ts); a plain append when absent. */
  appender?: AppendBatcher | undefined;
}

/**
 * Make interactions durable (before the ack), then publish them. When they came with a committed room
 * edit they were stored in that edit's transaction already; otherwise (a reaction changes no room state)
 * they are appended here and a failure fails the ack, so the client knows to retry.
 */
export async function recordInteractions(deps: RecordDeps, records: Interaction[], storedWithEdit: boolean): Promise<void> {
  if (records.length === 0) return;
  if (!storedWithEdit) {
    if (deps.appender) await deps.appender.write(records);
    else await deps.db.repos.interactions.append(records, { outbox: deps.outbox });
  }
  try {
    await deps.interactionLog.publish(records);
  } catch (err) {
    // Stored already (and queued in the outbox in cluster mode): the relay publishes them later.
    deps.log.warn({ err, count: records.length }, 'publishing interactions failed; the outbox relay retries');
    return;
  }
  if (deps.outbox) {
    // Not awaited: the ack does not wait on bookkeeping, and a row left behind is only re-published.
    const ids = records.map((r) => r.id);
    deps.db.repos.outbox.remove(ids).catch((err: unknown) => deps.log.warn({ err }, 'dequeuing published interactions failed'));
  }
  try {
    deps.onInteractions?.(records);
  } catch (err) {
    deps.log.error({ err }, 'interaction observer failed');
  }
}
