/**
 * TEST DOUBLE of the learning seam (server/learning/types.ts) for transport tests: canned answers kept
 * in memory, every call recorded, pushes fired by hand. It learns nothing; the end-to-end suites run the
 * real learner.
 */
import { AppError } from '../../server/errors.ts';
import { PushListeners } from '../../server/learning/push-listeners.ts';
import type {
  CompatibilityResult,
  LearnerStatus,
  ModelVersionInfo,
  Preferences,
  PushListener,
  RecItem,
  RecommendationService,
  RecsUpdatedEvent,
  WireStrategy,
} from '../../server/learning/types.ts';

export const fakeItem = (i: number): RecItem => ({
  trackId: `t${i + 1}`,
  title: `Track t${i + 1}`,
  artist: `Artist ${(i % 4) + 1}`,
  genre: 'jazz',
  durationMs: 180_000,
  score: 1 / (i + 1),
  reason: 'Popular right now',
  contributions: { popularity: 0.5 / (i + 1), mf: 0.5 / (i + 1) },
});

export class FakeRecommendationService implements RecommendationService {
  /** Every call, in order: [method, ...args]. */
  readonly calls: unknown[][] = [];
  readonly preferences = new Map<string, Preferences>();
  versions: ModelVersionInfo[] = [1, 2].map((v) => this.version(v, v === 2, 'interval'));
  status_: LearnerStatus = {
    received: 120,
    learned: 100,
    lag: 20,
    lagMs: 1500,
    hitRate: { popularity: 0.12, mf: 0.2, ensemble: 0.25, neumf: null },
    weights: { popularity: 0.4, mf: 0.6 },
    modelVersion: '2.100',
    backend: 'cpu',
  };
  private readonly listeners = new PushListeners();

  private version(version: number, active: boolean, reason: string): ModelVersionInfo {
    return { version, createdAt: 1_700_000_000_000 + version, interactions: version * 50, metrics: { ensemble: 0.2 }, weights: { mf: 1 }, active, reason, bytes: 1024 };
  }

  async forRoom(roomId: string, opts: { k?: number | undefined; strategy?: WireStrategy | undefined } = {}): Promise<RecsUpdatedEvent> {
    this.calls.push(['forRoom', roomId, opts]);
    const k = opts.k ?? 10;
    return {
      version: 3,
      modelVersion: this.status_.modelVersion,
      strategy: opts.strategy ?? 'fair',
      items: Array.from({ length: k }, (_, i) => fakeItem(i)),
      weights: this.status_.weights,
      harmony: 0.9,
      members: [],
      learned: [],
      at: Date.now(),
    };
  }

  cached(): RecsUpdatedEvent | undefined {
    return undefined;
  }

  async forUser(userId: string, k: number): Promise<RecItem[]> {
    this.calls.push(['forUser', userId, k]);
    return Array.from({ length: k }, (_, i) => fakeItem(i));
  }

  async compatibility(a: string, b: string): Promise<CompatibilityResult> {
    this.calls.push(['compatibility', a, b]);
    return {
      a,
      b,
      score: 72,
      parts: { artists: 0.5, genres: 0.8, features: null },
      reasons: { sharedArtists: ['Artist 1'], sharedGenres: ['jazz'], features: [] },
      sentence: 'You both like jazz',
    };
  }

  async setPreferences(userId: string, prefs: Preferences): Promise<Preferences> {
    this.calls.push(['setPreferences', userId, prefs]);
    const merged = { ...this.preferences.get(userId), ...prefs };
    this.preferences.set(userId, merged);
    return merged;
  }

  async models(): Promise<ModelVersionInfo[]> {
    return [...this.versions].sort((x, y) => y.version - x.version);
  }

  async activate(version: number): Promise<ModelVersionInfo> {
    this.calls.push(['activate', version]);
    const found = this.versions.find((v) => v.version === version);
    if (!found) throw new AppError('NOT_FOUND', `no model version ${version}`);
    for (const v of this.versions) v.active = v === found;
    return found;
  }

  async snapshot(reason: string): Promise<ModelVersionInfo> {
    this.calls.push(['snapshot', reason]);
    const next = this.version(Math.max(0, ...this.versions.map((v) => v.version)) + 1, false, reason);
    this.versions.push(next);
    return next;
  }

  status(): LearnerStatus {
    return this.status_;
  }

  onPush(listener: PushListener): () => void {
    return this.listeners.add(listener);
  }

  /** Simulates the service emitting recommendations `latencyMs` after the interaction was stored. */
  push(roomId: string, latencyMs: number): void {
    this.listeners.emit(roomId, latencyMs);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
