/**
 * Track lookups of queue:add and play, cached: the catalog changes rarely (an import), while every add
 * would otherwise cost a database round trip before the room's edit even starts. Entries expire so an
 * import shows within TTL_MS; unknown ids are not cached (an import may add them).
 */
import type { Track, TrackRepository } from '../../db/repositories/types.ts';

const TTL_MS = 5 * 60_000;
const MAX = 20_000;

export class TrackCache {
  private readonly entries = new Map<string, { track: Track; at: number }>();

  constructor(
    private readonly repo: Pick<TrackRepository, 'get'>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<Track | null> {
    const hit = this.entries.get(id);
    if (hit && this.now() - hit.at < TTL_MS) return hit.track;
    const track = await this.repo.get(id);
    if (!track) return null;
    if (this.entries.size >= MAX) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, { track, at: this.now() });
    return track;
  }
}
