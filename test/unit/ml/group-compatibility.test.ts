import { describe, expect, it } from 'vitest';
import { compatibility } from '../../../ml/group/compatibility.ts';
import type { TrackFeatures } from '../../../ml/types.ts';

// A small catalog: a pop/dance corner and a metal corner, with audio features that tell them apart.
function catalog(): Map<string, TrackFeatures> {
  const m = new Map<string, TrackFeatures>();
  const add = (id: string, artist: string, genre: string, energy: number, danceability: number, acousticness: number): void =>
    void m.set(id, { id, artist, genre, features: { energy, danceability, acousticness, tempo: 100 + energy * 60 } });
  add('p1', 'Dua Lipa', 'pop', 0.8, 0.85, 0.1);
  add('p2', 'Dua Lipa', 'pop', 0.75, 0.8, 0.12);
  add('p3', 'The Weeknd', 'pop', 0.7, 0.75, 0.15);
  add('p4', 'Calvin Harris', 'edm', 0.9, 0.8, 0.05);
  add('p5', 'Ed Sheeran', 'pop', 0.6, 0.7, 0.3);
  add('m1', 'Metallica', 'metal', 0.98, 0.3, 0.01);
  add('m2', 'Slayer', 'metal', 0.99, 0.25, 0.0);
  add('m3', 'Opeth', 'metal', 0.85, 0.2, 0.2);
  add('f1', 'Nick Drake', 'folk', 0.2, 0.4, 0.95);
  add('f2', 'Joni Mitchell', 'folk', 0.25, 0.45, 0.9);
  return m;
}

describe('compatibility', () => {
  const tracks = catalog();

  it('is about 100 for identical histories, with the reasons', () => {
    const h = ['p1', 'p2', 'p3', 'p4'];
    const c = compatibility(h, h, tracks, { names: ['Ana', 'Bo'] });
    expect(c.score).toBeGreaterThanOrEqual(99);
    expect(c.reasons.sharedArtists).toEqual(['Dua Lipa', 'Calvin Harris', 'The Weeknd']);
    expect(c.reasons.sharedGenres).toEqual(['pop', 'edm']);
    expect(c.reasons.features).toHaveLength(3);
    expect(c.reasons.features[0]?.a).toBe(c.reasons.features[0]?.b);
    expect(c.sentence).toMatch(/^100% taste match: Ana and Bo both play Dua Lipa/);
  });

  it('is low for disjoint histories', () => {
    const c = compatibility(['p1', 'p2', 'p4'], ['m1', 'm2', 'm3'], tracks);
    expect(c.score).toBeLessThan(20);
    expect(c.reasons.sharedArtists).toEqual([]);
    expect(c.reasons.sharedGenres).toEqual([]);
    expect(c.parts.artists).toBe(0);
    expect(c.parts.genres).toBe(0);
  });

  it('ranks a partial overlap between the two', () => {
    const ana = ['p1', 'p2', 'p3', 'p5'];
    const close = compatibility(ana, ['p1', 'p3', 'p4', 'm1'], tracks).score;
    const far = compatibility(ana, ['f1', 'f2', 'm2'], tracks).score;
    expect(close).toBeGreaterThan(40);
    expect(close).toBeLessThan(99);
    expect(close).toBeGreaterThan(far);
  });

  it('weights history entries and tolerates unknown tracks and missing metadata', () => {
    const weighted = compatibility([{ trackId: 'p1', weight: 10 }, 'm1', 'nope'], ['p2'], tracks);
    expect(weighted.reasons.sharedArtists).toEqual(['Dua Lipa']);
    const bare = new Map<string, TrackFeatures>([['x', { id: 'x', artist: 'A' }]]);
    const c = compatibility(['x'], ['x'], (id) => bare.get(id));
    expect(c.score).toBe(100);
    expect(c.parts).toEqual({ artists: 1, genres: null, features: null });
    expect(compatibility([], [], tracks).score).toBe(0);
  });
});
