/**
 * The socket.io event maps shared with clients (client-demo imports this file). Names and shapes are
 * fixed by issue 2 §6 and documented in docs/protocol.md. Type-only imports keep this file free of
 * server runtime code so a browser bundle can use it.
 */
import type { Server } from 'socket.io';
import type { ErrorCode } from '../../errors.ts';
import type {
  Role,
  RoomSettings,
  RoomSnapshot,
  WirePlayback,
  WireQueueItem,
} from '../../rooms/types.ts';

export type { ErrorCode, Role, RoomSettings, RoomSnapshot, WirePlayback, WireQueueItem };

/** Every client event is acknowledged with exactly one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T> = (res: Ack<T>) => void;

export interface WireMember {
  userId: string;
  displayName: string;
  role: Role;
  connected: boolean;
}

export interface SkipVotes {
  count: number;
  needed: number;
}

// ── client → server payloads ────────────────────────────────────────────────
export type Empty = Record<string, never>;
export interface RoomJoinPayload { code: string }
export interface QueueAddPayload { trackId: string }
export interface QueueRemovePayload { itemId: string }
export interface QueueMovePayload { itemId: string; toIndex: number }
export interface QueueVotePayload { itemId: string; value: -1 | 0 | 1 }
export interface PlaybackPlayPayload { trackId?: string }
export interface PlaybackSeekPayload { positionMs: number }
export interface TrackReactPayload { trackId: string; reaction: 'like' | 'dislike' }
export type RoomSettingsPayload = Partial<RoomSettings>;
export interface MemberKickPayload { userId: string; ban?: boolean }
export interface HostTransferPayload { userId: string }
export interface TimeSyncPayload { t0: number }

// ── ack data ────────────────────────────────────────────────────────────────
/** Edits that change the room answer with the version they produced (the broadcasts carry the same). */
export interface VersionData { version: number }
export interface QueueAddData { item: WireQueueItem; version: number }
export interface PlaybackData { version: number; playback: WirePlayback }
export interface SkipVoteData { version: number; skipVotes: SkipVotes; skipped: boolean }
/** t1 = server receive time, t2 = server send time (ms since epoch). */
export interface TimeSyncData { t0: number; t1: number; t2: number }
/** A reaction answers with the ids of the interactions it stored: a later recs:updated lists them in `learned`. */
export interface ReactData { version: number; interactionIds: string[] }

export interface ClientToServerEvents {
  'room:join': (payload: RoomJoinPayload, ack: AckFn<RoomSnapshot>) => void;
  'room:leave': (payload: Empty, ack: AckFn<VersionData>) => void;
  'room:sync': (payload: Empty, ack: AckFn<RoomSnapshot>) => void;
  'queue:add': (payload: QueueAddPayload, ack: AckFn<QueueAddData>) => void;
  'queue:remove': (payload: QueueRemovePayload, ack: AckFn<VersionData>) => void;
  'queue:move': (payload: QueueMovePayload, ack: AckFn<VersionData>) => void;
  'queue:vote': (payload: QueueVotePayload, ack: AckFn<VersionData>) => void;
  'playback:play': (payload: PlaybackPlayPayload, ack: AckFn<PlaybackData>) => void;
  'playback:pause': (payload: Empty, ack: AckFn<PlaybackData>) => void;
  'playback:seek': (payload: PlaybackSeekPayload, ack: AckFn<PlaybackData>) => void;
  'playback:skip': (payload: Empty, ack: AckFn<PlaybackData>) => void;
  'skip:vote': (payload: Empty, ack: AckFn<SkipVoteData>) => void;
  'track:react': (payload: TrackReactPayload, ack: AckFn<ReactData>) => void;
  'room:settings': (payload: RoomSettingsPayload, ack: AckFn<{ version: number; settings: RoomSettings }>) => void;
  'member:kick': (payload: MemberKickPayload, ack: AckFn<VersionData>) => void;
  'host:transfer': (payload: HostTransferPayload, ack: AckFn<VersionData>) => void;
  'time:sync': (payload: TimeSyncPayload, ack: AckFn<TimeSyncData>) => void;
}

export type ClientEventName = keyof ClientToServerEvents;

// ── server → client ─────────────────────────────────────────────────────────
export interface RoomMembersEvent { version: number; members: WireMember[] }
export interface QueueUpdatedEvent { version: number; queue: WireQueueItem[] }
export interface PlaybackUpdatedEvent { version: number; playback: WirePlayback }
export interface HostChangedEvent { version: number; hostId: string }
export interface SkipUpdatedEvent { version: number; skipVotes: SkipVotes }
export interface MemberKickedEvent { roomId: string; ban: boolean }

/** Group aggregation strategy of a room's recommendations (ml/group/strategies.ts). */
export type WireStrategy = 'average' | 'least-misery' | 'most-pleasure' | 'fair';

/** One recommended track, with why and how much each model contributed to its score. */
export interface RecItem {
  trackId: string;
  title: string;
  artist: string;
  genre: string;
  durationMs: number;
  /** Group score, 0..1 (higher is better). */
  score: number;
  /** One human sentence: "Alex and Sam like Jazz", "New in the catalog", … */
  reason: string;
  /** Each model's share of the ensemble score (sums to about the score). */
  contributions: Record<string, number>;
}

/**
 * A room's group recommendations, pushed after the learner learned from the room's interactions (bursts
 * are coalesced) and sent to a member on join.
 */
export interface RecsUpdatedEvent {
  /** Room version the recommendations were computed against. */
  version: number;
  /** `<registry version>.<interactions learned since it>`: changes whenever the models learned. */
  modelVersion: string;
  strategy: WireStrategy;
  items: RecItem[];
  /** Ensemble weights this room is served with (sum 1). */
  weights: Record<string, number>;
  /** 0..1: how evenly the list serves the connected members (1 = equally). */
  harmony: number;
  members: { userId: string; satisfaction: number }[];
  /** Ids of this room's interactions learned since its previous push (at most 100; empty on join). */
  learned: string[];
  /** Server time (ms since epoch) the list was computed. */
  at: number;
}

/** Broadcasts to everyone in a room; each carries the room version that produced it. */
export interface RoomBroadcastEvents {
  'room:members': (e: RoomMembersEvent) => void;
  'queue:updated': (e: QueueUpdatedEvent) => void;
  'playback:updated': (e: PlaybackUpdatedEvent) => void;
  'host:changed': (e: HostChangedEvent) => void;
  /** Whole state: sent on settings changes and whenever a change has no narrower event. */
  'room:snapshot': (e: RoomSnapshot) => void;
  /** Beyond the list: skip-vote progress for the current track. */
  'skip:updated': (e: SkipUpdatedEvent) => void;
  /** Fresh group recommendations (issue 4). */
  'recs:updated': (e: RecsUpdatedEvent) => void;
}

export interface ServerToClientEvents extends RoomBroadcastEvents {
  /** Sent only to the sockets of a removed member; they are taken out of the room. */
  'member:kicked': (e: MemberKickedEvent) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  displayName: string;
  /** The room this socket has joined (one at a time). */
  roomId?: string | undefined;
}

export type ChorusServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
