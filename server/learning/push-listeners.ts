/**
 * Who hears a recommendation service's pushes (metrics, the socket layer): the one listener set every
 * RecommendationService implementation keeps, in process or remote.
 */
import type { PushListener } from './types.ts';

export class PushListeners {
  private readonly set = new Set<PushListener>();

  /** RecommendationService.onPush: returns the unsubscribe. */
  add(listener: PushListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(roomId: string, latencyMs: number): void {
    for (const l of this.set) l(roomId, latencyMs);
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
