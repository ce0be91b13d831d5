/** Charts every report shares: ensemble weights and windowed prequential hit@k over the stream. */
import type { CurvePoint } from '../learner/learner-metrics.ts';
import { lineChart } from './svg-plot.ts';
import type { Series } from './svg-plot.ts';

function seriesOf(points: readonly CurvePoint[], pick: (p: CurvePoint) => Record<string, number>): Series[] {
  const names = [...new Set(points.flatMap((p) => Object.keys(pick(p))))];
  return names.map((name) => ({ name, points: points.map((p) => [p.at, pick(p)[name] ?? 0] as const) }));
}

export function curveCharts(curve: readonly CurvePoint[], k: number): Array<{ heading: string; body: string }> {
  const scopes = [...new Set(curve.map((p) => p.scope))];
  return scopes.flatMap((scope) => {
    const pts = curve.filter((p) => p.scope === scope);
    return [
      {
        heading: `Ensemble weights over the stream (${scope} contexts with history)`,
        body: lineChart(seriesOf(pts, (p) => p.weights), {
          title: `Hedge weights, ${scope} contexts with history`,
          xLabel: 'interactions ingested',
          yLabel: 'weight',
          yRange: [0, 1],
        }),
      },
      {
        heading: `Prequential hit@${k} over the stream (${scope} scope, 1 true item vs sampled negatives)`,
        body: lineChart(seriesOf(pts, (p) => p.hit), {
          title: `test-then-train hit@${k}, ${scope} contexts (windowed)`,
          xLabel: 'interactions ingested',
          yLabel: `hit@${k}`,
        }),
      },
    ];
  });
}
