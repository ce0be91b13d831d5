/**
 * Group commit for interactions that come without a room edit (a like changes no room state): while one
 * append is in flight, new records queue up, and the next append writes them all in one statement. Every
 * caller still resolves only after its own records are durable, so an ack never precedes the commit; a
 * burst of a few hundred reactions per second costs a few appends instead of hundreds (a round trip to
 * the database, or a PGlite call on the event loop, each).
 */
import type { Interaction } from '../../ml/types.ts';

type Append = (records: readonly Interaction[], outbox: boolean) => Promise<unknown>;

interface Waiting {
  records: readonly Interaction[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Records per statement (one jsonb parameter; this keeps a statement's work bounded). */
const MAX_BATCH = 500;
/** How long a batch waits for a busy single-connection database before it queues behind the busy call anyway. */
const IDLE_WAIT_MS = 5;

export class AppendBatcher {
  private queue: Waiting[] = [];
  private queued = 0;
  private inFlight = false;
  private scheduled = false;

  /**
   * `idle` (optional): resolves when the database has nothing in flight (Database.idle). A batch waits for
   * it, up to IDLE_WAIT_MS, so that on a single-connection database the reactions arriving while a room
   * save runs join this statement instead of each queueing behind the save with one of their own.
   */
  constructor(
    private readonly append: Append,
    private readonly outbox: boolean,
    private readonly idle?: () => Promise<void>,
  ) {}

  /** Resolves once `records` are stored (with everything batched alongside them). */
  write(records: readonly Interaction[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queued += records.length;
      // Start on the next turn of the loop, not now: an embedded database (PGlite) answers within the
      // same turn, so without this wait nothing would ever queue behind an append. Every reaction the
      // loop read in this turn goes into one statement.
      if (!this.inFlight && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (!this.inFlight) void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      if (this.idle) await idleOrTimeout(this.idle(), IDLE_WAIT_MS);
      const batch: Waiting[] = [];
      let n = 0;
      while (this.queue.length > 0 && (batch.length === 0 || n + (this.queue[0]?.records.length ?? 0) <= MAX_BATCH)) {
        const w = this.queue.shift() as Waiting;
        batch.push(w);
        n += w.records.length;
      }
      this.queued -= n;
      try {
        await this.append(
          batch.flatMap((w) => w.records),
          this.outbox,
        );
        for (const w of batch) w.resolve();
      } catch (e) {
        // One failed statement fails its whole batch: each caller's ack reports it and the client retries
        // (appends are idempotent by id, so a retry never doubles a record).
        for (const w of batch) w.reject(e);
      }
    }
    this.inFlight = false;
  }
}

function idleOrTimeout(idle: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([idle, timeout]).finally(() => clearTimeout(timer));
}
