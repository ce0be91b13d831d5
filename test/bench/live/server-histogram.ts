/**
 * Prometheus histograms read from the nodes' `GET /metrics` at the start and at the end of the measured
 * window, and their quantiles over that window. The bench reads the server's own timings this way, to
 * show how much of what the clients measure the server accounts for: the recs push
 * (chorus_recs_push_latency_seconds: an interaction stored → the push it changed emitted) and the room
 * edits (chorus_socket_event_duration_seconds for queue:add and track:react: the event in the handler →
 * its ack, which a room edit sends after its broadcast).
 */
import { parsePrometheus, type Sample } from './server-metrics.ts';

export interface Histogram {
  /** Cumulative counts by upper bound, ascending (the +Inf bucket last). */
  buckets: { le: number; count: number }[];
  count: number;
}

/** Which histogram, and which of its label sets (every one whose labels include `where`). */
export interface HistogramSpec {
  name: string;
  where?: Readonly<Record<string, string>>;
}

/** The server's part of a path over the window (ms, bucket-interpolated); null where it has none. */
export type ServerPart = { p50: number; p99: number; n: number } | null;

const matches = (labels: Readonly<Record<string, string>>, where: HistogramSpec['where']): boolean =>
  !where || Object.entries(where).every(([k, v]) => labels[k] === v);

/** `name`'s buckets summed over the label sets `where` selects (all by default); undefined when absent. */
export function histogramOf(samples: readonly Sample[], name: string, where?: HistogramSpec['where']): Histogram | undefined {
  const byLe = new Map<number, number>();
  let count: number | undefined;
  for (const s of samples) {
    if (!matches(s.labels, where)) continue;
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

/** p50 and p99 in ms of what was observed between two readings (all of `to` without `from`); null without `to`. */
export function serverPart(from: Histogram | undefined, to: Histogram | undefined): ServerPart {
  const h = histogramDelta(from, to);
  return h ? { p50: 1000 * histogramQuantile(h, 0.5), p99: 1000 * histogramQuantile(h, 0.99), n: h.count } : null;
}

function sum(a: Histogram | undefined, b: Histogram | undefined): Histogram | undefined {
  if (!a || !b) return a ?? b;
  if (a.buckets.length !== b.buckets.length) return a;
  return { buckets: a.buckets.map((x, i) => ({ le: x.le, count: x.count + (b.buckets[i]?.count ?? 0) })), count: a.count + b.count };
}

/**
 * Each spec's histogram summed over every node (a cluster's pushes leave from both), from one scrape of
 * each node; a node that does not answer counts as having none.
 */
export async function readHistograms<K extends string>(urls: readonly string[], specs: Readonly<Record<K, HistogramSpec>>): Promise<Record<K, Histogram | undefined>> {
  const scrapes = await Promise.all(
    urls.map(async (url) => {
      const res = await fetch(`${url}/metrics`).catch(() => undefined);
      return res?.ok ? parsePrometheus(await res.text()) : [];
    }),
  );
  const out = {} as Record<K, Histogram | undefined>;
  for (const key of Object.keys(specs) as K[]) {
    const { name, where } = specs[key];
    out[key] = scrapes.reduce<Histogram | undefined>((acc, samples) => sum(acc, histogramOf(samples, name, where)), undefined);
  }
  return out;
}
