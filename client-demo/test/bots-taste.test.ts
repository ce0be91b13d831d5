import { describe, expect, it } from 'vitest';
import { makeTastes, scoreTrack } from '../bots/taste.ts';

const genres = ['classical', 'edm', 'jazz', 'metal', 'pop', 'rock'];
const track = (genre: string, energy: number) => ({ genre, energy, valence: 0.5, danceability: 0.5, acousticness: 0.5 });

describe('bot tastes', () => {
  it('are distinct, and the same for the same seed', () => {
    const a = makeTastes(8, genres, 7);
    expect(makeTastes(8, genres, 7)).toEqual(a);
    expect(new Set(a.map((t) => t.name)).size).toBe(8);
    expect(new Set(a.map((t) => t.genres[0])).size).toBeGreaterThan(3);
  });

  it('score favourite genres and nearby features higher', () => {
    const [t] = makeTastes(1, genres, 3);
    if (!t) throw new Error('no taste');
    const fav = t.genres[0] ?? 'pop';
    const other = genres.find((g) => !t.genres.includes(g)) ?? 'pop';
    expect(scoreTrack(t, track(fav, t.target.energy))).toBeGreaterThan(scoreTrack(t, track(other, t.target.energy)));
    expect(scoreTrack(t, track(fav, t.target.energy))).toBeGreaterThanOrEqual(scoreTrack(t, track(fav, 1 - t.target.energy)));
  });
});
