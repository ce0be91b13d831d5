/** The socket.io connection, typed with the server's event maps (imported type-only). */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEventName,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../server/transport/socket/events.ts';

export type ChorusSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The ack data type of a client event. */
export type AckData<E extends ClientEventName> =
  Parameters<ClientToServerEvents[E]>[1] extends (res: Ack<infer T>) => void ? T : never;
export type Payload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];

export function connect(token: string): ChorusSocket {
  return io({ auth: { token }, transports: ['websocket', 'polling'] });
}

/**
 * Emit with an ack and a deadline. A timeout or a dropped connection comes back as an UNAVAILABLE
 * ack, so callers handle one shape.
 */
export async function call<E extends ClientEventName>(
  socket: ChorusSocket,
  event: E,
  payload: Payload<E>,
  timeoutMs = 8000,
): Promise<Ack<AckData<E>>> {
  const timed = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(e: string, p: unknown): Promise<Ack<AckData<E>>>;
  };
  try {
    return await timed.emitWithAck(event, payload);
  } catch {
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the server' } };
  }
}
