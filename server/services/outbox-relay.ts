/**
 * The outbox relay (cluster mode): every `intervalMs` it re-publishes interactions that are still
 * queued in Postgres `graceMs` after they were stored — their publish failed (Redis was away) or the
 * node stopped between commit and publish. Batches are taken with row locks (SKIP LOCKED), so nodes
 * relay disjoint sets; a duplicate that still slips through (published, then the dequeue failed) is
 * dropped by consumers, which deduplicate by interaction id. Failures are logged once per outage.
 */
import type { Database } from '../../db/repositories/types.ts';
import type { Interaction } from '../../ml/types.ts';
import type { Logger } from '../logger.ts';
import type { InteractionLog } from './types.ts';

export interface OutboxRelayOptions {
  db: Database;
  interactionLog: InteractionLog;
  log: Pick<Logger, 'info' | 'warn'>;
  intervalMs: number;
  /** Entries younger than this are left to the hot path that is publishing them right now. */
  graceMs?: number;
  batchSize?: number;
  /** Called with what was re-published (e.g. to refresh recommendations). */
  onRelayed?: (records: readonly Interaction[]) => void;
  now?: () => number;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private stopped = false;
  /** Interactions re-published by this relay since start (for tests and logs). */
  relayed = 0;

  constructor(private readonly opts: OutboxRelayOptions) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** One pass: drains every entry due now, a batch at a time. Never throws. */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => this.schedule());
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const { db, interactionLog, log } = this.opts;
    const before = (this.opts.now ?? Date.now)() - (this.opts.graceMs ?? 2_000);
    const batch = this.opts.batchSize ?? 500;
    let total = 0;
    try {
      for (;;) {
        if (this.stopped) break;
        const n = await db.repos.outbox.relay(before, batch, async (records) => {
          await interactionLog.publish(records);
          this.opts.onRelayed?.(records);
        });
        total += n;
        if (n < batch) break;
      }
      if (this.failing) log.info('outbox relay recovered');
      this.failing = false;
    } catch (err) {
      if (!this.failing) log.warn({ err }, 'outbox relay failed; retrying');
      this.failing = true;
    }
    if (total > 0) {
      this.relayed += total;
      log.info({ count: total }, 're-published interactions from the outbox');
    }
  }
}
