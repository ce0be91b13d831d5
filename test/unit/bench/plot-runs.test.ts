import { describe, expect, it } from 'vitest';
import { ratioChart, runOf, runsChart, runsPage, runsTable, serverPartChart } from '../../bench/live/plot-runs.ts';

const dist = (p99: number) => ({ p50: p99 / 4, p95: p99 / 2, p99, max: p99 * 2, mean: p99 / 3, n: 100 });
const target = (busy: number, recs: number, queue: number, loop: number, server?: { push: number; add: number }) => ({
  machineCpu: { busyPercent: busy, stealPercent: 0 },
  recsPushMs: dist(recs),
  queueBroadcastMs: dist(queue),
  eventLoopDelayMs: dist(loop),
  serverPushMs: server ? { p50: 1, p99: server.push, n: 10 } : null,
  ...(server && { serverQueueAddMs: { p50: 1, p99: server.add, n: 10 } }),
});

describe('bench:live:plot', () => {
  it("reads a run's p99s, its machine load and its floor from the --json file", () => {
    const run = runOf('a', { args: { nodes: 1, rooms: 100 }, ...target(80, 40, 30, 9, { push: 38, add: 19 }), floor: target(36, 3.5, 6, 3) });
    expect(run?.rooms).toBe(100);
    expect(run?.chorus).toEqual({ label: 'a', busyPercent: 80, recsPushP99: 40, queueBroadcastP99: 30, eventLoopP99: 9, serverPushP99: 38, serverQueueAddP99: 19 });
    expect(run?.floor).toMatchObject({ busyPercent: 36, recsPushP99: 3.5, queueBroadcastP99: 6, serverPushP99: null, serverQueueAddP99: null });
  });

  it('skips what it cannot place: no machine CPU (older files), a cluster run, not a run at all', () => {
    const { machineCpu: _, ...old } = target(80, 40, 30, 9);
    expect(runOf('old', { args: { nodes: 1 }, ...old })).toBeNull();
    expect(runOf('cluster', { args: { nodes: 2 }, ...target(80, 40, 30, 9) })).toBeNull();
    expect(runOf('junk', [1, 2])).toBeNull();
    expect(runOf('nan', { ...target(80, 40, 30, 9), machineCpu: { busyPercent: null } })).toBeNull();
    // A run without a floor (--skip-floor) is a run.
    expect(runOf('solo', target(70, 30, 20, 8))?.floor).toBeNull();
    expect(runOf('solo', target(70, 30, 20, 8))?.rooms).toBeNull();
  });

  it('draws every run as a dot and each target as a dashed line, and tabulates the runs by load', () => {
    const runs = [runOf('r1', { ...target(80, 40, 30, 9), floor: target(36, 3, 6, 3) }), runOf('r2', target(70, 30, 20, 8, { push: 28, add: 12 }))].flatMap((r) => (r ? [r] : []));
    const svg = runsChart(runs);
    // 2 runs × 3 p99s + 1 floor × 2, plus one legend dot per dotted series (5).
    expect(svg.match(/<circle /g)?.length).toBe(2 * 3 + 2 + 5);
    expect(svg.match(/stroke-dasharray/g)?.length).toBe(3 * 2); // each target: its line and its legend
    expect(svg).toContain('target 15 ms');
    // Only r2 has server parts: its two dots, both client figures of that run, and four legend dots.
    expect(serverPartChart(runs).match(/<circle /g)?.length).toBe(4 + 4);
    // Header, rule, then the runs sorted by load.
    const table = runsTable(runs).split('\n');
    expect(table[2]).toMatch(/^r2 +— +70 +30\.0 +28\.0 +20\.0 +12\.0 +8\.0 +— +— +—$/);
    expect(table[3]).toMatch(/^r1 +— +80 +40\.0 +— +30\.0 +— +9\.0 +36 +3\.0 +6\.0$/);
    expect(runsPage(runs, 'a note')).toContain('a note');
    expect(runsPage(runs, '')).toContain('Ratio to the floor');
    expect(runsPage(runs.slice(1), '')).not.toContain('Ratio to the floor'); // no run with a floor
  });

  it("puts each run's ratio to its own floor at Chorus's load, with the 3× target", () => {
    const runs = [
      runOf('light', { args: { rooms: 20 }, ...target(30, 8, 12, 3), floor: target(12, 2, 4, 2) }),
      runOf('default', { args: { rooms: 100 }, ...target(90, 60, 45, 17), floor: target(42, 5, 15, 5) }),
      runOf('solo', target(70, 30, 20, 8)),
    ].flatMap((r) => (r ? [r] : []));
    const svg = ratioChart(runs);
    // Two runs with a floor × two ratios, plus a legend dot per series; the run without a floor has none.
    expect(svg.match(/<circle /g)?.length).toBe(2 * 2 + 2);
    expect(svg).toContain('target 3×');
    expect(svg.match(/stroke-dasharray/g)?.length).toBe(2);
    // The x axis spans Chorus's loads (30 → 90 %, whole tens): the lightest run on its left end, the busiest on its right.
    const axis = /<line x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="\3" stroke="#333"\/>/.exec(svg);
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"[^>]*fill-opacity/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeCloseTo(Number(axis?.[1]), 0);
    expect(Math.max(...xs)).toBeCloseTo(Number(axis?.[2]), 0);
    expect(svg).toContain('>80<'); // Chorus's load, not its floor's (12 → 42 %)
    // A floor without samples (p99 0) has no ratio to draw.
    const empty = runOf('empty', { ...target(50, 20, 10, 4), floor: target(20, 0, 0, 1) });
    expect(empty && ratioChart([empty]).match(/<circle /g)?.length).toBe(2); // the legend's two dots only
  });
});
