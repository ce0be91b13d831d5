import { describe, expect, it } from 'vitest';
import { machineCpu, parseProcStat } from '../../bench/live/machine-cpu.ts';
import { histogramDelta, histogramOf, histogramQuantile } from '../../bench/live/server-histogram.ts';
import { parsePrometheus } from '../../bench/live/server-metrics.ts';

describe('bench:live machine CPU (/proc/stat)', () => {
  it('counts user, nice, system, irq and softirq as busy; idle and iowait as idle; steal apart', () => {
    const t = parseProcStat('cpu  100 5 20 800 10 1 4 30 7 0\ncpu0 50 2 10 400 5 0 2 15 3 0\nintr 1 2 3\n');
    expect(t).toEqual({ busy: 130, idle: 810, steal: 30 });
  });

  it('reports the busy and stolen share of every core over a window', () => {
    const from = { busy: 1000, idle: 1000, steal: 0 };
    const to = { busy: 1900, idle: 1050, steal: 50 };
    const m = machineCpu(from, to);
    expect(m.busyPercent).toBeCloseTo(90, 9);
    expect(m.stealPercent).toBeCloseTo(5, 9);
  });

  it('says n/a rather than guessing', () => {
    expect(parseProcStat('intr 1 2\n')).toBeNull();
    expect(machineCpu(null, { busy: 1, idle: 1, steal: 0 }).busyPercent).toBeNaN();
    const same = { busy: 5, idle: 5, steal: 0 };
    expect(machineCpu(same, same).busyPercent).toBeNaN();
  });
});

describe('bench:live server histogram', () => {
  const text = (counts: number[], count: number): string =>
    [
      '# TYPE chorus_recs_push_latency_seconds histogram',
      ...['0.01', '0.02', '0.05', '+Inf'].map((le, i) => `chorus_recs_push_latency_seconds_bucket{le="${le}"} ${counts[i]}`),
      `chorus_recs_push_latency_seconds_sum 1`,
      `chorus_recs_push_latency_seconds_count ${count}`,
      'other_metric 3',
    ].join('\n');

  it('reads the cumulative buckets and the count', () => {
    const h = histogramOf(parsePrometheus(text([10, 30, 40, 40], 40)), 'chorus_recs_push_latency_seconds');
    expect(h?.count).toBe(40);
    expect(h?.buckets.map((b) => b.le)).toEqual([0.01, 0.02, 0.05, Infinity]);
    expect(histogramOf(parsePrometheus('other_metric 3'), 'chorus_recs_push_latency_seconds')).toBeUndefined();
  });

  it('interpolates quantiles within a bucket over the window between two readings, as histogram_quantile does', () => {
    const name = 'chorus_recs_push_latency_seconds';
    const before = histogramOf(parsePrometheus(text([10, 30, 40, 40], 40)), name);
    const after = histogramOf(parsePrometheus(text([60, 130, 140, 141], 141)), name);
    const d = histogramDelta(before, after);
    // Window: 50 in (0, 10 ms], 50 in (10, 20], 0 in (20, 50], 1 above.
    expect(d?.count).toBe(101);
    expect(histogramQuantile(d, 0.5)).toBeCloseTo(0.01 + (0.01 * (50.5 - 50)) / 50, 9);
    expect(histogramQuantile(d, 0.25)).toBeCloseTo((0.01 * 25.25) / 50, 9);
    // In the +Inf bucket: the last finite bound.
    expect(histogramQuantile(d, 1)).toBe(0.05);
    expect(histogramQuantile(histogramDelta(after, after), 0.5)).toBeNaN();
  });
});
