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
  const sockets = await io.in(roomId).fetchSockets();
  return sockets.some((s) => s.data.userId === userId);
}
