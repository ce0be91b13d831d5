/**
 * A small SVG line chart of the ensemble's model weights over time, drawn by hand (no chart library):
 * one line per model, y = weight (0..1 scaled to the largest seen), x = push time.
 */
import { h, svg } from '../dom.ts';
import type { WeightPoint } from '../recs-store.ts';

const PALETTE = ['#e4572e', '#17bebb', '#ffc914', '#76b041', '#8e6cef', '#ff7eb6', '#2e86de', '#a0a0a0'];
const W = 320;
const H = 140;
const PAD = { l: 30, r: 8, t: 8, b: 18 };

export function colorOf(models: readonly string[], model: string): string {
  const i = models.indexOf(model);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length] ?? '#888';
}

export function modelsIn(history: readonly WeightPoint[]): string[] {
  const names = new Set<string>();
  for (const p of history) for (const k of Object.keys(p.weights)) names.add(k);
  return [...names].sort();
}

/** Polyline points per model (exported for tests). Missing weights count as 0. */
export function chartLines(history: readonly WeightPoint[], width = W, height = H): Map<string, string> {
  const models = modelsIn(history);
  const lines = new Map<string, string>();
  if (history.length === 0) return lines;
  const t0 = history[0]?.at ?? 0;
  const t1 = history[history.length - 1]?.at ?? t0;
  const span = Math.max(1, t1 - t0);
  let yMax = 0.05;
  for (const p of history) for (const v of Object.values(p.weights)) yMax = Math.max(yMax, v);
  yMax = Math.min(1, Math.ceil(yMax * 10) / 10);
  const innerW = width - PAD.l - PAD.r;
  const innerH = height - PAD.t - PAD.b;
  const x = (at: number) => (history.length === 1 ? PAD.l + innerW : PAD.l + ((at - t0) / span) * innerW);
  const y = (v: number) => PAD.t + innerH - (Math.min(v, yMax) / yMax) * innerH;
  for (const m of models) {
    lines.set(m, history.map((p) => `${x(p.at).toFixed(1)},${y(p.weights[m] ?? 0).toFixed(1)}`).join(' '));
  }
  lines.set('__ymax', String(yMax));
  return lines;
}

export function weightsChart(history: readonly WeightPoint[]): HTMLElement {
  const models = modelsIn(history);
  const lines = chartLines(history);
  const yMax = Number(lines.get('__ymax') ?? 1);
  const last = history[history.length - 1];
  const innerH = H - PAD.t - PAD.b;
  const grid: SVGElement[] = [];
  for (const f of [0, 0.5, 1]) {
    const yy = PAD.t + innerH - f * innerH;
    grid.push(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: yy, y2: yy, class: 'grid' }));
    grid.push(svg('text', { x: PAD.l - 4, y: yy + 3, 'text-anchor': 'end', class: 'axis' }, `${Math.round(f * yMax * 100)}%`));
  }
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'weights-svg', 'aria-labelledby': 'weights-title weights-desc', preserveAspectRatio: 'none' },
    svg('title', { id: 'weights-title' }, 'Ensemble model weights over time'),
    svg('desc', { id: 'weights-desc' }, last ? describe(last.weights) : 'No weights yet'),
    ...grid,
    svg('text', { x: W - PAD.r, y: H - 4, 'text-anchor': 'end', class: 'axis' }, `${history.length} update${history.length === 1 ? '' : 's'}`),
    ...models.map((m) =>
      svg('polyline', { points: lines.get(m) ?? '', fill: 'none', stroke: colorOf(models, m), 'stroke-width': 2, 'data-model': m, 'vector-effect': 'non-scaling-stroke' }),
    ),
  );
  const legend = h('ul', { class: 'legend' },
    models.map((m) =>
      h('li', {},
        h('span', { class: 'swatch', style: `background:${colorOf(models, m)}`, 'aria-hidden': 'true' }),
        `${m} ${Math.round((last?.weights[m] ?? 0) * 100)}%`,
      ),
    ),
  );
  return h('figure', { class: 'chart' }, chart as unknown as Node as HTMLElement, legend);
}

function describe(weights: Record<string, number>): string {
  return Object.entries(weights)
    .sort((a, b) => b[1] - a[1])
    .map(([m, w]) => `${m} ${Math.round(w * 100)} percent`)
    .join(', ');
}
