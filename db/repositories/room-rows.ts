/** RoomState ↔ rows. Kept apart from the queries so the round trip is easy to read and to check. */
import { DEFAULT_SETTINGS, type Member, type Playback, type QueueItem, type RoomState } from '../../server/rooms/types.ts';
import type { playbackState, queueItems, roomMembers, rooms } from '../schema/index.ts';

export type RoomRow = typeof rooms.$inferSelect;
export type MemberRow = typeof roomMembers.$inferSelect;
export type QueueRow = typeof queueItems.$inferSelect;
export type PlaybackRow = typeof playbackState.$inferSelect;

export const roomRow = (room: RoomState): RoomRow => ({
  id: room.id,
  code: room.code,
  name: room.name,
  hostId: room.hostId,
  version: room.version,
  settings: room.settings,
  skipVotes: room.skipVotes,
  lastPlayedAt: room.lastPlayedAt,
  createdAt: room.createdAt,
  closedAt: room.closedAt,
});

export const memberRows = (room: RoomState): MemberRow[] =>
  room.members.map((m, position) => ({ roomId: room.id, position, ...m }));

export const queueRows = (room: RoomState): QueueRow[] =>
  room.queue.map((q, position) => ({ roomId: room.id, position, ...q }));

export const playbackRow = (room: RoomState): PlaybackRow => ({ roomId: room.id, ...room.playback });

const toMember = ({ userId, displayName, role, connected, joinedAt, disconnectedAt, banned }: MemberRow): Member => ({
  userId,
  displayName,
  role,
  connected,
  joinedAt,
  disconnectedAt,
  banned,
});

const toQueueItem = ({ id, trackId, addedBy, addedAt, durationMs, votes, autofill }: QueueRow): QueueItem => ({
  id,
  trackId,
  addedBy,
  addedAt,
  durationMs,
  votes,
  autofill,
});

const toPlayback = (row: PlaybackRow | undefined, room: RoomRow): Playback =>
  row
    ? {
        trackId: row.trackId,
        status: row.status,
        positionMs: row.positionMs,
        at: row.at,
        durationMs: row.durationMs,
        addedBy: row.addedBy,
        autofill: row.autofill,
      }
    : // Every room is created with a playback row; this only guards a hand-edited database.
      { trackId: null, status: 'idle', positionMs: 0, at: room.createdAt, durationMs: null, addedBy: null, autofill: false };

/** Children must already be ordered by position. */
export const toRoomState = (
  room: RoomRow,
  members: readonly MemberRow[],
  queue: readonly QueueRow[],
  playback: PlaybackRow | undefined,
): RoomState => ({
  id: room.id,
  code: room.code,
  name: room.name,
  version: room.version,
  hostId: room.hostId,
  createdAt: room.createdAt,
  closedAt: room.closedAt,
  members: members.map(toMember),
  queue: queue.map(toQueueItem),
  playback: toPlayback(playback, room),
  // Defaults first: rooms stored before a setting existed read it as its default.
  settings: { ...DEFAULT_SETTINGS, ...room.settings },
  skipVotes: room.skipVotes,
  lastPlayedAt: room.lastPlayedAt,
});
