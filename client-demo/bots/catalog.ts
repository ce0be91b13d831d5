/** The slice of the catalog the bots know: a pool per genre, plus lookups for tracks others queue. */
import type { Track } from '../../db/repositories/types.ts';

export class BotCatalog {
  readonly byId = new Map<string, Track>();
  genres: string[] = [];

  constructor(private readonly url: string) {}

  async load(perGenre = 80): Promise<void> {
    const res = await fetch(`${this.url}/api/tracks/genres`);
    if (!res.ok) throw new Error(`GET /api/tracks/genres: HTTP ${res.status}`);
    const { genres } = (await res.json()) as { genres: { genre: string; count: number }[] };
    this.genres = genres.filter((g) => g.count > 0).map((g) => g.genre).sort();
    if (this.genres.length === 0) throw new Error('the catalog is empty');
    await Promise.all(
      this.genres.map(async (genre) => {
        const r = await fetch(`${this.url}/api/tracks?${new URLSearchParams({ genre, limit: String(perGenre) })}`);
        if (!r.ok) return;
        for (const t of ((await r.json()) as { tracks: Track[] }).tracks) this.byId.set(t.id, t);
      }),
    );
  }

  async get(id: string): Promise<Track | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const r = await fetch(`${this.url}/api/tracks/${encodeURIComponent(id)}`);
    if (!r.ok) return undefined;
    const t = (await r.json()) as Track;
    this.byId.set(t.id, t);
    return t;
  }

  all(): Track[] {
    return [...this.byId.values()];
  }
}
