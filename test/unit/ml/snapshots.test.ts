import { describe, expect, it } from 'vitest';
import { Content } from '../../../ml/models/content.ts';
import { GroupRoom } from '../../../ml/models/group-room.ts';
import { ItemKnn } from '../../../ml/models/item-knn.ts';
import { MfBpr } from '../../../ml/models/mf-bpr.ts';
import { Popularity } from '../../../ml/models/popularity.ts';
import type { Recommender, TrackFeatures } from '../../../ml/types.ts';
import { ix, twoClusters } from './fixtures.ts';

const catalog: TrackFeatures[] = Array.from({ length: 20 }, (_, i) => ({
  id: i < 10 ? `a${i}` : `b${i - 10}`,
  genre: i < 10 ? 'pop' : 'rock',
  features: { energy: (i * 37) % 11, valence: (i * 13) % 7 },
}));

const makers: Array<[string, () => Recommender]> = [
  ['popularity', () => new Popularity()],
  ['item-knn', () => new ItemKnn()],
  ['ease', () => new ItemKnn({ mode: 'ease', refreshEvery: 50, lambda: 5 })],
  ['mf-bpr', () => new MfBpr({ dim: 8, seed: 3 })],
  ['content', () => new Content({}, catalog)],
  ['group-room', () => new GroupRoom({ dim: 8, seed: 3 })],
];

const contexts = [{ userId: 'a-user1' }, { roomId: 'r1', members: ['a-user1', 'b-user2'] }, { roomId: 'cold', members: ['b-user1'] }];
const cands = ['a0', 'a5', 'b3', 'b9', 'unknown'];

describe.each(makers)('%s snapshot', (name, make) => {
  it('restores to identical scores, and learns identically afterwards', () => {
    const { stream } = twoClusters();
    const extra = [ix('group:r1', 'b1', { roomId: 'r1', groupLevel: true, members: ['a-user1', 'b-user2'] }), ix('a-user1', 'b2', { type: 'skip' })];
    const a = make();
    a.update([...stream.slice(0, 100), ...extra]);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    expect(snap.header.model).toBe(name);
    const b = make();
    b.restore(snap);
    for (const ctx of contexts) expect(Array.from(b.score(ctx, cands))).toEqual(Array.from(a.score(ctx, cands)));
    a.update(stream.slice(100));
    b.update(stream.slice(100));
    for (const ctx of contexts) expect(Array.from(b.score(ctx, cands))).toEqual(Array.from(a.score(ctx, cands)));
  });

  it('refuses a snapshot of another model', () => {
    const other = name === 'popularity' ? new ItemKnn() : new Popularity();
    expect(() => make().restore(other.snapshot())).toThrow();
  });
});
