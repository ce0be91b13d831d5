import { and, asc, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../server/errors.ts';
import type { RoomEventRecord, RoomState } from '../../server/rooms/types.ts';
import { playbackState, queueItems, roomEvents, roomMembers, rooms } from '../schema/index.ts';
import { pgErrorCode, UNIQUE_VIOLATION, type Db, type Tx } from './drizzle-db.ts';
import { insertInteractions } from './interactions.ts';
import { memberRows, playbackRow, queueRows, roomRow, toRoomState, type RoomRow } from './room-rows.ts';
import type { RoomRepository } from './types.ts';

/**
 * Members and queue items are replaced wholesale when they changed; a save skips the tables its
 * transition did not touch (each statement is a round trip, and a reaction or a vote touches one area).
 */
async function writeChildren(tx: Tx, room: RoomState, changed?: readonly string[]): Promise<void> {
  const touched = (...areas: string[]) => changed === undefined || areas.some((a) => changed.includes(a));
  if (touched('members', 'host')) await writeMembers(tx, room);
  if (touched('queue')) {
    // The queue is small and reordered often: replacing it is simpler than diffing positions.
    await tx.delete(queueItems).where(eq(queueItems.roomId, room.id));
    const queue = queueRows(room);
    if (queue.length > 0) await tx.insert(queueItems).values(queue);
  }
  if (touched('playback')) await writePlayback(tx, room);
}

async function writeMembers(tx: Tx, room: RoomState): Promise<void> {
  const members = memberRows(room);
  const ids = members.map((m) => m.userId);
  // Members who left are deleted; the rest are upserted so their rows are not churned on every edit.
  await tx
    .delete(roomMembers)
    .where(and(eq(roomMembers.roomId, room.id), ids.length > 0 ? notInArray(roomMembers.userId, ids) : undefined));
  if (members.length > 0) {
    await tx
      .insert(roomMembers)
      .values(members)
      .onConflictDoUpdate({
        target: [roomMembers.roomId, roomMembers.userId],
        set: {
          displayName: sql`excluded.display_name`,
          role: sql`excluded.role`,
          connected: sql`excluded.connected`,
          joinedAt: sql`excluded.joined_at`,
          disconnectedAt: sql`excluded.disconnected_at`,
          banned: sql`excluded.banned`,
          position: sql`excluded.position`,
        },
      });
  }
}

async function writePlayback(tx: Tx, room: RoomState): Promise<void> {
  await tx
    .insert(playbackState)
    .values(playbackRow(room))
    .onConflictDoUpdate({
      target: playbackState.roomId,
      set: {
        trackId: sql`excluded.track_id`,
        status: sql`excluded.status`,
        positionMs: sql`excluded.position_ms`,
        at: sql`excluded.at`,
        durationMs: sql`excluded.duration_ms`,
        addedBy: sql`excluded.added_by`,
        autofill: sql`excluded.autofill`,
      },
    });
}

const eventRow = (room: RoomState, event: RoomEventRecord) => ({
  roomId: room.id,
  version: room.version,
  type: event.type,
  actorId: event.actorId,
  // jsonb cannot hold `undefined`; store SQL null instead.
  payload: event.payload === undefined ? null : event.payload,
  createdAt: Date.now(),
});

/** Rebuild full states for the rooms matched by `where`, children in 3 queries whatever the count. */
async function loadWhere(tx: Tx, where: SQL | undefined): Promise<RoomState[]> {
  const roomRows = await tx.select().from(rooms).where(where).orderBy(asc(rooms.createdAt), asc(rooms.id));
  if (roomRows.length === 0) return [];
  const [members, queue, playback] = await Promise.all([
    tx
      .select({ m: roomMembers })
      .from(roomMembers)
      .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
      .where(where)
      .orderBy(asc(roomMembers.roomId), asc(roomMembers.position)),
    tx
      .select({ q: queueItems })
      .from(queueItems)
      .innerJoin(rooms, eq(rooms.id, queueItems.roomId))
      .where(where)
      .orderBy(asc(queueItems.roomId), asc(queueItems.position)),
    tx
      .select({ p: playbackState })
      .from(playbackState)
      .innerJoin(rooms, eq(rooms.id, playbackState.roomId))
      .where(where),
  ]);
  const group = <T extends { roomId: string }>(rows: T[]): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const row of rows) {
      const list = out.get(row.roomId);
      if (list) list.push(row);
      else out.set(row.roomId, [row]);
    }
    return out;
  };
  const membersBy = group(members.map((r) => r.m));
  const queueBy = group(queue.map((r) => r.q));
  const playbackBy = new Map(playback.map((r) => [r.p.roomId, r.p]));
  return roomRows.map((room: RoomRow) =>
    toRoomState(room, membersBy.get(room.id) ?? [], queueBy.get(room.id) ?? [], playbackBy.get(room.id)),
  );
}

export function createRoomRepository(db: Db): RoomRepository {
  // One consistent snapshot across the four tables, even while a save commits in between.
  const read = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    db.transaction(fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });

  return {
    async create(room) {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(rooms).values(roomRow(room));
          await writeChildren(tx, room);
          await tx.insert(roomEvents).values(eventRow(room, { type: 'room:create', actorId: room.hostId, payload: { name: room.name } }));
        });
      } catch (e) {
        if (pgErrorCode(e) === UNIQUE_VIOLATION) {
          throw new AppError('CONFLICT', 'room code or id already taken', { cause: e });
        }
        throw e;
      }
    },

    async save(room, prevVersion, event, caused = [], opts = {}) {
      try {
        await db.transaction(async (tx) => {
          const { id: _id, code: _code, createdAt: _createdAt, ...changed } = roomRow(room);
          // Optimistic check: the row is only updated if nobody committed since prevVersion.
          const updated = await tx
            .update(rooms)
            .set(changed)
            .where(and(eq(rooms.id, room.id), eq(rooms.version, prevVersion)))
            .returning({ id: rooms.id });
          if (updated.length === 0) {
            const [current] = await tx.select({ version: rooms.version }).from(rooms).where(eq(rooms.id, room.id));
            if (!current) throw new AppError('NOT_FOUND', `room ${room.id} not found`);
            throw new AppError('CONFLICT', 'the room changed at the same time; try again', {
              cause: new Error(`room ${room.id} is at version ${current.version}, not ${prevVersion}`),
            });
          }
          await writeChildren(tx, room, opts.changed);
          await tx.insert(roomEvents).values(eventRow(room, event));
          if (caused.length > 0) await insertInteractions(tx, caused, opts);
        });
      } catch (e) {
        // Two writers racing to the same version: the loser sees the room_events unique key.
        if (pgErrorCode(e) === UNIQUE_VIOLATION) {
          throw new AppError('CONFLICT', `room ${room.id} version ${room.version} already written`, { cause: e });
        }
        throw e;
      }
    },

    async load(id) {
      const [room] = await read((tx) => loadWhere(tx, eq(rooms.id, id)));
      return room ?? null;
    },

    async loadByCode(code) {
      const [room] = await read((tx) => loadWhere(tx, eq(rooms.code, code)));
      return room ?? null;
    },

    async listOpen() {
      return read((tx) => loadWhere(tx, isNull(rooms.closedAt)));
    },
  };
}
