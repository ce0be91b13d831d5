/**
 * How far behind the learner thread is (`chorus_learner_lag_*` in /metrics). The event loop counts what
 * it posts; the thread reports, at most every 250 ms, how many it has received, stamped with its own wall
 * clock. The lag is read as of that report — interactions posted before it that the thread had not
 * received yet — so the interval between reports is not counted as lag (it used to be: every run showed
 * a lag of ~250 ms). A thread that stops reporting while interactions wait is read as it is now: after
 * `staleMs` without a report the age of the oldest waiting interaction is the lag, and it keeps growing.
 */
export class LagTracker {
  private posted = 0;
  /** [cumulative posted count, wall time posted] of batches not yet reported received. */
  private inFlight: Array<[number, number]> = [];
  private reportedAt = -Infinity;
  private lagAtReport = 0;
  private received = 0;
  private unreceivedAtReport = 0;

  constructor(
    private readonly staleMs: number,
    private readonly now: () => number,
  ) {}

  post(count: number): void {
    this.posted += count;
    this.inFlight.push([this.posted, this.now()]);
  }

  /** The thread had received `received` interactions at its wall time `at`. */
  report(received: number, at: number): void {
    while (this.inFlight.length > 0 && (this.inFlight[0]?.[0] ?? 0) <= received) this.inFlight.shift();
    const oldest = this.inFlight[0]?.[1];
    this.lagAtReport = oldest !== undefined && oldest < at ? at - oldest : 0;
    let postedBefore = received;
    for (const [count, t] of this.inFlight) {
      if (t >= at) break;
      postedBefore = count;
    }
    this.received = received;
    this.unreceivedAtReport = postedBefore - received;
    this.reportedAt = this.now();
  }

  /** Interactions posted but not yet received by the thread, read the same way as lagMs. */
  unreceived(): number {
    if (this.now() - this.reportedAt > this.staleMs) return Math.max(0, this.posted - this.received);
    return this.unreceivedAtReport;
  }

  lagMs(): number {
    const oldest = this.inFlight[0]?.[1];
    if (oldest === undefined) return 0;
    if (this.now() - this.reportedAt > this.staleMs) return Math.round(this.now() - oldest);
    return Math.round(this.lagAtReport);
  }

  /** A new thread: nothing of the old one's is in flight. */
  reset(): void {
    this.posted = 0;
    this.inFlight = [];
    this.reportedAt = -Infinity;
    this.lagAtReport = 0;
    this.received = 0;
    this.unreceivedAtReport = 0;
  }
}
