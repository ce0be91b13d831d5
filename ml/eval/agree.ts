/**
 * The `agree` protocol: stream the training interactions through the Learner (the live server's loop),
 * then score every test row's true item against its negatives, group rows in the group's room context and
 * user rows in the user's context, for each model and the ensemble.
 */
import { createWriteStream } from 'node:fs';
import type { Learner } from '../learner/learner.ts';
import { ENSEMBLE } from '../learner/learner.ts';
import type { LearnerMetrics } from '../learner/learner-metrics.ts';
import type { ScoringContext } from '../types.ts';
import { AGREE_CONTEXT, agreeStream } from './agree-stream.ts';
import type { StreamOrder } from './agree-stream.ts';
import { rankAgainst, RankMetrics } from './metrics.ts';
import type { MetricSummary } from './metrics.ts';
import { progress } from './progress.ts';
import type { AgreeData, TestRow } from './read-agree.ts';

export type RowKind = 'group' | 'user';

export interface AgreeResult {
  /** kind → model (or 'ensemble') → metrics. */
  results: Record<RowKind, Record<string, MetricSummary>>;
  /** Final ensemble weights of the two scopes. */
  weights: Record<RowKind, Record<string, number>>;
  prequential: LearnerMetrics;
  skippedNegatives: Record<RowKind, number>;
  trainInteractions: number;
  timing: { trainMs: number; evalMs: number };
}

export interface AgreeRunOptions {
  order: StreamOrder;
  seed: number;
  scoresOut?: string | undefined;
  chunk?: number;
}

export async function runAgree(learner: Learner, data: AgreeData, o: AgreeRunOptions): Promise<AgreeResult> {
  const stream = agreeStream(data, o.order, o.seed);
  const t0 = performance.now();
  const chunk = o.chunk ?? 500;
  const bar = progress('train', stream.length);
  for (let i = 0; i < stream.length; i += chunk) {
    learner.ingest(stream.slice(i, i + chunk));
    bar.update(Math.min(stream.length, i + chunk));
    // Yield so the bar redraws (and a worker could answer messages) during long runs.
    await new Promise<void>((r) => setImmediate(r));
  }
  bar.stop();
  learner.refresh();
  const t1 = performance.now();

  const names = [...learner.models.map((m) => m.name), ENSEMBLE];
  const out = o.scoresOut === undefined ? null : createWriteStream(o.scoresOut);
  const results = {} as Record<RowKind, Record<string, MetricSummary>>;
  const skipped: Record<RowKind, number> = { group: 0, user: 0 };
  const kinds: Array<[RowKind, TestRow[]]> = [
    ['group', data.groupTest],
    ['user', data.userTest],
  ];
  const evalBar = progress('evaluate', data.groupTest.length + data.userTest.length);
  let done = 0;
  for (const [kind, rows] of kinds) {
    const acc = names.map(() => new RankMetrics());
    for (const row of rows) {
      const ctx: ScoringContext =
        kind === 'group'
          ? { roomId: row.id, members: data.members.get(row.id) ?? [], ...AGREE_CONTEXT }
          : { userId: row.id, ...AGREE_CONTEXT };
      const b = learner.score(ctx, [row.item, ...row.negatives]);
      const skip = (n: number): boolean => row.negatives[n] === row.item;
      skipped[kind] += row.negatives.filter((n) => n === row.item).length;
      names.forEach((name, m) => {
        const s = name === ENSEMBLE ? b.ensemble : (b.models[name] as Float32Array);
        (acc[m] as RankMetrics).add(rankAgainst(s[0] as number, s.subarray(1), skip));
      });
      if (out !== null) {
        // A negative that is the true item itself is written as -Infinity: the protocol excludes it, and
        // this way any recount of "negatives scoring ≥ the true item" excludes it too.
        const cells = Array.from(b.ensemble, (v, c) => (c > 0 && skip(c - 1) ? '-Infinity' : String(v)));
        out.write(`${kind}\t${row.id}\t${row.item}\t${cells.join('\t')}\n`);
      }
      if (++done % 200 === 0) evalBar.update(done);
    }
    results[kind] = Object.fromEntries(names.map((n, m) => [n, (acc[m] as RankMetrics).summary()]));
  }
  evalBar.update(done);
  evalBar.stop();
  if (out !== null) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const t2 = performance.now();
  return {
    results,
    // What a room / user with history is served with (the test rows all have history).
    weights: {
      group: learner.ensemble.named(learner.ensemble.weights(['room', 'room/warm'])),
      user: learner.ensemble.named(learner.ensemble.weights(['user', 'user/warm'])),
    },
    prequential: learner.metrics(),
    skippedNegatives: skipped,
    trainInteractions: stream.length,
    timing: { trainMs: t1 - t0, evalMs: t2 - t1 },
  };
}
