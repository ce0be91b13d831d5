/** The learner's view of the catalog: lookup by id, and the most popular tracks per genre and artist. */
import type { TrackFeatures } from '../../ml/types.ts';
import type { CatalogEntry } from './protocol.ts';

const PER_KEY = 50;

export class CatalogIndex {
  private readonly byId = new Map<string, CatalogEntry>();
  private byGenre = new Map<string, string[]>();
  private byArtist = new Map<string, string[]>();

  constructor(tracks: readonly CatalogEntry[] = []) {
    this.add(tracks);
  }

  add(tracks: readonly CatalogEntry[]): void {
    for (const t of tracks) this.byId.set(t.id, t);
    const group = (key: (t: CatalogEntry) => string): Map<string, string[]> => {
      const m = new Map<string, CatalogEntry[]>();
      for (const t of this.byId.values()) {
        const k = key(t).toLowerCase();
        const list = m.get(k) ?? [];
        list.push(t);
        m.set(k, list);
      }
      return new Map(
        [...m].map(([k, list]) => [k, list.sort((a, b) => b.popularity - a.popularity).slice(0, PER_KEY).map((t) => t.id)]),
      );
    };
    this.byGenre = group((t) => t.genre);
    this.byArtist = group((t) => t.artist);
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Popular tracks of a genre / an artist (case-insensitive), most popular first. */
  ofGenre(genre: string): readonly string[] {
    return this.byGenre.get(genre.toLowerCase()) ?? [];
  }

  ofArtist(artist: string): readonly string[] {
    return this.byArtist.get(artist.toLowerCase()) ?? [];
  }

  features(): TrackFeatures[] {
    return [...this.byId.values()].map((t) => ({ id: t.id, artist: t.artist, genre: t.genre, features: t.features }));
  }
}
