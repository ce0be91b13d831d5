/** Dependency-free inline SVG line charts for the self-contained HTML reports. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** A joined line (default), unjoined dots (separate runs), or a dashed line (a target). */
  style?: 'line' | 'points' | 'dashed';
  /** Overrides the palette (e.g. a target drawn in its measurement's colour). */
  color?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Fixed y range (e.g. [0, 1] for weights); otherwise fitted to the data. */
  yRange?: readonly [number, number];
  /** Fixed x range; otherwise fitted to the data. */
  xRange?: readonly [number, number];
  /** Room on the right for the legend (px; default 150). */
  legendWidth?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 760;
  const H = o.height ?? 320;
  const m = { l: 56, r: o.legendWidth ?? 150, t: 28, b: 40 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<p>${escapeHtml(o.title)}: no data</p>`;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1raw] = o.xRange ?? [Math.min(...xs), Math.max(...xs)];
  const x1 = x1raw === x0 ? x0 + 1 : x1raw;
  const [y0, y1raw] = o.yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  const y1 = y1raw === y0 ? y0 + 1 : y1raw;
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<text x="${W / 2 - m.r / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeHtml(o.title)}</text>`);
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<text x="${px(t)}" y="${H - m.b + 14}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = s.color ?? (PALETTE[i % PALETTE.length] as string);
    const ly = m.t + 14 + i * 16;
    if (s.style === 'points') {
      for (const p of s.points) parts.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3.5" fill="${color}" fill-opacity="0.75"/>`);
      parts.push(`<circle cx="${W - m.r + 20}" cy="${ly - 4}" r="3.5" fill="${color}"/>`);
    } else {
      const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join('');
      const width = s.name === 'ensemble' ? 2.5 : 1.5;
      const dash = s.style === 'dashed' ? ' stroke-dasharray="6 4"' : '';
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${dash}/>`);
      parts.push(`<line x1="${W - m.r + 10}" x2="${W - m.r + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="${width}"${dash}/>`);
    }
    parts.push(`<text x="${W - m.r + 36}" y="${ly}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A whole page: title, preformatted summary, charts. */
export function htmlPage(title: string, summary: string, sections: ReadonlyArray<{ heading: string; body: string }>): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
pre{background:#f6f6f6;padding:1em;overflow:auto}h2{margin-top:2em}</style></head>
<body><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(summary)}</pre>
${sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.body}`).join('\n')}
</body></html>
`;
}
