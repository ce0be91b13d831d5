/**
 * The one wrapper every client event goes through: rate limit → ack present → size → zod →
 * room membership → handler → typed ack. Whatever a client sends, it gets exactly one well-formed ack
 * (or none when it gave no ack function) and nothing it sends can throw into socket.io.
 */
import type { Socket } from 'socket.io';
import { AppError, toWireError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { RateLimiter } from '../../realtime/rate-limiter.ts';
import type {
  Ack,
  AckFn,
  ClientEventName,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from './events.ts';
import { describeIssue, schemas, type ParsedPayload } from './schemas.ts';

export type ChorusSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type AckData<E extends ClientEventName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;

export interface HandlerContext<E extends ClientEventName> {
  socket: ChorusSocket;
  user: { userId: string; displayName: string };
  payload: ParsedPayload<E>;
  /** When the event arrived (time:sync's t1). */
  receivedAt: number;
}

export interface RoomHandlerContext<E extends ClientEventName> extends HandlerContext<E> {
  roomId: string;
}

export interface HandleDeps {
  log: Logger;
  limiter: RateLimiter;
  maxPayloadBytes: number;
  /** Told of every acked event: its name, ms from arrival to ack, and whether the ack was ok (metrics). */
  observe?: ((event: ClientEventName, ms: number, ok: boolean) => void) | undefined;
}

export type Handle = {
  <E extends ClientEventName>(event: E, fn: (ctx: HandlerContext<E>) => Promise<AckData<E>>): void;
  /** For events that act on the socket's current room (membership itself is checked by the domain). */
  inRoom<E extends ClientEventName>(event: E, fn: (ctx: RoomHandlerContext<E>) => Promise<AckData<E>>): void;
};

/** Serialized size as the client sent it (JSON ≈ the socket.io text frame). */
function payloadBytes(payload: unknown): number {
  try {
    const json = JSON.stringify(payload);
    return json === undefined ? 0 : Buffer.byteLength(json);
  } catch {
    return Number.POSITIVE_INFINITY; // unserialisable: certainly not a valid payload
  }
}

export function bindHandle(socket: ChorusSocket, deps: HandleDeps): Handle {
  const register = <E extends ClientEventName>(
    event: E,
    needsRoom: boolean,
    fn: (ctx: RoomHandlerContext<E>) => Promise<AckData<E>>,
  ): void => {
    const listener = async (...args: unknown[]): Promise<void> => {
      const receivedAt = Date.now();
      const start = performance.now();
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as (res: Ack<AckData<E>>) => void) : undefined;
      try {
        // Ack-less events still cost: spamming fire-and-forget packets must not be free.
        if (!(await deps.limiter.consume(socket.id))) throw new AppError('RATE_LIMITED', 'too many events; slow down');
        if (!ack) return; // every client event requires an ack; without one there is nobody to answer
        if (args.length > 2) throw new AppError('VALIDATION', 'expected one payload object and an ack');
        // emit(event, ack) with no payload is treated as an empty payload.
        const raw = args.length === 2 ? args[0] : {};
        if (payloadBytes(raw) > deps.maxPayloadBytes) throw new AppError('VALIDATION', 'payload too large');
        const parsed = schemas[event].safeParse(raw);
        if (!parsed.success) throw new AppError('VALIDATION', describeIssue(parsed.error));

        const { userId, displayName } = socket.data;
        const roomId = socket.data.roomId;
        if (needsRoom && !roomId) throw new AppError('FORBIDDEN', 'join a room first (room:join)');
        const data = await fn({
          socket,
          user: { userId, displayName },
          payload: parsed.data as ParsedPayload<E>,
          receivedAt,
          roomId: roomId ?? '',
        });
        ack({ ok: true, data });
        deps.observe?.(event, performance.now() - start, true);
      } catch (err) {
        const error = toWireError(err);
        if (error.code === 'INTERNAL') deps.log.error({ err, event, socketId: socket.id }, 'socket handler failed');
        if (!ack) return;
        ack({ ok: false, error });
        deps.observe?.(event, performance.now() - start, false);
      }
    };
    // The typed map cannot express the variadic (payload?, ack?) reality of what arrives on the wire.
    socket.on(event, listener as never);
  };

  const handle = (<E extends ClientEventName>(event: E, fn: (ctx: HandlerContext<E>) => Promise<AckData<E>>) =>
    register(event, false, fn)) as Handle;
  handle.inRoom = (event, fn) => register(event, true, fn);
  return handle;
}
