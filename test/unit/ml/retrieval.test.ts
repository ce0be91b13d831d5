import { describe, expect, it } from 'vitest';
import { Learner } from '../../../ml/learner/learner.ts';
import { Content } from '../../../ml/models/content.ts';
import { ItemKnn } from '../../../ml/models/item-knn.ts';
import { MfBpr } from '../../../ml/models/mf-bpr.ts';
import { Popularity } from '../../../ml/models/popularity.ts';
import { SparseRows } from '../../../ml/models/shared/sparse-rows.ts';
import { TopSet } from '../../../ml/models/shared/top-set.ts';
import type { TrackFeatures } from '../../../ml/types.ts';
import { ix, twoClusters } from './fixtures.ts';

/** 400 filler tracks nobody plays, so that the shortlist is a real subset of the catalog. */
const filler = Array.from({ length: 400 }, (_, i) => `f${i}`);

function trained(): Learner {
  const l = new Learner([new Popularity(), new ItemKnn({ mode: 'cosine' }), new MfBpr({ seed: 3 })], undefined, {
    retrieve: 20,
    explore: 5,
  });
  l.addCandidates(filler);
  l.ingest(twoClusters(10).stream, { test: 'none' });
  return l;
}

describe('retrieval stage', () => {
  it('item-knn retrieves the held-out neighbour of a history', () => {
    const m = new ItemKnn({ mode: 'cosine' });
    const { stream, heldOut } = twoClusters(10);
    m.update(stream);
    const got = m.retrieve({ userId: 'a-user3' }, 5);
    expect(got).toContain(heldOut.get('a-user3'));
    expect(got.every((id) => id.startsWith('a'))).toBe(true);
  });

  it('popularity keeps an exact top set as counts change', () => {
    const p = new Popularity({ halfLifeMs: Infinity });
    p.update([ix('u', 'x'), ix('u', 'y'), ix('v', 'y')]);
    expect([...p.retrieve({ userId: 'u' }, 1)]).toEqual(['y']);
    p.update([ix('w', 'x'), ix('z', 'x')]);
    expect([...p.retrieve({ userId: 'u' }, 1)]).toEqual(['x']);
    p.update([ix('w', 'x', { type: 'dislike' }), ix('z', 'x', { type: 'dislike' })]);
    expect([...p.retrieve({ userId: 'u' }, 1)]).toEqual(['y']);
  });

  it('TopSet recomputes only when the set can change', () => {
    const c = new Float64Array([3, 1, 2, 0]);
    const t = new TopSet();
    expect([...t.top(c, 4, 2)].sort()).toEqual([0, 2]);
    c[1] = 1.5; // still below the floor (2): the cached set stays right
    t.touched(1, 1, 1.5);
    expect([...t.top(c, 4, 2)].sort()).toEqual([0, 2]);
    c[3] = 5;
    t.touched(3, 0, 5);
    expect([...t.top(c, 4, 2)].sort()).toEqual([0, 3]);
  });

  it('content retrieves the track nearest the profile, even one nobody played', () => {
    const tracks: TrackFeatures[] = [
      { id: 'loud1', features: { energy: 0.9, valence: 0.8 } },
      { id: 'loud2', features: { energy: 0.95, valence: 0.85 } },
      { id: 'calm1', features: { energy: 0.1, valence: 0.2 } },
      { id: 'calm2', features: { energy: 0.15, valence: 0.1 } },
    ];
    const m = new Content({}, tracks);
    m.update([ix('u', 'loud1')]);
    expect(m.retrieve({ userId: 'u' }, 2)).toEqual(expect.arrayContaining(['loud1', 'loud2']));
  });

  it('the shortlist holds the held-out track and skips most of the unplayed catalog', () => {
    const l = trained();
    const short = l.retrieve({ userId: 'a-user3' });
    expect(short).toContain('a3');
    expect(short.length).toBeLessThan(l.catalog().length / 2);
  });

  it('recommend without candidates agrees with explicit candidates on the top track', () => {
    const l = trained();
    const ctx = { userId: 'b-user4' };
    const two = l.recommend(ctx, 3);
    const all = l.recommend(ctx, 3, l.catalog());
    expect(l.retrieve(ctx)).toContain(all[0]?.trackId);
    expect(two[0]?.trackId).toBe(all[0]?.trackId);
    expect(two[0]?.trackId).toBe('b4'); // the held-out track of b-user4
  });

  it('explicit candidates are scored as given (no retrieval)', () => {
    const l = trained();
    const recs = l.recommend({ userId: 'a-user1' }, 5, ['f1', 'f2', 'a1']);
    expect(recs.map((r) => r.trackId)).toHaveLength(3);
    expect(recs[0]?.trackId).toBe('a1');
  });

  it('sparse rows (hashed) keep sums, lookups and a snapshot round trip', () => {
    const s = new SparseRows();
    for (let k = 0; k < 1000; k++) s.add(k % 7, (k * 37) % 501, 1);
    let total = 0;
    for (let i = 0; i < 7; i++) s.forEach(i, (_, v) => (total += v));
    expect(total).toBe(1000);
    const r = SparseRows.from(s.toJSON());
    for (let k = 0; k < 50; k++) expect(r.get(k % 7, (k * 37) % 501)).toBe(s.get(k % 7, (k * 37) % 501));
    expect(r.get(3, 100000)).toBe(0);
  });
});
