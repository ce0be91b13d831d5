/** Messages between main.ts and the client workers, and what a worker reports at the end. */

/** Catalog tracks the workload draws from (Chorus seeds its catalog right after listening: wait for them). */
export const TRACK_POOL = 100;

export interface WorkerConfig {
  /** The target's node URLs; member i of a room connects to urls[i % urls.length]. */
  urls: string[];
  /** Global indices of the rooms this worker drives (a room lives in one worker, so one clock). */
  rooms: number[];
  /** Rooms in the whole run (all workers). */
  roomCount: number;
  members: number;
  rate: number;
  queueEveryS: number;
  /** Size of the track pool (TRACK_POOL: one page of the catalog; more: browsed by genre). */
  tracks: number;
  label: string;
}

export type ToWorker =
  /** Measure what is sent in [measureFrom, measureUntil) (wall-clock ms); stop sending at measureUntil. */
  | { type: 'start'; measureFrom: number; measureUntil: number; drainMs: number }
  | { type: 'close' };

export interface Counters {
  /** track:react emitted / acked ok / acked with an error (whole run). */
  sent: number;
  acked: number;
  ackFailed: number;
  /** recs:updated events received by all members. */
  pushes: number;
  queueAdds: number;
  queueUpdates: number;
}

export interface WorkerResults {
  counters: Counters;
  /** Interaction ids of every acked reaction (whole run), for the stored count. */
  ids: string[];
  /** Acked ids that some member saw in a recs:updated `learned`. */
  learnedIds: number;
  /** ms from the ack of an interaction to its first push, one sample per member × measured interaction. */
  recsPushMs: Float64Array;
  /** member × measured interaction pairs that never saw the interaction in a push. */
  recsMissing: number;
  /** ms from a queue:add emit to each member's queue:updated (version ≥ the ack's). */
  queueBroadcastMs: Float64Array;
  /** ms from a measured track:react emit to its ack. */
  reactAckMs: Float64Array;
  queueMissing: number;
  /** Error codes of failed acks (all events), e.g. { RATE_LIMITED: 3 }. */
  errors: Record<string, number>;
  disconnects: number;
}

export type FromWorker =
  | { type: 'ready'; rooms: number; sockets: number; setupMs: number }
  | { type: 'progress'; counters: Counters }
  | { type: 'results'; results: WorkerResults }
  | { type: 'closed' }
  | { type: 'error'; message: string };
