/**
 * Messages between the server's event loop and the learner worker (worker_threads). Plain data only:
 * everything here crosses postMessage (structured clone), so no classes and no functions.
 */
import type { Interaction } from '../../ml/types.ts';
import type { CompatibilityResult, LearnerStatus, Preferences, RecItem, RecsUpdatedEvent, WireStrategy } from './types.ts';

/** A catalog track as the learner needs it (content features, and what a RecItem shows). */
export interface CatalogEntry {
  id: string;
  title: string;
  artist: string;
  genre: string;
  durationMs: number;
  popularity: number;
  features: Record<string, number>;
}

/** What the learner must know about an open room to recommend for it. */
export interface RoomContext {
  roomId: string;
  version: number;
  /** Connected, not banned members. */
  members: { userId: string; displayName: string }[];
  strategy: WireStrategy;
  mood?: string | undefined;
  activity?: string | undefined;
  /** Tracks queued or playing now: never recommended back. */
  queued: string[];
  current: string | null;
}

export interface LearnerInit {
  seed: number;
  catalog: CatalogEntry[];
  preferences: { userId: string; preferences: Preferences }[];
  /** gzip'd learner snapshot to start from, and the registry version it is. */
  snapshot?: { version: number; data: Uint8Array; cursor: number } | undefined;
  /** Models to leave out (tests use a light set); default: the registry's DEFAULT_MODELS. */
  models?: string[] | undefined;
  /** Items per recs:updated. */
  k: number;
  /** Prequential test of one in this many positive interactions (all are learned from). */
  testEvery?: number | undefined;
  /** Nice value of the learner thread (thread-priority.ts); 0 or unset: unchanged. */
  nice?: number | undefined;
}

export type Request =
  | { kind: 'forRoom'; roomId: string; k: number; strategy?: WireStrategy | undefined }
  | { kind: 'forUser'; userId: string; k: number }
  | { kind: 'compatibility'; a: string; b: string }
  | { kind: 'preferences'; userId: string; preferences: Preferences }
  | { kind: 'snapshot' }
  | { kind: 'restore'; version: number; data: Uint8Array; cursor: number }
  | { kind: 'rebase'; version: number }
  | { kind: 'catalog'; tracks: CatalogEntry[] }
  | { kind: 'drain' };

export interface SnapshotResult {
  data: Uint8Array;
  /** Interactions the models have learned in all (across restarts). */
  interactions: number;
  /** Interactions learned by this process (the snapshot schedule counts these). */
  learnedInProcess: number;
  cursor: number;
  metrics: Record<string, number>;
  weights: Record<string, number>;
}

export type ResponseData =
  | RecsUpdatedEvent
  | RecItem[]
  | CompatibilityResult
  | SnapshotResult
  | null;

export type ToWorker =
  | { type: 'init'; init: LearnerInit }
  | { type: 'interactions'; records: Interaction[]; publishedAt: number }
  | { type: 'room'; room: RoomContext }
  | { type: 'room:closed'; roomId: string }
  | { type: 'request'; id: number; request: Request };

export type FromWorker =
  | { type: 'ready'; backend: string; nice: number | null }
  /**
   * `event` as JSON: a string crosses threads as one copy, and JSON.parse on the socket thread costs about
   * a third of structured clone's deserialisation of the same ~4 KB of small objects (docs/performance.md).
   * What members receive is JSON anyway, so nothing is lost on the way.
   */
  | { type: 'recs'; roomId: string; event: string; publishedAt: number }
  /** `at`: the thread's wall clock (timeOrigin + now) when the figures were taken. */
  | { type: 'status'; status: LearnerStatus; at: number }
  | { type: 'response'; id: number; ok: true; data: ResponseData }
  | { type: 'response'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'fatal'; message: string };
