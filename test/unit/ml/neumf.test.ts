import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../ml/backend.ts';
import { NeuMF } from '../../../ml/models/neumf.ts';
import type { NeuMFOptions } from '../../../ml/models/neumf.ts';
import type { Interaction, InteractionType } from '../../../ml/types.ts';

// Two taste clusters: users a0..a9 like tracks A0..A14, users b0..b9 like B0..B14.
const A = Array.from({ length: 15 }, (_, i) => `A${i}`);
const B = Array.from({ length: 15 }, (_, i) => `B${i}`);
const CANDIDATES = [...A, ...B];
const SMALL: NeuMFOptions = { entityCapacity: 128, itemCapacity: 256, batchSize: 64, trainEvery: 16, seed: 7 };

let nextId = 0;
function ev(userId: string, trackId: string, roomId: string | null = null, type: InteractionType = 'like'): Interaction {
  return { id: `i${nextId++}`, userId, roomId, trackId, type, context: { hour: 20, weekday: 5 }, createdAt: nextId };
}

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function clusterStream(perUser = 10, seed = 3): Interaction[] {
  const r = rng(seed);
  const out: Interaction[] = [];
  for (let k = 0; k < perUser; k++) {
    for (let u = 0; u < 10; u++) {
      out.push(ev(`a${u}`, A[Math.floor(r() * A.length)] ?? 'A0'));
      out.push(ev(`b${u}`, B[Math.floor(r() * B.length)] ?? 'B0'));
    }
  }
  return out;
}

const mean = (a: Float32Array, from: number, to: number): number => a.slice(from, to).reduce((x, y) => x + y, 0) / (to - from);
/** Share of (own-cluster item, other-cluster item) pairs ranked the right way round. */
function pairAccuracy(scores: Float32Array, ownFirst: boolean): number {
  let ok = 0;
  for (let i = 0; i < 15; i++) {
    for (let j = 15; j < 30; j++) {
      const [own, other] = ownFirst ? [scores[i] ?? 0, scores[j] ?? 0] : [scores[j] ?? 0, scores[i] ?? 0];
      if (own > other) ok++;
    }
  }
  return ok / 225;
}

