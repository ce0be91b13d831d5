/**
 * NTP-style estimate of the server clock (docs/protocol.md §6 "Time sync"). Several probes per round;
 * the sample with the lowest round trip wins (its offset is the least distorted by queueing); rounds
 * repeat periodically, and the drift is the slope of the winning offsets over time.
 */
import type { TimeSyncData } from '../../server/transport/socket/events.ts';

/** A monotonic clock on the epoch scale: Date.now() can jump when the OS adjusts the time. */
export const clientNow = (): number => performance.timeOrigin + performance.now();

export interface SyncSample {
  /** Client time when the sample was taken. */
  at: number;
  /** server clock − client clock, ms. */
  offset: number;
  /** Round trip minus server processing, ms. */
  rtt: number;
}

export function toSample({ t0, t1, t2 }: TimeSyncData, t3: number): SyncSample {
  return { at: t3, offset: (t1 - t0 + (t2 - t3)) / 2, rtt: t3 - t0 - (t2 - t1) };
}

/** The sample with the smallest round trip (undefined for none). */
export function bestSample(samples: readonly SyncSample[]): SyncSample | undefined {
  let best: SyncSample | undefined;
  for (const s of samples) if (s.rtt >= 0 && (!best || s.rtt < best.rtt)) best = s;
  return best;
}

/**
 * Least-squares slope of offset over time (ms per ms); null until rounds span at least minSpanMs (with
 * ~1 ms of noise per sample, a shorter span would report noise as tens of ppm).
 */
export function driftOf(history: readonly SyncSample[], minSpanMs = 60_000): number | null {
  if (history.length < 2) return null;
  const first = history[0];
  const last = history[history.length - 1];
  if (!first || !last || last.at - first.at < minSpanMs) return null;
  const n = history.length;
  const mx = history.reduce((a, s) => a + (s.at - first.at), 0) / n;
  const my = history.reduce((a, s) => a + s.offset, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of history) {
    const dx = s.at - first.at - mx;
    num += dx * (s.offset - my);
    den += dx * dx;
  }
  return den === 0 ? null : num / den;
}

export interface ClockStatus {
  offset: number;
  rtt: number;
  /** Drift of the client clock against the server's in ppm (µs per s); null until measurable. */
  driftPpm: number | null;
  samples: number;
  lastSyncAt: number;
  syncing: boolean;
}

export interface ClockSyncOptions {
  probes?: number;
  gapMs?: number;
  intervalMs?: number;
  /** Rounds kept for the drift estimate. */
  historySize?: number;
}

export class ClockSync {
  private history: SyncSample[] = [];
  private current: SyncSample | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private listeners = new Set<(s: ClockStatus) => void>();
  private readonly opts: Required<ClockSyncOptions>;

  constructor(
    private readonly probe: (t0: number) => Promise<TimeSyncData>,
    opts: ClockSyncOptions = {},
  ) {
    this.opts = { probes: 5, gapMs: 120, intervalMs: 30_000, historySize: 12, ...opts };
  }

  /** Server time now (ms since epoch), corrected for the measured drift since the last round. */
  now(): number {
    const t = clientNow();
    if (!this.current) return t;
    const drift = driftOf(this.history) ?? 0;
    return t + this.current.offset + drift * (t - this.current.at);
  }

  get synced(): boolean {
    return this.current !== undefined;
  }

  status(): ClockStatus {
    const drift = driftOf(this.history);
    return {
      offset: this.current?.offset ?? 0,
      rtt: this.current?.rtt ?? 0,
      driftPpm: drift === null ? null : drift * 1e6,
      samples: this.history.length,
      lastSyncAt: this.current?.at ?? 0,
      syncing: this.running !== undefined,
    };
  }

  onChange(fn: (s: ClockStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One round now (joins a round in progress), then periodic rounds. */
  resync(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.running ??= this.round().finally(() => {
      this.running = undefined;
      this.emit();
      this.timer = setTimeout(() => void this.resync(), this.opts.intervalMs);
    });
    this.emit();
    return this.running;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async round(): Promise<void> {
    const samples: SyncSample[] = [];
    for (let i = 0; i < this.opts.probes; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.opts.gapMs));
      const t0 = clientNow();
      try {
        const data = await this.probe(t0);
        samples.push(toSample(data, clientNow()));
      } catch {
        // A lost probe is just a missing sample (disconnected, timed out).
      }
    }
    const best = bestSample(samples);
    if (!best) return;
    this.current = best;
    this.history.push(best);
    if (this.history.length > this.opts.historySize) this.history.shift();
  }

  private emit(): void {
    const s = this.status();
    for (const fn of this.listeners) fn(s);
  }
}
