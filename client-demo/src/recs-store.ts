/** The latest recommendations and the history of ensemble weights they carried (for the chart). */
import type { RecsUpdatedEvent } from '../../server/transport/socket/events.ts';

export interface WeightPoint {
  at: number;
  weights: Record<string, number>;
}

const MAX_POINTS = 240;

export class RecsStore {
  latest: RecsUpdatedEvent | null = null;
  history: WeightPoint[] = [];
  /** How many pushes arrived (shown so people see the room learning). */
  pushes = 0;
  private listeners = new Set<(e: RecsUpdatedEvent) => void>();

  push(e: RecsUpdatedEvent): void {
    this.latest = e;
    this.pushes++;
    const last = this.history[this.history.length - 1];
    // Pushes share a server timestamp only when coalesced; keep time strictly increasing for the chart.
    const at = last && e.at <= last.at ? last.at + 1 : e.at;
    this.history.push({ at, weights: { ...e.weights } });
    if (this.history.length > MAX_POINTS) this.history.shift();
    for (const fn of this.listeners) fn(e);
  }

  reset(): void {
    this.latest = null;
    this.history = [];
    this.pushes = 0;
  }

  onChange(fn: (e: RecsUpdatedEvent) => void): void {
    this.listeners.add(fn);
  }
}
