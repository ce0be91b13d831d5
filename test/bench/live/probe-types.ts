/** The IPC messages between the bench and probe.mjs inside a measured server process. */
import type { Dist } from './stats.ts';

/** `reset` starts a new measurement window (histogram, RSS peak, CPU time); `read` only reads. */
export interface ProbeRequest {
  probe: 'reset' | 'read';
  id: number;
}

export interface ProbeReply {
  probe: 'stats';
  id: number;
  eventLoopDelayMs: Dist;
  rssBytes: number;
  rssMaxBytes: number;
  /** CPU time of the process over the window, % of one core. */
  cpuPercent: number;
}
