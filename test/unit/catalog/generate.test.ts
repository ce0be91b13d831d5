import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../server/catalog/generate.ts';
import { DURATION_RANGE_MS, FEATURE_RANGES } from '../../../server/catalog/genres.ts';
import { mulberry32 } from '../../../server/catalog/prng.ts';

describe('generateCatalog', () => {
  const catalog = generateCatalog();

  it('has 5,000 tracks over at least 8 genres with stable, unique ids', () => {
    expect(catalog).toHaveLength(5000);
    expect(new Set(catalog.map((t) => t.genre)).size).toBeGreaterThanOrEqual(8);
    expect(catalog[0]?.id).toBe('gen_000001');
    expect(catalog[4999]?.id).toBe('gen_005000');
    expect(new Set(catalog.map((t) => t.id)).size).toBe(5000);
  });

  it('is deterministic for a seed, and a smaller catalog is a prefix of a larger one', () => {
    expect(generateCatalog(5000, 42)).toEqual(catalog);
    expect(generateCatalog(123, 42)).toEqual(catalog.slice(0, 123));
    expect(generateCatalog(50, 43)).not.toEqual(catalog.slice(0, 50));
  });

  it('keeps every feature, duration and popularity in its valid range', () => {
    // Collected, not asserted one by one: 75,000 expect() calls would dominate the run time.
    const bad: string[] = [];
    const check = (id: string, what: string, x: number | null, lo: number, hi: number) => {
      if (x === null || !Number.isFinite(x) || x < lo || x > hi) bad.push(`${id} ${what}=${x}`);
    };
    for (const t of catalog) {
      for (const [feature, [lo, hi]] of Object.entries(FEATURE_RANGES)) {
        check(t.id, feature, t[feature as keyof typeof FEATURE_RANGES], lo, hi);
      }
      check(t.id, 'durationMs', t.durationMs, ...DURATION_RANGE_MS);
      check(t.id, 'popularity', t.popularity, 0, 100);
      if (!Number.isInteger(t.durationMs) || !Number.isInteger(t.popularity)) bad.push(`${t.id} not an integer`);
      if (!t.title.trim() || !t.artist.trim()) bad.push(`${t.id} blank title or artist`);
    }
    expect(bad).toEqual([]);
  });

  it('gives genres distinct sounds (classical is more acoustic and quieter than metal)', () => {
    const mean = (genre: string, f: 'acousticness' | 'loudness' | 'energy') => {
      const xs = catalog.filter((t) => t.genre === genre).map((t) => t[f]);
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    };
    expect(mean('classical', 'acousticness')).toBeGreaterThan(mean('metal', 'acousticness') + 0.5);
    expect(mean('classical', 'loudness')).toBeLessThan(mean('metal', 'loudness') - 8);
    expect(mean('metal', 'energy')).toBeGreaterThan(mean('ambient', 'energy') + 0.5);
  });

  it('groups tracks by artist, as a real catalog does', () => {
    const artists = new Set(catalog.map((t) => t.artist));
    expect(artists.size).toBeGreaterThan(200);
    expect(artists.size).toBeLessThan(2500);
    // One artist, one genre.
    const genresOf = new Map<string, Set<string>>();
    for (const t of catalog) genresOf.set(t.artist, (genresOf.get(t.artist) ?? new Set()).add(t.genre));
    expect([...genresOf.values()].filter((g) => g.size > 1)).toEqual([]);
  });
});

describe('mulberry32', () => {
  it('is reproducible and roughly uniform', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
