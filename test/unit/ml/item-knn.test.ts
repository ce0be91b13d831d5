import { describe, expect, it } from 'vitest';
import { EASE_SLICE_MS, ItemKnn } from '../../../ml/models/item-knn.ts';
import { ix, twoClusters } from './fixtures.ts';

describe('ItemKnn', () => {
  it('recommends what co-occurs with the history (cosine)', () => {
    const m = new ItemKnn();
    const { stream, heldOut } = twoClusters();
    m.update(stream);
    for (const [user, held] of heldOut) {
      const other = held.startsWith('a') ? 'b0' : 'a0';
      const s = m.score({ userId: user }, [held, other]);
      expect(s[0]).toBeGreaterThan(s[1] as number);
    }
  });

  it('does not score a track from itself', () => {
    const m = new ItemKnn();
    m.update([ix('u', 'x'), ix('u', 'y'), ix('v', 'z')]);
    // u's history is x and y; x's only neighbour is y, so x scores from y only, z from nothing.
    const s = m.score({ userId: 'u' }, ['x', 'z']);
    expect(s[1]).toBe(0);
    expect(s[0]).toBeGreaterThan(0);
  });

  it('scores a room from its own history, and a cold room from its members', () => {
    const m = new ItemKnn();
    const { stream } = twoClusters();
    m.update(stream);
    m.update([ix('group:g', 'b1', { roomId: 'g', groupLevel: true, members: ['a-user1'] })]);
    const own = m.score({ roomId: 'g', members: ['a-user1'] }, ['a2', 'b2']);
    expect(own[1]).toBeGreaterThan(own[0] as number); // the room chose b1; its member's taste is ignored
    const cold = m.score({ roomId: 'new-room', members: ['a-user1', 'a-user2'] }, ['a3', 'b3']);
    expect(cold[0]).toBeGreaterThan(cold[1] as number);
  });

  it('group-level interactions do not enter the acting user id history', () => {
    const m = new ItemKnn();
    m.update([ix('alice', 'x'), ix('alice', 'y'), ix('bob', 'z'), ix('bob', 'w')]);
    m.update([ix('alice', 'z', { roomId: 'r', groupLevel: true })]);
    const s = m.score({ userId: 'alice' }, ['w']);
    expect(s[0]).toBe(0); // z is not in alice's history, so w (z's neighbour) gets nothing
  });

  it('gives the same scores in dense and sparse storage', () => {
    const dense = new ItemKnn();
    const sparse = new ItemKnn({ denseMax: 4 }); // switches to sparse rows once a 5th item appears
    const { stream } = twoClusters();
    dense.update(stream);
    sparse.update(stream);
    const cands = ['a1', 'a5', 'b2', 'b9', 'zz'];
    expect(Array.from(sparse.score({ userId: 'b-user3' }, cands))).toEqual(Array.from(dense.score({ userId: 'b-user3' }, cands)));
  });

  it('EASE mode, after a refresh, prefers each user held-out track to the other cluster', () => {
    const m = new ItemKnn({ mode: 'ease', lambda: 1, refreshEvery: 1_000_000 });
    const { stream, heldOut } = twoClusters();
    m.update(stream);
    m.refresh();
    for (const [user, held] of heldOut) {
      const other = held.startsWith('a') ? 'b4' : 'a4';
      const s = m.score({ userId: user }, [held, other]);
      expect(s[0]).toBeGreaterThan(s[1] as number);
    }
  });

  it('EASE mode with deferRefresh: the due refresh waits for catchUp(), which computes it in slices', () => {
    const { stream } = twoClusters();
    const half = Math.floor(stream.length / 2);
    const ease = (m: ItemKnn) => (m as unknown as { ease: { b: Float32Array } | null }).ease;
    const m = new ItemKnn({ mode: 'ease', lambda: 1, refreshEvery: half, deferRefresh: true });
    m.update(stream.slice(0, half - 1));
    expect(m.catchUp()).toBe(false);
    // Due, and past twice as many updates: still never computed inline (an inverse can take seconds).
    m.update(stream.slice(half - 1));
    expect(ease(m)).toBeNull();
    let slices = 0;
    while (ease(m) === null) {
      expect(m.catchUp()).toBe(true);
      slices++;
    }
    expect(slices).toBeGreaterThanOrEqual(1);
    expect(m.catchUp()).toBe(false);
    // The same weights as a refresh in one piece.
    const once = new ItemKnn({ mode: 'ease', lambda: 1, refreshEvery: 1_000_000 });
    once.update(stream);
    once.refresh();
    expect(Array.from(ease(m)?.b ?? [])).toEqual(Array.from(ease(once)?.b ?? []));
  });

  it('EASE slices stay short on a catalog whose inverse takes far longer, and the next refresh waits', () => {
    // 1,200 items that co-occur in overlapping baskets: one inverse is hundreds of milliseconds.
    const m = new ItemKnn({ mode: 'ease', lambda: 1, refreshEvery: 1, deferRefresh: true });
    const xs = [];
    for (let u = 0; u < 400; u++) for (let k = 0; k < 6; k++) xs.push(ix(`u${u}`, `t${(u * 3 + k) % 1200}`));
    m.update(xs);
    const ease = (): unknown => (m as unknown as { ease: unknown }).ease;
    let longest = 0;
    let slices = 0;
    let total = 0;
    while (ease() === null) {
      const t = performance.now();
      expect(m.catchUp()).toBe(true);
      const d = performance.now() - t;
      longest = Math.max(longest, d);
      total += d;
      slices++;
    }
    expect(slices).toBeGreaterThan(10);
    // One slice is EASE_SLICE_MS plus at most one row: far below the whole (a loaded CI machine gets slack).
    expect(longest).toBeLessThan(Math.max(EASE_SLICE_MS * 10, total / 5));
    // Due again at once, but its work was recent: not before EASE_SHARE of the time allows.
    m.update([ix('u0', 't5')]);
    expect(m.catchUp()).toBe(false);
  });
});
