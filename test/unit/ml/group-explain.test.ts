import { describe, expect, it } from 'vitest';
import { contributions, explain, featureCloseness, joinNames, reasonSentence, sentenceWithTop, topOfColumns, weightShares } from '../../../ml/group/explain.ts';

describe('contributions', () => {
  it('normalises the weights and ranks models by their part of the score', () => {
    const c = contributions({ 'item-knn': 0.9, popularity: 0.2, neumf: 0.5 }, { 'item-knn': 2, popularity: 1, neumf: 1 });
    expect(c.map((x) => x.model)).toEqual(['item-knn', 'neumf', 'popularity']);
    expect(c[0]?.weight).toBeCloseTo(0.5, 6);
    expect(c[0]?.contribution).toBeCloseTo(0.45, 6);
    expect(c.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 6);
  });
});

describe('explain', () => {
  const base = { trackId: 't1', modelScores: { 'item-knn': 0.9, popularity: 0.3 }, weights: { 'item-knn': 1, popularity: 1 } };

  it('mentions the members who liked it', () => {
    const e = explain({ ...base, likedBy: ['Ana', 'Bo'] });
    expect(e.sentence).toMatch(/^Liked by Ana and Bo/);
    expect(e.reasons[0]?.kind).toBe('liked-by');
  });

  it('names the members who favour the genre when nobody liked the track itself', () => {
    const e = explain({ trackId: 't', modelScores: { a: 1 }, weights: { a: 1 }, genreFans: { names: ['Ana', 'Bo'], genre: 'jazz' } });
    expect(e.sentence.startsWith('Ana and Bo are into jazz')).toBe(true);
    const liked = explain({ trackId: 't', modelScores: {}, weights: {}, likedBy: ['Cy'], genreFans: { names: ['Ana'], genre: 'jazz' } });
    expect(liked.sentence).not.toContain('into jazz');
  });

  it('says it matches the room’s energy when the features are close', () => {
    const e = explain(
      { ...base, likedBy: ['Ana', 'Bo'], features: { energy: 0.8, danceability: 0.7, tempo: 124 }, roomProfile: { energy: 0.78, danceability: 0.72, tempo: 120 } },
      { audience: 'room' },
    );
    expect(e.sentence).toBe("Liked by Ana and Bo, and matches the room's energy.");
    const far = explain({ ...base, features: { energy: 0.1 }, roomProfile: { energy: 0.9 } });
    expect(far.reasons.some((r) => r.kind === 'room-energy')).toBe(false);
  });

  it('falls back on popularity, play history and the top model', () => {
    expect(explain({ ...base, popularity: 0.95 }).sentence).toMatch(/popular right now/i);
    expect(explain({ ...base, becauseYouPlayed: 'Levitating' }).sentence).toMatch(/^Because you played Levitating/);
    expect(explain(base).sentence).toBe("Goes with what you've played.");
    expect(explain(base, { audience: 'room' }).sentence).toBe("Goes with what's been playing.");
    expect(explain({ trackId: 'x', modelScores: {}, weights: {} }).sentence).toBe('Recommended for you.');
  });

  it('joins names readably', () => {
    expect(joinNames(['Ana'])).toBe('Ana');
    expect(joinNames(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo and Cy');
    expect(joinNames(['Ana', 'Bo', 'Cy', 'Di', 'Ed'])).toBe('Ana, Bo and 3 others');
    expect(explain({ ...base, likedBy: ['Ana', 'Bo'], likedSimilar: true }).sentence).toMatch(/^Similar to what Ana and Bo liked/);
  });

  it('measures feature closeness on comparable scales', () => {
    expect(featureCloseness({ energy: 0.5, tempo: 120 }, { energy: 0.5, tempo: 120 })).toBe(1);
    expect(featureCloseness({ energy: 0.5 }, { valence: 0.5 })).toBeUndefined();
    expect(featureCloseness({ tempo: 100 }, { tempo: 125 })).toBeCloseTo(0.9, 6);
  });
});

describe('reasonSentence', () => {
  it('is explain().sentence, and so is the list path, on inputs of every kind (ties, negative and missing weights, NaN scores)', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const models = ['popularity', 'item-knn', 'mf-bpr', 'neumf', 'content', 'group-room'];
    for (let n = 0; n < 500; n++) {
      const weights: Record<string, number> = {};
      const modelScores: Record<string, number> = {};
      for (const m of models) {
        if (rnd() < 0.8) weights[m] = rnd() < 0.1 ? -rnd() : rnd() < 0.2 ? 0.5 : rnd();
        if (rnd() < 0.8) modelScores[m] = rnd() < 0.05 ? Number.NaN : rnd() < 0.2 ? 0.5 : rnd();
      }
      const input = {
        trackId: `t${n}`,
        modelScores,
        weights,
        ...(rnd() < 0.3 ? { likedBy: ['Ana', 'Bo'].slice(0, 1 + Math.floor(rnd() * 2)) } : {}),
        ...(rnd() < 0.3 ? { genreFans: { names: ['Cy'], genre: 'jazz' } } : {}),
        ...(rnd() < 0.5 ? { popularity: rnd() } : {}),
      };
      // The list path (weights normalised once, scores read from columns) says the same.
      const shares = weightShares(weights);
      const cols = shares.models.map((m) => [modelScores[m] ?? Number.NaN]);
      const { modelScores: _s, weights: _w, ...evidence } = input;
      for (const audience of ['room', 'user'] as const) {
        expect(reasonSentence(input, { audience })).toBe(explain(input, { audience }).sentence);
        expect(sentenceWithTop(evidence, topOfColumns(shares, cols, 0), { audience })).toBe(explain(input, { audience }).sentence);
      }
    }
  });
});
