/** RoomState → what the learner needs to know about a room (RoomContext). */
import type { RoomState } from '../rooms/types.ts';
import type { RoomContext } from './protocol.ts';

export function roomContextOf(room: RoomState): RoomContext {
  const current = room.playback.status !== 'idle' ? room.playback.trackId : null;
  return {
    roomId: room.id,
    version: room.version,
    members: room.members.filter((m) => m.connected && !m.banned).map((m) => ({ userId: m.userId, displayName: m.displayName })),
    strategy: room.settings.strategy,
    mood: room.settings.mood,
    activity: room.settings.activity,
    queued: room.queue.map((q) => q.trackId),
    current: current ?? null,
  };
}
