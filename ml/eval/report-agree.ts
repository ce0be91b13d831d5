/** Self-contained HTML report of an `agree` run. */
import type { AgreeResult } from './agree.ts';
import { agreeTable } from './agree-command.ts';
import { curveCharts } from './report-curves.ts';
import { htmlPage } from './svg-plot.ts';

export function agreeReport(r: AgreeResult & { command: string; data: string; timing: { totalMs: number } }): string {
  const summary = `${r.command}\n\n${agreeTable(r)}\n\ntotal ${(r.timing.totalMs / 1000).toFixed(1)} s`;
  return htmlPage(`Chorus evaluation — AGREE protocol (${r.data})`, summary, curveCharts(r.prequential.curve, r.prequential.k));
}
