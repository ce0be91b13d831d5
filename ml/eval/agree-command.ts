/** `agree` subcommand: flags → run → table on stdout, JSON and HTML report files. */
import { writeFileSync } from 'node:fs';
import { runAgree } from './agree.ts';
import type { AgreeResult } from './agree.ts';
import type { StreamOrder } from './agree-stream.ts';
import { readAgree } from './read-agree.ts';
import { agreeReport } from './report-agree.ts';
import { numberFlag } from './args.ts';
import { buildLearner, commonSetup, peakRssMB } from './setup.ts';
import { fmt, formatTable } from './table.ts';

export function agreeTable(r: AgreeResult): string {
  const rows: string[][] = [];
  for (const kind of ['group', 'user'] as const) {
    for (const [name, m] of Object.entries(r.results[kind])) {
      if (m.n === 0) continue;
      const w = r.weights[kind][name];
      rows.push([kind, name, String(m.n), fmt(m.hr5), fmt(m.hr10), fmt(m.ndcg5), fmt(m.ndcg10), w === undefined ? '' : fmt(w, 3)]);
    }
  }
  return formatTable(['rows', 'model', 'n', 'HR@5', 'HR@10', 'NDCG@5', 'NDCG@10', 'weight'], rows);
}

export async function agreeCommand(flags: ReadonlyMap<string, string>, argv: readonly string[]): Promise<number> {
  const dir = flags.get('data');
  if (dir === undefined) throw new Error('agree needs --data <dir>');
  const started = performance.now();
  const setup = commonSetup(flags);
  const order = (flags.get('order') ?? 'shuffle') as StreamOrder;
  if (order !== 'shuffle' && order !== 'file') throw new Error('--order must be shuffle or file');
  const data = readAgree(dir);
  // Hedge learns from a test on every n-th training interaction (every one is learned from): 2 halves the
  // scoring cost of the stream and still gives the weights ~20k rounds on Mafengwo.
  const testEvery = numberFlag(flags, 'test-every', 2);
  const learner = await buildLearner({ ...setup, learner: { testEvery } });
  const r = await runAgree(learner, data, { order, seed: setup.seed, scoresOut: flags.get('scores-out') });
  const totalMs = performance.now() - started;
  const json = {
    protocol: 'agree',
    command: `npm run eval -- ${argv.join(' ')}`,
    data: dir,
    models: setup.models,
    order,
    testEvery,
    seed: setup.seed,
    ...r,
    timing: { ...r.timing, totalMs },
    memory: { peakRssMB: peakRssMB() },
  };
  process.stdout.write(`${agreeTable(r)}\n`);
  process.stdout.write(
    `train ${r.trainInteractions} interactions in ${(r.timing.trainMs / 1000).toFixed(1)} s, ` +
      `evaluate ${(r.timing.evalMs / 1000).toFixed(1)} s, total ${(totalMs / 1000).toFixed(1)} s, ` +
      `peak RSS ${peakRssMB().toFixed(0)} MB; skipped self-negatives: group ${r.skippedNegatives.group}, user ${r.skippedNegatives.user}\n`,
  );
  const jsonOut = flags.get('json');
  if (jsonOut !== undefined) writeFileSync(jsonOut, `${JSON.stringify(json, null, 2)}\n`);
  const report = flags.get('report');
  if (report !== undefined) writeFileSync(report, agreeReport(json));
  return 0;
}
