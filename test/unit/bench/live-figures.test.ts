import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { machineCpu, parseProcStat } from '../../bench/live/machine-cpu.ts';
import { histogramDelta, histogramOf, histogramQuantile, readHistograms, serverPart } from '../../bench/live/server-histogram.ts';
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

  // Two label sets of one histogram (a room edit and a reaction), as chorus_socket_event_duration_seconds has.
  const events = (add: number[], react: number[]): string =>
    [
      '# TYPE ev histogram',
      ...(['0.01', '0.02', '+Inf'] as const).flatMap((le, i) => [
        `ev_bucket{le="${le}",event="queue:add",outcome="ok"} ${add[i]}`,
        `ev_bucket{le="${le}",event="track:react",outcome="ok"} ${react[i]}`,
      ]),
      `ev_count{event="queue:add",outcome="ok"} ${add[2]}`,
      `ev_count{event="track:react",outcome="ok"} ${react[2]}`,
    ].join('\n');

  it('keeps only the label sets asked for, and sums every set when none is named', () => {
    const samples = parsePrometheus(events([1, 4, 4], [10, 10, 12]));
    expect(histogramOf(samples, 'ev', { event: 'queue:add' })).toEqual({
      buckets: [{ le: 0.01, count: 1 }, { le: 0.02, count: 4 }, { le: Infinity, count: 4 }],
      count: 4,
    });
    expect(histogramOf(samples, 'ev', { event: 'track:react', outcome: 'ok' })?.count).toBe(12);
    expect(histogramOf(samples, 'ev')?.count).toBe(16);
    expect(histogramOf(samples, 'ev', { event: 'queue:add', outcome: 'error' })).toBeUndefined();
  });

  it("gives the window's p50 and p99 in ms, or null without a reading", () => {
    const samples = parsePrometheus(events([0, 100, 100], [0, 0, 0]));
    const part = serverPart(undefined, histogramOf(samples, 'ev', { event: 'queue:add' }));
    expect(part?.n).toBe(100);
    expect(part?.p50).toBeCloseTo(15, 9);
    expect(part?.p99).toBeCloseTo(19.9, 9);
    expect(serverPart(undefined, undefined)).toBeNull();
  });

  describe('read from the nodes', () => {
    const servers: Server[] = [];
    afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
    const node = async (body: string | null): Promise<string> => {
      const s = createServer((_req, res) => {
        res.writeHead(body === null ? 503 : 200).end(body ?? 'down');
      });
      servers.push(s);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    };

    it('sums each histogram over the nodes, one scrape each; a node that is down has none', async () => {
      const urls = [await node(events([1, 4, 4], [10, 10, 12])), await node(events([2, 2, 3], [0, 1, 1])), await node(null)];
      const got = await readHistograms(urls, { add: { name: 'ev', where: { event: 'queue:add' } }, react: { name: 'ev', where: { event: 'track:react' } }, none: { name: 'absent' } });
      expect(got.add?.count).toBe(7);
      expect(got.add?.buckets.map((b) => b.count)).toEqual([3, 6, 7]);
      expect(got.react?.count).toBe(13);
      expect(got.none).toBeUndefined();
    });
  });
});
