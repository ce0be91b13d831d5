/**
 * Connection auth: `auth: { token }` in the handshake, verified on every connection — including a
 * recovered one (connection state recovery runs middlewares, skipMiddlewares is off), so an expired
 * token cannot ride a restored session.
 */
import type { Auth } from '../../auth.ts';
import type { Logger } from '../../logger.ts';
import type { ChorusSocket } from './handle.ts';

type Next = (err?: Error) => void;

/** The client sees connect_error with message 'UNAUTHORIZED' (and err.data = { code, message }). */
const unauthorized = (message: string): Error =>
  Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED', message } });

export function authMiddleware(auth: Auth, log: Logger) {
  return (socket: ChorusSocket, next: Next): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
    auth.verify(token).then(
      (user) => {
        if (socket.recovered && socket.data.userId !== user.userId) {
          // Same browser, different identity (e.g. a new guest token): start clean, keep nothing of
          // the previous user's session.
          for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
          socket.data = { userId: user.userId, displayName: user.displayName };
        } else if (socket.recovered) {
          socket.data.displayName = user.displayName;
        } else {
          socket.data = { userId: user.userId, displayName: user.displayName };
        }
        next();
      },
      (err: unknown) => {
        log.debug({ err, socketId: socket.id }, 'socket auth refused');
        next(unauthorized(token === undefined ? 'missing token' : 'invalid token'));
      },
    );
  };
}
