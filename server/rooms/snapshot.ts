/** Wire shapes (issue 2 §6) built from RoomState. Banned rows never leave the server. */
import { netVotes, orderedQueue, queueScores } from './queue-order.ts';
import type { RoomSnapshot, RoomState, WirePlayback, WireQueueItem } from './types.ts';
import { skipVoteCount, skipVotesNeeded } from './votes.ts';

export { playbackPositionAt } from './playback-clock.ts';

/** In play order; see queue-order.ts for what `score` means in each mode. */
export function wireQueue(room: RoomState): WireQueueItem[] {
  const ordered = orderedQueue(room);
  const scores = queueScores(room, ordered);
  return ordered.map((item, i) => ({
    id: item.id,
    trackId: item.trackId,
    addedBy: item.addedBy,
    votes: netVotes(item),
    score: scores[i] ?? 0,
    autofill: item.autofill,
  }));
}

/** The clock as stored (position at time `at`); clients extrapolate with their synced clock. */
export function wirePlayback(room: RoomState): WirePlayback {
  const { trackId, status, positionMs, at, durationMs } = room.playback;
  return { trackId, status, positionMs, at, durationMs };
}

export function wireMembers(room: RoomState): RoomSnapshot['members'] {
  return room.members
    .filter((m) => !m.banned)
    .map((m) => ({ userId: m.userId, displayName: m.displayName, role: m.role, connected: m.connected }));
}

export function toSnapshot(room: RoomState): RoomSnapshot {
  return {
    roomId: room.id,
    code: room.code,
    name: room.name,
    version: room.version,
    hostId: room.hostId,
    members: wireMembers(room),
    queue: wireQueue(room),
    playback: wirePlayback(room),
    settings: { ...room.settings },
    skipVotes: { count: skipVoteCount(room), needed: skipVotesNeeded(room) },
  };
}
