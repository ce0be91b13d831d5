/**
 * Taking a removed member's sockets out of the room. fetchSockets works across nodes (Redis
 * adapter); on another node only the emit and leave apply, and that socket's next room event is
 * refused by the domain because the seat is gone.
 */
import type { ChorusServer } from './events.ts';

export async function evictMember(io: ChorusServer, roomId: string, userId: string, ban: boolean): Promise<void> {
  const sockets = await io.in(roomId).fetchSockets();
  for (const s of sockets) {
    if (s.data.userId !== userId) continue;
    s.emit('member:kicked', { roomId, ban });
    s.leave(roomId);
    // Local sockets come back as the live Socket, so this clears their current room.
    s.data.roomId = undefined;
  }
}

/** Whether any socket of the user is in the room (a second tab keeps the seat connected). */
export async function userStillInRoom(io: ChorusServer, roomId: string, userId: string): Promise<boolean> {
  return (await usersInRoom(io, roomId)).has(userId);
}

/**
 * The users with a socket in the room on any node, asked in one round (fetchSockets). `timeoutMs` bounds
 * the wait for peers; a peer that does not answer in time fails the question (the caller decides).
 */
export async function usersInRoom(io: ChorusServer, roomId: string, timeoutMs?: number): Promise<Set<string>> {
  return (await usersInRooms(io, [roomId], timeoutMs)).get(roomId) ?? new Set();
}

/** usersInRoom for many rooms in one round: roomId → the users with a socket in it on any node. */
export async function usersInRooms(io: ChorusServer, roomIds: readonly string[], timeoutMs?: number): Promise<Map<string, Set<string>>> {
  const out = new Map(roomIds.map((id) => [id, new Set<string>()]));
  if (roomIds.length === 0) return out;
  const target = timeoutMs === undefined ? io.in([...roomIds]) : io.in([...roomIds]).timeout(timeoutMs);
  for (const s of await target.fetchSockets()) {
    for (const room of s.rooms) out.get(room)?.add(s.data.userId);
  }
  return out;
}