describe('NeuMF', () => {
  let model: NeuMF;

  beforeAll(async () => {
    await initBackend({ log: () => {}, env: {} });
    model = await NeuMF.create(SMALL);
    await model.fit(clusterStream(), 25);
  });

  afterAll(() => model.dispose());

  it('ranks a user’s own cluster above the other after mini-batch training', () => {
    let total = 0;
    for (let u = 0; u < 10; u++) {
      for (const cluster of ['a', 'b']) {
        const s = model.score({ userId: `${cluster}${u}` }, CANDIDATES);
        const [own, other] = cluster === 'a' ? [mean(s, 0, 15), mean(s, 15, 30)] : [mean(s, 15, 30), mean(s, 0, 15)];
        expect(own).toBeGreaterThan(other + 0.15);
        const acc = pairAccuracy(s, cluster === 'a');
        expect(acc).toBeGreaterThan(0.85);
        total += acc;
      }
    }
    expect(total / 20).toBeGreaterThan(0.95);
  });

  it('learns a new user online from the replay buffer', () => {
    const stream: Interaction[] = [];
    for (let k = 0; k < 40; k++) stream.push(ev('newbie', B[k % 15] ?? 'B0'));
    for (const e of stream) model.update([e]);
    expect(pairAccuracy(model.score({ userId: 'newbie' }, CANDIDATES), false)).toBeGreaterThan(0.85);
  });

  it('scores a room without history by its averaged members, and a room with history as itself', () => {
    const byMembers = model.score({ roomId: 'fresh-room', members: ['a1', 'a2', 'a3'] }, CANDIDATES);
    expect(pairAccuracy(byMembers, true)).toBeGreaterThan(0.85);
    // The A-cluster members play B tracks together in one room: the room learns B, the members stay A.
    for (let k = 0; k < 60; k++) model.update([ev(`a${1 + (k % 3)}`, B[k % 15] ?? 'B0', 'party')]);
    const room = model.score({ roomId: 'party', members: ['a1', 'a2', 'a3'] }, CANDIDATES);
    expect(pairAccuracy(room, false)).toBeGreaterThan(0.85);
  });

  it('gives unknown candidates the mean score and unknown users the average entity', () => {
    const s = model.score({ userId: 'a0' }, ['A0', 'never-seen', 'B0']);
    expect(s[1]).toBeCloseTo(((s[0] ?? 0) + (s[2] ?? 0)) / 2, 5);
    const anon = model.score({ userId: 'nobody' }, CANDIDATES);
    expect(anon.every((x) => x > 0 && x < 1)).toBe(true);
    expect(model.score({}, [])).toHaveLength(0);
  });

  it('matches the textbook layers model (Embedding lookups) for a single entity', () => {
    const row = model.rowOf('entity', 'u:a0');
    const rows = Int32Array.from(CANDIDATES.map((c) => model.rowOf('item', c) ?? 0));
    expect(row).toBeDefined();
    const viaLayers = model.predictRows(row ?? 0, rows);
    const viaScore = model.score({ userId: 'a0' }, CANDIDATES);
    for (let i = 0; i < CANDIDATES.length; i++) expect(viaScore[i]).toBeCloseTo(viaLayers[i] ?? 0, 5);
  });

  it('scores a shortlist in TypeScript exactly as the tfjs head scores a whole catalog', () => {
    const many = Array.from({ length: 2100 }, (_, i) => CANDIDATES[i % CANDIDATES.length] as string);
    const viaTf = model.score({ userId: 'a0' }, many); // past the TypeScript path's limit
    const viaJs = model.score({ userId: 'a0' }, CANDIDATES);
    for (let i = 0; i < CANDIDATES.length; i++) expect(viaJs[i]).toBeCloseTo(viaTf[i] ?? 0, 5);
    // Again for another entity, now from the items' cached half of the first layer.
    const otherTf = model.score({ userId: 'b3' }, many);
    const otherJs = model.score({ userId: 'b3' }, [...CANDIDATES].reverse());
    for (let i = 0; i < CANDIDATES.length; i++) expect(otherJs[CANDIDATES.length - 1 - i]).toBeCloseTo(otherTf[i] ?? 0, 5);
  });

  it('snapshot → restore (through JSON) gives identical scores', async () => {
    const snap = JSON.parse(JSON.stringify(model.snapshot())) as ReturnType<NeuMF['snapshot']>;
    expect(snap.header).toMatchObject({ model: 'neumf', version: 1 });
    expect(snap.header.interactions).toBeGreaterThan(0);
    const copy = await NeuMF.fromSnapshot(snap);
    const other = await NeuMF.create({ ...SMALL, seed: 99 });
    other.restore(snap);
    try {
      for (const ctx of [{ userId: 'a0' }, { userId: 'b3' }, { roomId: 'party' }, { members: ['a1', 'b1'] }, { userId: 'nobody' }]) {
        const want = model.score(ctx, CANDIDATES);
        expect(Array.from(copy.score(ctx, CANDIDATES))).toEqual(Array.from(want));
        expect(Array.from(other.score(ctx, CANDIDATES))).toEqual(Array.from(want));
      }
      // A restored model keeps learning.
      copy.update(clusterStream(2, 11));
    } finally {
      copy.dispose();
      other.dispose();
    }
  });

  it('refuses a snapshot of another architecture or model', async () => {
    const other = await NeuMF.create({ ...SMALL, gmfDim: 8 });
    try {
      expect(() => other.restore(model.snapshot())).toThrow(/gmfDim/);
      expect(() => other.restore({ header: { model: 'popularity', version: 1, createdAt: 0, interactions: 0 }, data: {} })).toThrow(/not a NeuMF/);
    } finally {
      other.dispose();
    }
  });

  it('keeps tf.memory().numTensors flat across thousands of updates and scores', () => {
    const r = rng(5);
    const users = ['a0', 'a1', 'b0', 'b1', 'c0'];
    const step = (k: number): void => {
      const user = users[k % users.length] ?? 'a0';
      const track = CANDIDATES[Math.floor(r() * CANDIDATES.length)] ?? 'A0';
      const types: InteractionType[] = ['play', 'like', 'skip', 'complete', 'dislike'];
      model.update([ev(user, track, k % 3 === 0 ? 'room-m' : null, types[k % types.length])]);
      if (k % 10 === 0) model.score(k % 20 === 0 ? { roomId: 'room-m', members: users } : { userId: user }, CANDIDATES);
      if (k % 250 === 0) model.score({ userId: user }, [...CANDIDATES, `new-${k}`]);
    };
    for (let k = 0; k < 200; k++) step(k); // warm-up: optimizer slots and the candidate cache exist afterwards
    const before = tf.memory().numTensors;
    for (let k = 200; k < 4200; k++) step(k);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps working past its capacity by sharing hashed rows', async () => {
    const tiny = await NeuMF.create({ ...SMALL, entityCapacity: 8, itemCapacity: 16, trainEvery: 8 });
    try {
      const evs: Interaction[] = [];
      for (let u = 0; u < 40; u++) for (let t = 0; t < 5; t++) evs.push(ev(`user${u}`, `track${(u * 7 + t) % 50}`));
      tiny.update(evs);
      const s = tiny.score({ userId: 'user39' }, ['track1', 'track49', 'track-unknown']);
      expect(s.every((x) => Number.isFinite(x) && x > 0 && x < 1)).toBe(true);
      expect(tiny.stats()).toMatchObject({ entities: 7, items: 16 - 1 });
    } finally {
      tiny.dispose();
    }
  });

  it('frees every tensor on dispose', async () => {
    const before = tf.memory().numTensors;
    const m = await NeuMF.create(SMALL);
    m.update(clusterStream(2));
    m.score({ userId: 'a0' }, CANDIDATES);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.score({ userId: 'a0' }, CANDIDATES)).toThrow(/dispose/);
  });
});

