import { describe, expect, it } from 'vitest';
import { Ensemble } from '../../../ml/ensemble/ensemble.ts';
import { createLearner } from '../../../ml/learner/create-learner.ts';
import { Learner } from '../../../ml/learner/learner.ts';
import { ItemKnn } from '../../../ml/models/item-knn.ts';
import { MfBpr } from '../../../ml/models/mf-bpr.ts';
import { Popularity } from '../../../ml/models/popularity.ts';
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../../../ml/types.ts';
import { ix, twoClusters } from './fixtures.ts';

/** Records the order of calls; scores 1 for tracks it has learned, 0 otherwise. */
class Spy implements Recommender {
  readonly calls: string[] = [];
  private learned = new Set<string>();
  constructor(readonly name: string) {}
  score(_c: ScoringContext, candidates: readonly string[]): Float32Array {
    this.calls.push(`score:${candidates[0]}`);
    return Float32Array.from(candidates, (c) => (this.learned.has(c) ? 1 : 0));
  }
  update(xs: readonly Interaction[]): void {
    for (const x of xs) {
      this.calls.push(`update:${x.trackId}`);
      this.learned.add(x.trackId);
    }
  }
  snapshot(): ModelSnapshot {
    return { header: { model: this.name, version: 1, createdAt: 0, interactions: 0 }, data: [...this.learned] };
  }
  restore(s: ModelSnapshot): void {
    this.learned = new Set(s.data as string[]);
  }
}

/** Always ranks the true track first by knowing the future: the "better model" of the Hedge test. */
class Oracle implements Recommender {
  readonly name = 'oracle';
  next = '';
  score(_c: ScoringContext, candidates: readonly string[]): Float32Array {
    return Float32Array.from(candidates, (c) => (c === this.next ? 1 : 0));
  }
  update(): void {}
  snapshot(): ModelSnapshot {
    return { header: { model: this.name, version: 1, createdAt: 0, interactions: 0 }, data: null };
  }
  restore(): void {}
}

class Noise implements Recommender {
  readonly name = 'noise';
  private i = 0;
  score(_c: ScoringContext, candidates: readonly string[]): Float32Array {
    return Float32Array.from(candidates, () => ((this.i = (this.i * 1103515245 + 12345) % 2147483648) / 2147483648));
  }
  update(): void {}
  snapshot(): ModelSnapshot {
    return { header: { model: this.name, version: 1, createdAt: 0, interactions: 0 }, data: null };
  }
  restore(): void {}
}

const defaultModels = (): Recommender[] => [new Popularity(), new ItemKnn(), new MfBpr({ dim: 8, seed: 2 })];

