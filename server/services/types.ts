/**
 * The room service orchestrates one edit: per-room serialisation → domain transition → durable commit
 * → cache → broadcast → interaction log. It is the only writer of room state. HTTP and socket
 * transports both call it.
 */
import type { Interaction } from '../../ml/types.ts';
import type { RoomSnapshot, RoomState } from '../rooms/types.ts';

export interface RoomSummary {
  roomId: string;
  code: string;
  name: string;
  memberCount: number;
  nowPlaying: { trackId: string; status: 'playing' | 'paused'; positionMs: number; at: number } | null;
}

export interface RoomService {
  /** Creates a room with the given user as host; returns its id and code. */
  createRoom(host: { userId: string; displayName: string }, name: string): Promise<{ roomId: string; code: string }>;
  summaryByCode(code: string): Promise<RoomSummary | null>;
  snapshotByCode(code: string): Promise<RoomSnapshot | null>;
  /** Current in-memory (or store) state; null when unknown or closed. */
  get(roomId: string): Promise<RoomState | null>;
  openRoomCount(): number;
  close(): Promise<void>;
}

/** Interaction log seam: in-process queue by default, Redis Stream at scale. */
export interface InteractionLog {
  readonly kind: 'memory' | 'redis';
  /** Resolves once the records are accepted by the log (after they were stored in the database). */
  publish(records: readonly Interaction[]): Promise<void>;
  /** Register a consumer; returns an unsubscribe function. */
  subscribe(handler: (records: readonly Interaction[]) => void | Promise<void>): () => void;
  /** Resolves once everything published so far reached this process's subscribers (when it can tell). */
  drain?(): Promise<void>;
  close(): Promise<void>;
}
