/**
 * The socket.io Server options this transport relies on; app.ts spreads them into `new Server(…)`.
 */
import type { ServerOptions } from 'socket.io';
import type { Config } from '../../config.ts';
import { originAllowed } from './origins.ts';
import { preEncodedParser } from './pre-encoded-parser.ts';

/** How long a dropped socket may come back with its rooms, data and missed broadcasts. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

export function socketServerOptions(config: Pick<Config, 'maxPayloadBytes' | 'origins'>): Partial<ServerOptions> {
  return {
    // Transport cap at twice the event cap: an event a little over maxPayloadBytes still gets a clean
    // VALIDATION ack from the handler wrapper, anything far larger is cut at the transport (disconnect)
    // before it is buffered or parsed.
    maxHttpBufferSize: config.maxPayloadBytes * 2,
    // Middlewares (auth) run again on recovery: a recovered session must still present a valid token
    // for the same user (see attach.ts). skipMiddlewares would let an expired or swapped token through.
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    // The token travels in the handshake's auth payload, not in cookies: no credentialed CORS needed.
    cors: { origin: (origin, cb) => cb(null, originAllowed(origin, config.origins)) },
    // CORS headers only guide browsers; allowRequest refuses a foreign Origin on the websocket upgrade too.
    allowRequest: (req, cb) => {
      const ok = originAllowed(req.headers.origin, config.origins);
      cb(ok ? null : 'origin not allowed', ok);
    },
    // Recommendation pushes arrive serialised from the learner thread and go out as they are.
    parser: preEncodedParser,
  };
}
