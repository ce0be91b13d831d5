import { describe, expect, it } from 'vitest';
import { patternFor, type TrackTraits } from '../src/synth-pattern.ts';

const base: TrackTraits = { id: 't1', genre: 'pop', tempo: 120, energy: 0.5, valence: 0.6, danceability: 0.6, acousticness: 0.2 };

describe('synth pattern', () => {
  it('takes the step length from the tempo (folding extremes into range)', () => {
    expect(patternFor(base).stepMs).toBeCloseTo(125);
    expect(patternFor({ ...base, tempo: 240 }).stepMs).toBeCloseTo(125);
    expect(patternFor({ ...base, tempo: 50 }).stepMs).toBeCloseTo(150);
  });

  it('is deterministic for a track and loops every 64 steps', () => {
    const a = patternFor(base);
    const b = patternFor({ ...base });
    for (let s = 0; s < 64; s++) {
      expect(a.notesAt(s)).toEqual(b.notesAt(s));
      expect(a.notesAt(s)).toEqual(a.notesAt(s + 64));
    }
  });

  it('plays denser and brighter with more energy; genre shapes the groove', () => {
    const count = (t: TrackTraits) => Array.from({ length: 64 }, (_, s) => patternFor(t).notesAt(s).length).reduce((x, y) => x + y);
    expect(count({ ...base, energy: 0.9 })).toBeGreaterThan(count({ ...base, energy: 0.2 }));
    expect(patternFor({ ...base, energy: 0.9 }).brightness).toBeGreaterThan(patternFor({ ...base, energy: 0.2 }).brightness);
    const kicks = (genre: string) => Array.from({ length: 16 }, (_, s) => patternFor({ ...base, genre }).notesAt(s)).flat().filter((n) => n.instrument === 'kick').length;
    expect(kicks('edm')).toBeGreaterThan(kicks('pop'));
    expect(kicks('ambient')).toBe(0);
  });
});
