/**
 * Which room broadcasts a transition produces. Every payload carries the room version that produced
 * it; one transition may send several events with the same version (a client treats an equal version
 * as "same change", a jump of more than one as a gap and asks room:sync).
 */
import { toSnapshot, type RoomChange, type RoomState } from '../rooms/index.ts';
import type { RoomBroadcastEvents } from '../transport/socket/events.ts';

/** [event, payload] pairs; a discriminated union so emit(roomId, ...broadcast) type-checks. */
export type RoomBroadcast = {
  [E in keyof RoomBroadcastEvents]: [event: E, payload: Parameters<RoomBroadcastEvents[E]>[0]];
}[keyof RoomBroadcastEvents];

/** Sends one broadcast to every socket in the room. The service never imports socket.io. */
export type RoomEmit = (roomId: string, ...broadcast: RoomBroadcast) => void;

export function broadcastsFor(room: RoomState, changes: readonly RoomChange[]): RoomBroadcast[] {
  if (changes.length === 0) return [];
  const snapshot = toSnapshot(room);
  // Settings touch how everything else reads (queue order, thresholds): send the whole state once.
  if (changes.includes('settings')) return [['room:snapshot', snapshot]];

  const version = room.version;
  const out: RoomBroadcast[] = [];
  if (changes.includes('members')) out.push(['room:members', { version, members: snapshot.members }]);
  if (changes.includes('host')) out.push(['host:changed', { version, hostId: snapshot.hostId }]);
  if (changes.includes('queue')) out.push(['queue:updated', { version, queue: snapshot.queue }]);
  if (changes.includes('playback')) out.push(['playback:updated', { version, playback: snapshot.playback }]);
  // `needed` is a share of connected members, so a member change moves it even without a vote.
  if (changes.includes('skipVotes') || changes.includes('members')) {
    out.push(['skip:updated', { version, skipVotes: snapshot.skipVotes }]);
  }
  return out;
}
