/**
 * A Prometheus histogram read from the nodes' `GET /metrics` at the start and at the end of the measured
 * window, and its quantiles over that window. The bench reads the server's own recs push latency this way
 * (chorus_recs_push_latency_seconds: an interaction stored → the push it changed emitted), to show how
 * much of what the clients measure the server's pipeline (store, learner, emit) accounts for.
 */
import { parsePrometheus, type Sample } from './server-metrics.ts';

export interface Histogram {
  /** Cumulative counts by upper bound, ascending (the +Inf bucket last). */
  buckets: { le: number; count: number }[];
  count: number;
}

/** `name`'s buckets summed over label sets; undefined when the metric is absent. */
export function histogramOf(samples: readonly Sample[], name: string): Histogram | undefined {
  const byLe = new Map<number, number>();
  let count: number | undefined;
  for (const s of samples) {
    if (s.name === `${name}_bucket`) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      if (!Number.isNaN(le)) byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    } else if (s.name === `${name}_count`) count = (count ?? 0) + s.value;
  }
  if (byLe.size === 0 || count === undefined) return undefined;
  const buckets = [...byLe].map(([le, c]) => ({ le, count: c })).sort((a, b) => a.le - b.le);
  return { buckets, count };
}

/** What was observed between two readings of the same histogram (the buckets must match). */
export function histogramDelta(from: Histogram | undefined, to: Histogram | undefined): Histogram | undefined {
  if (!to) return undefined;
  if (!from) return to;
  if (from.buckets.length !== to.buckets.length || from.buckets.some((b, i) => b.le !== to.buckets[i]?.le)) return undefined;
  return {
    buckets: to.buckets.map((b, i) => ({ le: b.le, count: b.count - (from.buckets[i]?.count ?? 0) })),
    count: to.count - from.count,
  };
}

/**
 * The q-quantile as Prometheus's histogram_quantile() estimates it: linear within the bucket it falls in
 * (from 0 for the first). NaN without observations; the last finite bound when it falls in +Inf.
 */
export function histogramQuantile(h: Histogram | undefined, q: number): number {
  if (!h || h.count <= 0) return NaN;
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket > 0 ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** `name` summed over every node (a cluster's pushes leave from both); undefined when none has it. */
export async function readHistogram(urls: readonly string[], name: string): Promise<Histogram | undefined> {
  const parts = await Promise.all(
    urls.map(async (url) => {
      const res = await fetch(`${url}/metrics`);
      return res.ok ? histogramOf(parsePrometheus(await res.text()), name) : undefined;
    }),
  );
  return parts.reduce<Histogram | undefined>((acc, h) => {
    if (!h) return acc;
    if (!acc) return h;
    if (acc.buckets.length !== h.buckets.length) return acc;
    return { buckets: acc.buckets.map((b, i) => ({ le: b.le, count: b.count + (h.buckets[i]?.count ?? 0) })), count: acc.count + h.count };
  }, undefined);
}
