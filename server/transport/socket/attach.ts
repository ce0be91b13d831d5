/**
 * Wires the socket transport onto a socket.io Server: auth middleware, per-socket handlers, and the
 * connection lifecycle (a drop keeps the seat; a recovered session reconnects it). Server options
 * (payload cap, recovery, CORS, origin check) come from server-options.ts.
 */
import type { AppDeps } from '../../deps.ts';
import { isAppError } from '../../errors.ts';
import { createRateLimiter, type RateLimiter } from '../../realtime/rate-limiter.ts';
import type { RoomServiceImpl } from '../../services/room-service.ts';
import type { RecommendationService } from '../../learning/types.ts';
import { authMiddleware } from './auth-middleware.ts';
import { userStillInRoom } from './evict.ts';
import type { ChorusServer } from './events.ts';
import { bindHandle, type ChorusSocket, type HandleDeps } from './handle.ts';
import { sendRecsOnJoin } from './recs-on-join.ts';
import { registerRoomHandlers } from './room-handlers.ts';

export interface SocketDeps extends Pick<AppDeps, 'config' | 'log' | 'auth' | 'redis'> {
  rooms: RoomServiceImpl;
  recs: RecommendationService;
  /** Per-socket event budget; defaults to a limiter from config (on Redis when deps.redis is set). */
  limiter?: RateLimiter;
  /** Told of every acked client event (the metrics' event-duration histogram). */
  observeEvent?: HandleDeps['observe'];
}

export function attachSocketHandlers(io: ChorusServer, deps: SocketDeps): void {
  const { config, log, rooms } = deps;
  const limiter =
    deps.limiter ??
    createRateLimiter({ points: config.rateLimitPoints, durationS: config.rateLimitDurationS, keyPrefix: 'socket' }, deps.redis);

  io.use(authMiddleware(deps.auth, log));

  io.on('connection', (socket) => {
    const handle = bindHandle(socket, { log, limiter, maxPayloadBytes: config.maxPayloadBytes, observe: deps.observeEvent });
    registerRoomHandlers(handle, { io, rooms, recs: deps.recs, log });

    socket.on('disconnect', () => {
      const roomId = socket.data.roomId;
      if (roomId) void markDisconnected(io, deps, socket, roomId);
    });

    if (socket.recovered && socket.data.roomId) void recoverSeat(deps, socket, socket.data.roomId);
  });
}

/** The seat is kept and shown as disconnected, unless another tab of the same user is still here. */
async function markDisconnected(io: ChorusServer, deps: SocketDeps, socket: ChorusSocket, roomId: string): Promise<void> {
  const userId = socket.data.userId;
  try {
    // This socket already left the room's channel; any socket of the user found there is another tab
    // or this session recovered under the same id.
    await deps.rooms.disconnect(roomId, userId, () => userStillInRoom(io, roomId, userId));
  } catch (err) {
    // A closed room or a kicked member has no seat to keep; UNAVAILABLE = shutting down (restore()
    // marks everyone disconnected at the next start anyway).
    if (isAppError(err) && ['NOT_FOUND', 'FORBIDDEN', 'UNAVAILABLE'].includes(err.code)) return;
    deps.log.error({ err, roomId, userId }, 'marking a member disconnected failed');
  }
}

/**
 * socket.io restored the socket's rooms and data and replayed missed broadcasts; the domain still
 * has the seat as disconnected. Reconnect it, or let go of the room if the seat is gone.
 */
async function recoverSeat(deps: SocketDeps, socket: ChorusSocket, roomId: string): Promise<void> {
  const { userId, displayName } = socket.data;
  try {
    await deps.rooms.rejoin(roomId, { userId, displayName });
    // Missed recommendations are not replayed (realtime/memory-adapter.ts): the latest comes instead.
    sendRecsOnJoin(socket, deps.recs, roomId, deps.log);
  } catch (err) {
    void socket.leave(roomId);
    socket.data.roomId = undefined;
    if (isAppError(err) && err.code === 'FORBIDDEN') {
      const room = await deps.rooms.get(roomId).catch(() => null);
      const ban = room?.members.some((m) => m.userId === userId && m.banned) ?? false;
      socket.emit('member:kicked', { roomId, ban });
      return;
    }
    if (!isAppError(err) || err.code !== 'NOT_FOUND') deps.log.error({ err, roomId, userId }, 'recovering a seat failed');
  }
}
