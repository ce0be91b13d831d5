/**
 * Client events → room service calls. Validation, rate limits and error conversion happen in
 * handle.ts; permissions and room rules in the domain. These only translate payloads and acks.
 */
import type { Logger } from '../../logger.ts';
import type { RoomServiceImpl } from '../../services/room-service.ts';
import type { ChorusServer } from './events.ts';
import type { ChorusSocket, Handle } from './handle.ts';
import { evictMember } from './evict.ts';
import type { RecommendationService } from '../../learning/types.ts';
import { sendRecsOnJoin } from './recs-on-join.ts';

export interface RoomHandlerDeps {
  io: ChorusServer;
  rooms: RoomServiceImpl;
  recs: RecommendationService;
  log: Logger;
}

export function registerRoomHandlers(handle: Handle, deps: RoomHandlerDeps): void {
  const { rooms } = deps;

  handle('room:join', async ({ socket, user, payload }) => {
    const previous = socket.data.roomId;
    const snapshot = await rooms.join(payload.code, user, (roomId) => {
      if (previous && previous !== roomId) void socket.leave(previous);
      void socket.join(roomId);
      socket.data.roomId = roomId;
    });
    // Joining another room gives up the seat in the old one; a failed join above keeps it.
    if (previous && previous !== snapshot.roomId) await leaveQuietly(deps, previous, user.userId);
    sendRecsOnJoin(socket, deps.recs, snapshot.roomId, deps.log);
    return snapshot;
  });

  handle.inRoom('room:leave', async ({ socket, user, roomId }) => {
    detach(socket, roomId);
    const t = await rooms.execute(roomId, { type: 'leave', actorId: user.userId });
    return { version: t.room.version };
  });

  handle.inRoom('room:sync', ({ user, roomId }) => rooms.sync(roomId, user.userId));

  handle.inRoom('queue:add', async ({ user, roomId, payload }) => {
    const t = await rooms.queueAdd(roomId, user.userId, payload.trackId);
    return { item: t.result.item, version: t.room.version };
  });

  handle.inRoom('queue:remove', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'queue:remove', actorId: user.userId, itemId: payload.itemId });
    return { version: t.room.version };
  });

  handle.inRoom('queue:move', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'queue:move', actorId: user.userId, ...payload });
    return { version: t.room.version };
  });

  handle.inRoom('queue:vote', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'queue:vote', actorId: user.userId, ...payload });
    return { version: t.room.version };
  });

  handle.inRoom('playback:play', async ({ user, roomId, payload }) => {
    const t = await rooms.play(roomId, user.userId, payload.trackId);
    return { version: t.room.version, playback: t.result.playback };
  });

  handle.inRoom('playback:pause', async ({ user, roomId }) => {
    const t = await rooms.execute(roomId, { type: 'playback:pause', actorId: user.userId });
    return { version: t.room.version, playback: t.result.playback };
  });

  handle.inRoom('playback:seek', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'playback:seek', actorId: user.userId, positionMs: payload.positionMs });
    return { version: t.room.version, playback: t.result.playback };
  });

  handle.inRoom('playback:skip', async ({ user, roomId }) => {
    const t = await rooms.execute(roomId, { type: 'playback:skip', actorId: user.userId });
    return { version: t.room.version, playback: t.result.playback };
  });

  handle.inRoom('skip:vote', async ({ user, roomId }) => {
    const t = await rooms.execute(roomId, { type: 'skip:vote', actorId: user.userId });
    const { count, needed, skipped } = t.result;
    return { version: t.room.version, skipVotes: { count, needed }, skipped };
  });

  handle.inRoom('track:react', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'track:react', actorId: user.userId, ...payload });
    return { version: t.room.version, interactionIds: t.interactionIds };
  });

  handle.inRoom('room:settings', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'room:settings', actorId: user.userId, patch: payload });
    return { version: t.room.version, settings: t.result.settings };
  });

  handle.inRoom('member:kick', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'member:kick', actorId: user.userId, ...payload });
    // The kick is committed; failing to reach the kicked sockets (a node timing out) must not turn the
    // host's ack into an error. Those sockets are refused by the domain on their next event.
    await evictMember(deps.io, roomId, t.result.userId, t.result.banned).catch((err: unknown) =>
      deps.log.warn({ err, roomId }, 'could not notify a kicked member'),
    );
    return { version: t.room.version };
  });

  handle.inRoom('host:transfer', async ({ user, roomId, payload }) => {
    const t = await rooms.execute(roomId, { type: 'host:transfer', actorId: user.userId, userId: payload.userId });
    return { version: t.room.version };
  });

  handle('time:sync', async ({ payload, receivedAt }) => ({ t0: payload.t0, t1: receivedAt, t2: Date.now() }));
}

function detach(socket: ChorusSocket, roomId: string): void {
  void socket.leave(roomId);
  socket.data.roomId = undefined;
}

async function leaveQuietly(deps: RoomHandlerDeps, roomId: string, userId: string): Promise<void> {
  try {
    await deps.rooms.execute(roomId, { type: 'leave', actorId: userId });
  } catch (err) {
    deps.log.warn({ err, roomId, userId }, 'leaving the previous room failed');
  }
}