describe('NeuMF credit', () => {
  it('credits a group-level interaction to the room only', async () => {
    await initBackend({ log: () => {}, env: {} });
    const m = await NeuMF.create(SMALL);
    try {
      m.update([{ ...ev('alice', 'A1', 'room-x'), groupLevel: true }, ev('bob', 'A2', 'room-x'), ev('carol', 'A3')]);
      expect(m.rowOf('entity', 'u:alice')).toBeUndefined();
      expect(m.rowOf('entity', 'u:bob')).toBeDefined();
      expect(m.rowOf('entity', 'r:room-x')).toBeDefined();
      expect(m.stats()).toMatchObject({ entities: 3, items: 3, interactions: 3, replay: 4 });
    } finally {
      m.dispose();
    }
  });
});

describe('NeuMF deferred steps', () => {
  it('leaves a due step to catchUp(), and trains from update() once DEFER_LIMIT steps are due', async () => {
    await initBackend({ log: () => {}, env: {} });
    const { DEFER_LIMIT } = await import('../../../ml/models/neumf.ts');
    const m = await NeuMF.create({ ...SMALL, trainEvery: 8, deferSteps: true });
    try {
      const stream = clusterStream(10);
      m.update(stream.slice(0, 7));
      expect(m.catchUp()).toBe(false);
      m.update(stream.slice(7, 8 * 3));
      expect(m.stats().steps).toBe(0);
      expect(m.catchUp()).toBe(true);
      expect(m.stats().steps).toBe(1);
      // One step takes everything that was due.
      expect(m.catchUp()).toBe(false);
      m.update(stream.slice(24, 24 + 8 * DEFER_LIMIT));
      expect(m.stats().steps).toBe(2);
      expect(m.catchUp()).toBe(false);
    } finally {
      m.dispose();
    }
  });

  it('trains in update() as before when not deferring', async () => {
    const m = await NeuMF.create({ ...SMALL, trainEvery: 8 });
    try {
      m.update(clusterStream(10).slice(0, 24));
      expect(m.stats().steps).toBe(3);
      expect(m.catchUp()).toBe(false);
    } finally {
      m.dispose();
    }
  });
});

describe('NeuMF shortlist scores between steps', () => {
  it('gives the same numbers until a step, new ones after it, and never shares its arrays', async () => {
    await initBackend({ log: () => {}, env: {} });
    const m = await NeuMF.create({ ...SMALL, trainEvery: 8, deferSteps: true });
    try {
      m.update(clusterStream(10));
      while (m.catchUp());
      const room = { hour: 20, weekday: 5, roomId: 'r1', members: ['a1', 'a2'] };
      const first = m.score(room, CANDIDATES);
      first.fill(-1); // a caller may reuse its array: the next answer must not change
      const second = m.score(room, CANDIDATES);
      expect([...second].every((x) => x > 0 && x < 1)).toBe(true);
      expect(m.score(room, CANDIDATES)).toEqual(second);
      // Other members are another question (no room history yet: the members' average).
      expect(m.score({ ...room, members: ['b1', 'b2'] }, CANDIDATES)).not.toEqual(second);
      const steps = m.stats().steps;
      m.update(clusterStream(1, 9)); // known users and tracks; two steps due, deferred
      expect(m.stats().steps).toBe(steps);
      expect(m.score(room, CANDIDATES)).toEqual(second); // learned from, but no step yet
      expect(m.catchUp()).toBe(true);
      expect(m.score(room, CANDIDATES)).not.toEqual(second);
    } finally {
      m.dispose();
    }
  });
});

describe('createNeuMF', () => {
  it('initialises a backend when none was chosen, then builds the model', async () => {
    const { createNeuMF } = await import('../../../ml/models/neumf-factory.ts');
    const { activeBackend } = await import('../../../ml/backend.ts');
    const m = await createNeuMF(SMALL, { log: () => {}, env: {} });
    try {
      expect(activeBackend()?.name).toBe('wasm');
      expect(m.score({ userId: 'x' }, ['a'])).toHaveLength(1);
    } finally {
      m.dispose();
    }
  });
});
