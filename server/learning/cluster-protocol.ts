/**
 * What server nodes and `npm run learner` processes exchange through Redis (besides the interaction
 * stream and the socket.io adapter's stream). JSON only; every key sits under one deployment prefix.
 *
 *   <p>:rooms                 hash roomId → RoomContext JSON (nodes write every committed context)
 *   <p>:rooms (channel)       RoomUpdate: a context changed or a room closed
 *   <p>:recs:<roomId>         latest recs:updated of the room (the learner writes it after each push)
 *   <p>:recs (channel)        RecsMessage: nodes keep cached() and /metrics push latency from it
 *   <p>:learner:requests      list of ClusterRequest (nodes LPUSH, a learner BRPOPs)
 *   <p>:learner:reply:<node>  channel of ClusterReply for one node
 *   <p>:learner:status        channel of LearnerStatus (about once a second)
 *   <p>:learner:preferences   channel of PreferencesUpdate: every learner applies a member's declared taste
 *   <p>:socket.io             the socket.io Redis Streams adapter's stream
 */
import type { Request } from './protocol.ts';
import type { RoomContext } from './protocol.ts';
import type { LearnerStatus, Preferences, RecsUpdatedEvent } from './types.ts';

export function clusterKeys(prefix: string) {
  return {
    rooms: `${prefix}:rooms`,
    recs: (roomId: string) => `${prefix}:recs:${roomId}`,
    recsChannel: `${prefix}:recs`,
    requests: `${prefix}:learner:requests`,
    reply: (node: string) => `${prefix}:learner:reply:${node}`,
    status: `${prefix}:learner:status`,
    preferences: `${prefix}:learner:preferences`,
    socketStream: `${prefix}:socket.io`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;

/** How long a room's latest recommendations outlive its last push (a closed room's key expires). */
export const RECS_TTL_S = 24 * 3600;

export type RoomUpdate = { roomId: string; ctx: RoomContext } | { roomId: string; closed: true };

/**
 * A member's declared taste changed (already stored in Postgres). Published to every learner process: each
 * learns its share of the stream but may recommend for any member.
 */
export interface PreferencesUpdate {
  userId: string;
  preferences: Preferences;
}

export interface RecsMessage {
  roomId: string;
  event: RecsUpdatedEvent;
  publishedAt: number;
}

/** The requests a learner process answers: the learner thread's, plus the registry operations it runs itself. */
export type ClusterCall =
  | Extract<Request, { kind: 'forRoom' | 'forUser' | 'compatibility' | 'preferences' }>
  | { kind: 'model:snapshot'; reason: string }
  | { kind: 'model:activate'; version: number };

export interface ClusterRequest {
  id: string;
  /** Reply channel (the asking node's). */
  replyTo: string;
  /** A request found after this wall time is dropped: its caller gave up already. */
  deadline: number;
  call: ClusterCall;
}

export type ClusterReply =
  | { id: string; ok: true; data: unknown }
  | { id: string; ok: false; error: { code: string; message: string } };

export type { LearnerStatus };
