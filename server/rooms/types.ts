/**
 * Room domain types. Pure data: no socket.io, no SQL. The wire snapshot shape (issue 2 §6) is built
 * from RoomState by toSnapshot() in snapshot.ts.
 */

export type Role = 'host' | 'member';
export type QueueMode = 'fifo' | 'votes' | 'round-robin';
export type PlaybackStatus = 'playing' | 'paused' | 'idle';

export interface RoomSettings {
  guestControls: boolean;
  queueMode: QueueMode;
  /** Fraction of connected members whose skip votes skip the track. */
  skipThreshold: number;
  maxQueuedPerMember: number;
  maxMembers: number;
  autoplay: boolean;
  /** How the room's recommendations weigh its members (ml/group/strategies.ts). */
  strategy: 'average' | 'least-misery' | 'most-pleasure' | 'fair';
  mood?: string | undefined;
  activity?: string | undefined;
}

export const DEFAULT_SETTINGS: RoomSettings = {
  guestControls: false,
  queueMode: 'fifo',
  skipThreshold: 0.5,
  maxQueuedPerMember: 10,
  maxMembers: 500,
  autoplay: true,
  strategy: 'fair',
};

export interface Member {
  userId: string;
  displayName: string;
  role: Role;
  connected: boolean;
  joinedAt: number;
  /** When the member last dropped; null while connected. */
  disconnectedAt: number | null;
  banned: boolean;
}

export interface QueueItem {
  id: string;
  trackId: string;
  addedBy: string;
  addedAt: number;
  durationMs: number;
  /** userId → -1 | 1 (a 0 vote removes the entry). */
  votes: Record<string, -1 | 1>;
  /** Added by autoplay rather than a member. */
  autofill: boolean;
}

/** The position was positionMs at server time `at` (ms since epoch). */
export interface Playback {
  trackId: string | null;
  status: PlaybackStatus;
  positionMs: number;
  at: number;
  durationMs: number | null;
  /**
   * Who picked the current track: the member who queued it, or the controller who played it directly by
   * trackId. Null for autofill (and idle). `complete` interactions and round-robin fairness use it.
   */
  addedBy: string | null;
  autofill: boolean;
}

export interface RoomState {
  id: string;
  code: string;
  name: string;
  version: number;
  hostId: string;
  createdAt: number;
  closedAt: number | null;
  members: Member[];
  queue: QueueItem[];
  playback: Playback;
  settings: RoomSettings;
  /** userIds who voted to skip the current track. */
  skipVotes: string[];
  /**
   * userId → when a track they picked last started playing. Round-robin puts whoever played least
   * recently first. Optional so states stored before it existed still load (missing = nobody played:
   * the rotation falls back to the order of each adder's first queued item).
   */
  lastPlayedAt: Record<string, number>;
}

/** What changed, so the transport knows which events to broadcast. */
export type RoomChange =
  | 'members'
  | 'queue'
  | 'playback'
  | 'host'
  | 'settings'
  | 'skipVotes';

/** An interaction the domain wants recorded (the transport turns it into an Interaction with ids). */
export interface DomainInteraction {
  userId: string;
  trackId: string;
  type: 'play' | 'complete' | 'skip' | 'like' | 'dislike' | 'queue_add' | 'vote_up' | 'vote_down' | 'skip_vote';
}

export interface RoomEventRecord {
  type: string; // command name, e.g. 'queue:add'
  actorId: string | null;
  payload: unknown;
}

/** Result of applying one command: the new state (version +1 when anything changed). */
export interface Transition<T = unknown> {
  room: RoomState;
  changes: RoomChange[];
  interactions: DomainInteraction[];
  event: RoomEventRecord;
  result: T;
}

/** Wire snapshot (fixed by issue 2 §6). */
export interface RoomSnapshot {
  roomId: string;
  code: string;
  name: string;
  version: number;
  hostId: string;
  members: { userId: string; displayName: string; role: Role; connected: boolean }[];
  queue: WireQueueItem[];
  playback: WirePlayback;
  settings: RoomSettings;
  skipVotes: { count: number; needed: number };
}

export interface WireQueueItem {
  id: string;
  trackId: string;
  addedBy: string;
  votes: number;
  score: number;
  autofill: boolean;
}

export interface WirePlayback {
  trackId: string | null;
  status: PlaybackStatus;
  positionMs: number;
  at: number;
  durationMs: number | null;
}
