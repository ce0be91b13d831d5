/** Self-contained HTML report of a `prequential` run: weights and recall@k over the stream. */
import type { PrequentialResult } from './prequential.ts';
import { prequentialTable } from './prequential-command.ts';
import { htmlPage, lineChart } from './svg-plot.ts';
import type { Series } from './svg-plot.ts';

export function prequentialReport(r: PrequentialResult & { command: string; data: string; stream: { sampling: string } }): string {
  const names = Object.keys(r.results);
  const recall: Series[] = names.map((name) => ({ name, points: r.curve.map((p) => [p.event, p.recall[name] ?? 0] as const) }));
  const weightNames = names.filter((n) => n !== 'ensemble');
  const weights: Series[] = weightNames.map((name) => ({ name, points: r.curve.map((p) => [p.event, p.weights[name] ?? 0] as const) }));
  const summary = `${r.command}\n${r.stream.sampling}\n\n${prequentialTable(r)}`;
  return htmlPage(`Chorus evaluation — prequential (${r.data})`, summary, [
    {
      heading: 'Ensemble weights over the stream',
      body: lineChart(weights, { title: 'Hedge weights (user contexts)', xLabel: 'event', yLabel: 'weight', yRange: [0, 1] }),
    },
    {
      heading: `Recall@${r.k} over the stream (windowed)`,
      body: lineChart(recall, { title: `recall@${r.k} per window of tested events`, xLabel: 'event', yLabel: `recall@${r.k}` }),
    },
  ]);
}
