/**
 * Prometheus metrics for GET /metrics. Each call builds its own Registry (never prom-client's global
 * one) so several apps in one test process do not clash over metric names. Learner figures are read
 * from the RecommendationService on scrape (collect callbacks), so nothing here sits on the hot path
 * except one histogram observation per recommendation push.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RecommendationService } from '../learning/types.ts';

export interface MetricsOptions {
  recs: RecommendationService;
  /** Open rooms on this node. */
  rooms(): number;
  /** Members connected to those rooms. */
  members(): number;
  /**
   * Also expose prom-client's process metrics (CPU, memory, GC, handles) prefixed `chorus_`. Off by
   * default: they install process-wide observers that are never removed, fine once per server process
   * but a leak for tests that build many apps.
   */
  processMetrics?: boolean | undefined;
}

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of render()'s output (Prometheus text format). */
  readonly contentType: string;
  render(): Promise<string>;
  /**
   * One client event handled: from its arrival in the handler to its ack (for a room edit that is after
   * the broadcast left), and whether the ack was ok.
   */
  observeEvent(event: string, ms: number, ok: boolean): void;
  /** Stops the event-loop monitor and the push listener. */
  close(): void;
}

/** Pushes are expected within a few ms of the interaction; 100 ms is already slow. */
const PUSH_BUCKETS_S = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1];
/** Socket events: most are answered within a millisecond or two; a slow database shows up to a second. */
const EVENT_BUCKETS_S = [0.0005, ...PUSH_BUCKETS_S];
const LOOP_QUANTILES = [0.5, 0.9, 0.99] as const;
const LOOP_RESOLUTION_MS = 10;

/** Replace a labelled gauge's series so models that disappeared do not linger. */
function setByModel(gauge: Gauge<'model'>, values: Record<string, number | null>): void {
  gauge.reset();
  for (const [model, value] of Object.entries(values)) {
    if (value !== null && Number.isFinite(value)) gauge.set({ model }, value);
  }
}

export function createMetrics(opts: MetricsOptions): Metrics {
  const { recs } = opts;
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'chorus_' });

  new Gauge({
    name: 'chorus_prequential_hit_rate',
    help: "Prequential HR@10 (test-then-train) over everything learned so far, per model and 'ensemble'",
    labelNames: ['model'] as const,
    registers,
    collect() {
      setByModel(this, recs.status().hitRate);
    },
  });
  new Gauge({
    name: 'chorus_ensemble_weight',
    help: 'Global ensemble weight of each model (sums to 1)',
    labelNames: ['model'] as const,
    registers,
    collect() {
      setByModel(this, recs.status().weights);
    },
  });
  new Gauge({
    name: 'chorus_learner_lag_interactions',
    help: 'Interactions received by the learner but not learned yet',
    registers,
    collect() {
      this.set(recs.status().lag);
    },
  });
  new Gauge({
    name: 'chorus_learner_lag_seconds',
    help: 'Age of the oldest interaction not learned yet (0 when caught up)',
    registers,
    collect() {
      this.set(recs.status().lagMs / 1000);
    },
  });
  // Counters set to the learner's own totals on scrape: a restarted learner starts from 0 again,
  // which Prometheus' rate() reads as an ordinary counter reset.
  new Counter({
    name: 'chorus_learner_interactions_received_total',
    help: 'Interactions handed to the learner',
    registers,
    collect() {
      this.reset();
      this.inc(recs.status().received);
    },
  });
  new Counter({
    name: 'chorus_learner_interactions_learned_total',
    help: 'Interactions the learner has learned from',
    registers,
    collect() {
      this.reset();
      this.inc(recs.status().learned);
    },
  });
  new Gauge({
    name: 'chorus_model_info',
    help: 'Live model version and TensorFlow.js backend (value is always 1)',
    labelNames: ['version', 'backend'] as const,
    registers,
    collect() {
      const { modelVersion, backend } = recs.status();
      this.reset();
      this.set({ version: modelVersion, backend }, 1);
    },
  });

  const pushLatency = new Histogram({
    name: 'chorus_recs_push_latency_seconds',
    help: 'From storing an interaction to emitting the recommendations it changed',
    buckets: PUSH_BUCKETS_S,
    registers,
  });
  const stopPushes = recs.onPush((_roomId, latencyMs) => pushLatency.observe(latencyMs / 1000));

  const eventDuration = new Histogram({
    name: 'chorus_socket_event_duration_seconds',
    help: 'From a client event reaching its handler to its ack (a room edit acks after its broadcast), by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    buckets: EVENT_BUCKETS_S,
    registers,
  });

  // The native monitor samples far more cheaply than a timer in JS; each scrape reports the window
  // since the previous one.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  new Gauge({
    name: 'chorus_event_loop_delay_seconds',
    help: 'Event-loop delay quantiles since the previous scrape (quantile 1 is the maximum)',
    labelNames: ['quantile'] as const,
    registers,
    collect() {
      // The histogram records the whole gap between two samples of a timer due every LOOP_RESOLUTION_MS:
      // the delay is what exceeds that interval (an idle loop reads 0, not 10 ms).
      const delay = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS) / 1e3;
      for (const q of LOOP_QUANTILES) this.set({ quantile: String(q) }, delay(loopDelay.percentile(q * 100)));
      this.set({ quantile: '1' }, delay(loopDelay.max));
      loopDelay.reset();
    },
  });

  new Gauge({
    name: 'chorus_rooms_open',
    help: 'Rooms open on this node',
    registers,
    collect() {
      this.set(opts.rooms());
    },
  });
  new Gauge({
    name: 'chorus_room_members_connected',
    help: 'Members connected to the rooms open on this node',
    registers,
    collect() {
      this.set(opts.members());
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeEvent: (event, ms, ok) => eventDuration.observe({ event, outcome: ok ? 'ok' : 'error' }, ms / 1000),
    close() {
      stopPushes();
      loopDelay.disable();
    },
  };
}
