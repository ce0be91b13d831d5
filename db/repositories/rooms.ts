import { asc, eq, isNull, type SQL } from 'drizzle-orm';
import { AppError } from '../../server/errors.ts';
import type { RoomEventRecord, RoomState } from '../../server/rooms/types.ts';
import { playbackState, queueItems, roomEvents, roomMembers, rooms } from '../schema/index.ts';
import { pgErrorCode, rowsOf, UNIQUE_VIOLATION, type Db, type Tx } from './drizzle-db.ts';
import { saveOutcome, saveStatement, type SaveOutcome } from './room-save.ts';
import { memberRows, playbackRow, queueRows, roomRow, toRoomState, type RoomRow } from './room-rows.ts';
import type { RoomRepository } from './types.ts';

/** A new room's children (create only: a save writes them as part of one statement, room-save.ts). */
async function insertChildren(tx: Tx, room: RoomState): Promise<void> {
  const members = memberRows(room);
  if (members.length > 0) await tx.insert(roomMembers).values(members);
  const queue = queueRows(room);
  if (queue.length > 0) await tx.insert(queueItems).values(queue);
  await tx.insert(playbackState).values(playbackRow(room));
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

type SaveRow = Parameters<typeof saveOutcome>[0];

export function createRoomRepository(db: Db): RoomRepository {
  // One consistent snapshot across the four tables, even while a save commits in between.
  const read = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    db.transaction(fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });

  return {
    async create(room) {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(rooms).values(roomRow(room));
          await insertChildren(tx, room);
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
      let outcome: SaveOutcome;
      try {
        outcome = saveOutcome(rowsOf<SaveRow>(await db.execute(saveStatement(room, prevVersion, event, caused, opts)))[0]);
      } catch (e) {
        // Two writers racing to the same version: the loser sees the room_events unique key.
        if (pgErrorCode(e) === UNIQUE_VIOLATION) {
          throw new AppError('CONFLICT', `room ${room.id} version ${room.version} already written`, { cause: e });
        }
        throw e;
      }
      if (outcome.updated) return;
      if (outcome.current === null) throw new AppError('NOT_FOUND', `room ${room.id} not found`);
      throw new AppError('CONFLICT', 'the room changed at the same time; try again', {
        cause: new Error(`room ${room.id} is at version ${outcome.current}, not ${prevVersion}`),
      });
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
