/**
 * The learning seam as the rest of the server sees it: recommendations, compatibility, preferences and
 * the model registry. The default implementation runs the ml/ Learner in a worker thread of this process
 * (learning-service.ts); the scale-out one reads the interaction stream in `npm run learner` processes.
 * Transports (socket handlers, Hono routes, /metrics) only ever talk to this interface.
 */
import type { RecItem, RecsUpdatedEvent, WireStrategy } from '../transport/socket/events.ts';

export type { RecItem, RecsUpdatedEvent, WireStrategy };

/** What a member declared about their taste (cold start; POST /api/preferences/update). */
export interface Preferences {
  genres?: string[] | undefined;
  artists?: string[] | undefined;
  mood?: string | undefined;
  activity?: string | undefined;
}

export interface CompatibilityResult {
  a: string;
  b: string;
  /** 0..100 */
  score: number;
  parts: { artists: number | null; genres: number | null; features: number | null };
  reasons: { sharedArtists: string[]; sharedGenres: string[]; features: { name: string; a: number; b: number }[] };
  sentence: string;
}

/** One entry of the model registry: a stored snapshot of every model and the ensemble. */
export interface ModelVersionInfo {
  version: number;
  createdAt: number;
  /** Interactions the learner had learned when the snapshot was taken. */
  interactions: number;
  /** Prequential HR@10 per model and for 'ensemble' at snapshot time. */
  metrics: Record<string, number>;
  /** Ensemble's global weights at snapshot time. */
  weights: Record<string, number>;
  /** The version the live learner descends from (exactly one, or none before the first snapshot). */
  active: boolean;
  /** Why it was taken: 'interval' | 'shutdown' | 'manual'. */
  reason: string;
  bytes: number;
}

/** Live learner figures for /metrics and GET /api/models. */
export interface LearnerStatus {
  /** Interactions handed to the learner vs learned (equal when it has caught up). */
  received: number;
  learned: number;
  /** received − learned */
  lag: number;
  /** Age in ms of the oldest interaction not learned yet (0 when caught up). */
  lagMs: number;
  /** Prequential HR@10 per model and for 'ensemble' over everything learned so far (null before any test). */
  hitRate: Record<string, number | null>;
  /** Global ensemble weights. */
  weights: Record<string, number>;
  modelVersion: string;
  backend: string;
}

/** Hears every push: the room, and ms from the interaction's storing to the push (-1 when unknown). */
export type PushListener = (roomId: string, latencyMs: number) => void;

export interface RecommendationService {
  /** The room's current group recommendations (computed now when none is cached). */
  forRoom(roomId: string, opts?: { k?: number | undefined; strategy?: WireStrategy | undefined }): Promise<RecsUpdatedEvent>;
  /** The latest pushed recommendations of a room, without waiting (undefined before the first). */
  cached(roomId: string): RecsUpdatedEvent | undefined;
  forUser(userId: string, k: number): Promise<RecItem[]>;
  compatibility(a: string, b: string): Promise<CompatibilityResult>;
  /** Stores the preferences durably, then tells the learner. Returns the merged preferences. */
  setPreferences(userId: string, prefs: Preferences): Promise<Preferences>;
  /** Registry versions, newest first. */
  models(): Promise<ModelVersionInfo[]>;
  /** Roll the live learner back (or forward) to a stored version; NOT_FOUND when there is none. */
  activate(version: number): Promise<ModelVersionInfo>;
  /** Take a snapshot now. */
  snapshot(reason: string): Promise<ModelVersionInfo>;
  status(): LearnerStatus;
  /** Called for every push: latency bookkeeping for /metrics (ms from the interaction's storage to the emit). */
  onPush(listener: PushListener): () => void;
  close(): Promise<void>;
}
