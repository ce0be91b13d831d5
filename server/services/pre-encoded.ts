/**
 * A payload serialised to JSON once, before it reaches socket.io: the learner thread already hands its
 * recommendations over as a JSON string (server/learning/protocol.ts), so a room's push need not be parsed
 * into objects on the event loop only for socket.io to walk them (looking for binary) and stringify them
 * again. `emit(event, preEncoded(json))` puts `json` into the packet as it is; members receive exactly the
 * packet the default encoder would have written for `JSON.parse(json)`.
 *
 * The transport's encoder does the splicing (server/transport/socket/pre-encoded-parser.ts); this file is
 * only the marker, so services can produce one without depending on socket.io.
 *
 * The marker is a plain object, not a class: a packet that crosses nodes (the Redis adapter's msgpack,
 * connection-state recovery's buffer) arrives as a plain object and is still recognised.
 */
export const PRE_ENCODED_KEY = '__chorusPreEncodedJson';

export interface PreEncoded {
  readonly [PRE_ENCODED_KEY]: string;
}

/** `json` must be one JSON value (what JSON.stringify returned); it is not checked on the hot path. */
export function preEncoded(json: string): PreEncoded {
  return { [PRE_ENCODED_KEY]: json };
}

export function isPreEncoded(x: unknown): x is PreEncoded {
  return typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)[PRE_ENCODED_KEY] === 'string';
}
