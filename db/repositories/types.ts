/**
 * The repository seam: written once against drizzle's shared pg types, used by PGlite and postgres.js.
 * Every method that mutates commits before it resolves: the caller acks only after it resolves.
 */
import type { Interaction } from '../../ml/types.ts';
import type { RoomEventRecord, RoomState } from '../../server/rooms/types.ts';

export interface User {
  id: string;
  displayName: string;
  createdAt: number;
  /** Declared preferences (cold start); filled by a later issue. */
  preferences: Record<string, unknown>;
}

export interface AudioFeatures {
  danceability: number;
  energy: number;
  valence: number;
  tempo: number;
  acousticness: number;
  instrumentalness: number;
  speechiness: number;
  liveness: number;
  loudness: number;
}

export interface Track extends AudioFeatures {
  id: string;
  title: string;
  artist: string;
  genre: string;
  durationMs: number;
  popularity: number | null;
}

export interface TrackSearch {
  q?: string | undefined;
  genre?: string | undefined;
  limit: number;
}

export interface UserRepository {
  create(displayName: string): Promise<User>;
  get(id: string): Promise<User | null>;
  /** Replace a user's preferences; false when the user does not exist. */
  setPreferences(id: string, preferences: Record<string, unknown>): Promise<boolean>;
  /** Preferences of every user that declared any (for the learner at start). */
  allPreferences(): Promise<{ id: string; preferences: Record<string, unknown> }[]>;
}

export interface TrackRepository {
  count(): Promise<number>;
  /**
   * All-or-nothing insert (one transaction). Existing ids are updated. Returns the number of distinct
   * ids written; onProgress is called after each chunk (for the importer's progress bar).
   */
  insertMany(
    tracks: readonly Track[],
    opts?: { onProgress?: ((done: number, total: number) => void) | undefined },
  ): Promise<number>;
  get(id: string): Promise<Track | null>;
  getMany(ids: readonly string[]): Promise<Track[]>;
  /** The whole catalog in id order, a page at a time (keyset: pass the last id of the previous page). */
  page(afterId: string | null, limit: number): Promise<Track[]>;
  search(query: TrackSearch): Promise<Track[]>;
  genres(): Promise<{ genre: string; count: number }[]>;
}

export interface RoomRepository {
  /** Insert a new room (version 1) with its host member; CONFLICT if the code is taken. */
  create(room: RoomState): Promise<void>;
  /**
   * Persist a transition atomically: room row (optimistic check on prevVersion), members, queue,
   * playback, one room event and the interactions the edit caused (idempotent by id), so an acknowledged
   * edit never exists without its interactions. Throws AppError('CONFLICT') when the stored version is
   * not prevVersion.
   */
  save(
    room: RoomState,
    prevVersion: number,
    event: RoomEventRecord,
    interactions?: readonly Interaction[],
    opts?: SaveOptions,
  ): Promise<void>;
  load(id: string): Promise<RoomState | null>;
  loadByCode(code: string): Promise<RoomState | null>;
  /** Rooms not closed, for restoring at start. */
  listOpen(): Promise<RoomState[]>;
}

/** `outbox: true` also queues the interactions in interaction_outbox, in the same transaction. */
export interface SaveOptions extends OutboxOption {
  /**
   * What the transition changed (the domain's RoomChange list): child tables it did not touch are not
   * rewritten. Omitted: everything is written.
   */
  changed?: readonly string[] | undefined;
}

export interface OutboxOption {
  outbox?: boolean | undefined;
}

export interface InteractionRepository {
  /** Append; ids already stored are ignored (idempotent). Returns how many were new. */
  append(records: readonly Interaction[], opts?: OutboxOption): Promise<number>;
  count(filter?: { roomId?: string }): Promise<number>;
  /**
   * In id-stable creation order, for replay into the learner. `after` is how many records of this
   * filtered stream the caller has already read (the log is append-only, so that count is a stable cursor).
   * `createdFrom` (ms): only records stored at or after it (no index: a rare recovery read, not a hot path).
   */
  list(opts: { roomId?: string; userId?: string; createdFrom?: number; after?: number; limit: number }): Promise<Interaction[]>;
}

export interface StoredModelInfo {
  version: number;
  createdAt: number;
  reason: string;
  interactions: number;
  cursor: number;
  metrics: Record<string, number>;
  weights: Record<string, number>;
  active: boolean;
  bytes: number;
}
export interface StoredModel extends StoredModelInfo {
  data: Uint8Array;
}

/** The model registry: snapshots of the learner, one of them active. */
export interface ModelRepository {
  /** Store a snapshot as the new active version. */
  insert(m: Omit<StoredModel, 'version' | 'active' | 'bytes'>): Promise<StoredModelInfo>;
  /** Newest first. */
  list(limit: number): Promise<StoredModelInfo[]>;
  get(version: number): Promise<StoredModel | null>;
  active(): Promise<StoredModel | null>;
  /** Make a version the active one, resuming the stream at `cursor`; null when the version is unknown. */
  activate(version: number, cursor: number): Promise<StoredModelInfo | null>;
  /** Delete all but the newest `keep` versions (never the active one); returns how many went. */
  prune(keep: number): Promise<number>;
  count(): Promise<number>;
}

/** Interactions stored but not yet known to be in the stream (cluster mode). */
export interface OutboxRepository {
  /**
   * Takes up to `limit` entries queued before `before` (ms) — skipping rows another node is relaying —
   * hands their interactions to `publish`, and deletes them only if it resolved. Returns how many went.
   */
  relay(before: number, limit: number, publish: (records: Interaction[]) => Promise<void>): Promise<number>;
  /** Published on the hot path: dequeue. */
  remove(interactionIds: readonly string[]): Promise<void>;
  count(): Promise<number>;
}

export interface Repositories {
  users: UserRepository;
  tracks: TrackRepository;
  rooms: RoomRepository;
  interactions: InteractionRepository;
  models: ModelRepository;
  outbox: OutboxRepository;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  repos: Repositories;
  /** Cheap liveness probe (SELECT 1). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * A single-connection database (PGlite in its thread): resolves once no call is in flight. Group
   * commit waits for it, so appends that arrive while a room save runs join one statement instead of
   * queueing one each. Absent where a pool serves calls side by side (Postgres).
   */
  idle?(): Promise<void>;
}