describe('Learner', () => {
  it('tests each interaction before any model learns from it', () => {
    const spy = new Spy('spy');
    const learner = new Learner([spy], undefined, { negatives: 5 });
    learner.ingest([ix('u', 'x'), ix('u', 'y')]);
    learner.ingest([ix('u', 'x'), ix('v', 'y')]);
    // The first sightings of x and y are not tested (not candidates yet); repeats are, before the update.
    expect(spy.calls).toEqual(['update:x', 'update:y', 'score:x', 'update:x', 'score:y', 'update:y']);
    const m = learner.metrics();
    expect(m.tests).toBe(2);
    // When tested, the model had already learned x and y from the first batch: two hits.
    expect(m.overall['spy']?.hits).toBe(2);
  });

  it('moves ensemble weight toward the better model', () => {
    const oracle = new Oracle();
    const learner = new Learner([new Noise(), oracle], undefined, { negatives: 20 });
    const tracks = Array.from({ length: 30 }, (_, i) => `t${i}`);
    learner.ingest(tracks.map((t) => ix('warmup', t)));
    for (let i = 0; i < 200; i++) {
      const x = ix(`u${i % 7}`, tracks[(i * 7) % 30] as string);
      oracle.next = x.trackId;
      learner.ingest([x]);
    }
    const w = learner.weights({ userId: 'u1' });
    expect(w['oracle']).toBeGreaterThan(0.9);
    expect(w['noise']).toBeGreaterThan(0); // exploration floor
    const m = learner.metrics();
    expect(m.overall['ensemble']!.hits / m.overall['ensemble']!.tests).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed', () => {
    const run = (): unknown => {
      const l = new Learner(defaultModels(), undefined, { seed: 9, negatives: 10 });
      l.ingest(twoClusters().stream);
      return [l.metrics().overall, l.recommend({ userId: 'a-user2' }, 5)];
    };
    expect(run()).toEqual(run());
  });

  it('recommend returns the top k with per-model contributions', () => {
    const models = defaultModels();
    const l = new Learner(models, new Ensemble(models.map((m) => m.name)), { negatives: 10 });
    l.ingest(twoClusters().stream);
    const recs = l.recommend({ userId: 'a-user3' }, 3);
    expect(recs).toHaveLength(3);
    expect(recs[0]!.trackId.startsWith('a')).toBe(true);
    const r0 = recs[0]!;
    const sum = Object.values(r0.contributions).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(r0.score, 5);
    expect(Object.keys(r0.contributions)).toEqual(models.map((m) => m.name));
  });

  it("'pool' tests rank against every known track the asker does not have", () => {
    const l = new Learner([new Popularity()], undefined, {});
    l.ingest([ix('a', 'x'), ix('a', 'y'), ix('b', 'z'), ix('b', 'w')]);
    const rec = l.ingest([ix('a', 'z')], { test: 'pool' });
    expect(rec).toHaveLength(1);
    expect(rec[0]!.candidates).toBe(2); // z itself and w; x and y are a's own
    expect(l.ingest([ix('a', 'new-track')], { test: 'pool' })).toHaveLength(0);
  });

  it('snapshot → restore gives identical scores and identical learning afterwards', () => {
    const a = new Learner(defaultModels(), undefined, { seed: 4, negatives: 10 });
    const { stream } = twoClusters();
    a.ingest(stream.slice(0, 120));
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = new Learner(defaultModels(), undefined, { seed: 99, negatives: 10 });
    b.restore(snap);
    const cands = ['a1', 'a7', 'b2', 'b8'];
    const ctx = { userId: 'a-user1' };
    const sa = a.score(ctx, cands);
    const sb = b.score(ctx, cands);
    expect(Array.from(sb.ensemble)).toEqual(Array.from(sa.ensemble));
    for (const name of Object.keys(sa.models)) expect(Array.from(sb.models[name]!)).toEqual(Array.from(sa.models[name]!));
    a.ingest(stream.slice(120));
    b.ingest(stream.slice(120));
    expect(b.metrics().overall).toEqual(a.metrics().overall);
    expect(Array.from(b.score(ctx, cands).ensemble)).toEqual(Array.from(a.score(ctx, cands).ensemble));
  });

  it('scoreEnsemble is score().ensemble number for number, with and without skipped models', () => {
    const models = defaultModels();
    const l = new Learner(models, undefined, { seed: 5, negatives: 10 });
    l.ingest(twoClusters().stream);
    const cands = ['a1', 'a3', 'a7', 'b2', 'b5', 'b8', 'zz-unknown'];
    const skip = new Set([models[0]!.name]);
    for (const ctx of [{ userId: 'a-user1' }, { userId: 'nobody' }, { roomId: 'r', members: ['a-user2', 'b-user3'] }]) {
      expect(Array.from(l.scoreEnsemble(ctx, cands))).toEqual(Array.from(l.score(ctx, cands).ensemble));
      expect(Array.from(l.scoreEnsemble(ctx, cands, skip))).toEqual(Array.from(l.score(ctx, cands, skip).ensemble));
    }
    // A leader's guard applies the same way (one model holding nearly all the weight).
    const lead = new Learner([new Popularity(), new ItemKnn()], new Ensemble(['popularity', 'item-knn'], { leaderShare: 0.5 }), {});
    lead.ingest(twoClusters().stream);
    const ctx = { userId: 'b-user4' };
    expect(Array.from(lead.scoreEnsemble(ctx, cands))).toEqual(Array.from(lead.score(ctx, cands).ensemble));
  });

  it('uses room members it has seen when a room context lists none', () => {
    const l = new Learner([new ItemKnn()], undefined, {});
    l.ingest(twoClusters().stream);
    l.ingest([ix('a-user1', 'zzz', { roomId: 'r1' })]);
    const s = l.score({ roomId: 'r1' }, ['a1', 'b1']);
    expect(s.models['item-knn']).toBeDefined();
  });

  it('createLearner builds the registry models behind one ensemble', async () => {
    const l = await createLearner({ models: ['popularity', 'item-knn', 'group-room'], seed: 3 });
    l.ingest(twoClusters().stream);
    expect(l.names()).toEqual(['popularity', 'item-knn', 'group-room', 'ensemble']);
    const recs = l.recommend({ roomId: 'r', members: ['b-user1', 'b-user2'] }, 5);
    expect(recs.filter((r) => r.trackId.startsWith('b')).length).toBeGreaterThanOrEqual(4);
  });

  it('catchUp() runs the first model with deferred work due, one per call, until none is', () => {
    class Deferring extends Spy {
      due = 0;
      catchUp(): boolean {
        if (this.due === 0) return false;
        this.due--;
        this.calls.push('catchUp');
        return true;
      }
    }
    const a = new Deferring('a');
    const b = new Deferring('b');
    const learner = new Learner([a, b], undefined, { negatives: 5 });
    a.due = 1;
    b.due = 2;
    expect(learner.catchUp()).toBe(true);
    expect([a.calls, b.calls]).toEqual([['catchUp'], []]);
    expect(learner.catchUp()).toBe(true);
    expect(learner.catchUp()).toBe(true);
    expect(learner.catchUp()).toBe(false);
    expect(b.calls).toEqual(['catchUp', 'catchUp']);
  });
});
