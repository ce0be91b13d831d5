/**
 * The ML contract (ARCHITECTURE.md §4). ml/ never imports server code; the server imports these types.
 * Ids are strings everywhere: data sets with integer ids are read as strings.
 */

export const INTERACTION_TYPES = [
  'play',
  'complete',
  'skip',
  'like',
  'dislike',
  'queue_add',
  'vote_up',
  'vote_down',
  'skip_vote',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface InteractionContext {
  hour: number; // 0..23, server local time of the interaction
  weekday: number; // 0 = Sunday .. 6
  mood?: string | undefined;
  activity?: string | undefined;
}

/** One event of the stream, exactly as the server stores it (append-only, unique id). */
export interface Interaction {
  id: string;
  userId: string;
  roomId: string | null; // null for interactions outside any room (e.g. evaluation user rows)
  trackId: string;
  type: InteractionType;
  context: InteractionContext;
  createdAt: number; // ms since epoch
  /** Optional strength (ratings or counts in data sets); default 1. */
  weight?: number;
  /** Room members present when it happened; models use them for member-aware room scoring. */
  members?: readonly string[] | undefined;
  /**
   * True when the room acted as a whole (a vote outcome, a data set's group row): models credit the room,
   * not `userId`'s own history.
   */
  groupLevel?: boolean | undefined;
}

/** Implicit feedback signal of each type: > 0 positive, < 0 negative. */
export const SIGNAL: Record<InteractionType, number> = {
  play: 0.3,
  complete: 1,
  skip: -0.5,
  like: 1.5,
  dislike: -1.5,
  queue_add: 1,
  vote_up: 0.8,
  vote_down: -0.8,
  skip_vote: -0.6,
};

/** Who is asking: one user, or a room with its members. */
export interface ScoringContext {
  userId?: string | undefined;
  roomId?: string | undefined;
  members?: readonly string[] | undefined;
  hour?: number | undefined;
  weekday?: number | undefined;
  mood?: string | undefined;
  activity?: string | undefined;
  now?: number | undefined;
}

/** Track metadata the content model and explanations use. */
export interface TrackFeatures {
  id: string;
  artist?: string | undefined;
  genre?: string | undefined;
  tags?: readonly string[] | undefined;
  /** danceability, energy, valence, tempo, acousticness, instrumentalness, speechiness, liveness, loudness */
  features?: Readonly<Record<string, number>> | undefined;
}

export interface SnapshotHeader {
  model: string;
  version: number; // format version of the model's snapshot
  createdAt: number;
  interactions: number; // how many interactions the model had learned when snapshotted
}

export interface ModelSnapshot {
  header: SnapshotHeader;
  data: unknown; // JSON-serialisable
}

/** Every model: score candidates for a context, learn from interactions, snapshot and restore. */
export interface Recommender {
  readonly name: string;
  score(context: ScoringContext, candidates: readonly string[]): Float32Array;
  update(interactions: readonly Interaction[]): void;
  snapshot(): ModelSnapshot;
  restore(snapshot: ModelSnapshot): void;
  /** Optional: recompute derived state (e.g. a closed-form refresh); the learner calls it when idle. */
  refresh?(): void;
  /**
   * Optional: run periodic work that update() found due but deferred (a model built to defer, e.g.
   * NeuMF's training step or the EASE refresh). The live learner calls it when it has nothing else to
   * do, so such work never holds up a push; a model that is never given the time runs it from update()
   * once it is far overdue. Returns whether anything ran.
   */
  catchUp?(): boolean;
  /**
   * Optional: up to n promising track ids for a context, found without scoring the whole catalog (the
   * learner's retrieval stage: recommend() ranks the union of these lists instead of every track).
   * Recall matters, order does not; it must cost far less than score() over the catalog.
   */
  retrieve?(context: ScoringContext, n: number): readonly string[];
  /** Optional: track metadata for models that use it (content); ids are added to the candidate pool. */
  setCatalog?(tracks: readonly TrackFeatures[]): void;
}
