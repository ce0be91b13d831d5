/**
 * The model registry on the database: snapshot the learner into a new active version, list versions,
 * roll the live learner back to one. One operation at a time (a snapshot of 10+ MB must not interleave
 * with a rollback).
 */
import type { Database, StoredModelInfo } from '../../db/repositories/types.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Request, ResponseData, SnapshotResult } from './protocol.ts';
import type { ModelVersionInfo } from './types.ts';

const LIST_LIMIT = 100;

export class ModelRegistry {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private learnedAtSnapshot = 0;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly keep: number,
    private readonly ask: <T extends ResponseData>(r: Request) => Promise<T>,
  ) {}

  get busy(): boolean {
    return this.pending > 0;
  }

  learnedSinceSnapshot(learned: number): number {
    return learned - this.learnedAtSnapshot;
  }

  snapshot(reason: string): Promise<ModelVersionInfo> {
    return this.serial(async () => {
      const t = performance.now();
      const s = await this.ask<SnapshotResult>({ kind: 'snapshot' });
      const row = await this.db.repos.models.insert({
        createdAt: Date.now(),
        reason,
        interactions: s.interactions,
        cursor: s.cursor,
        metrics: s.metrics,
        weights: s.weights,
        data: s.data,
      });
      await this.ask({ kind: 'rebase', version: row.version });
      this.learnedAtSnapshot = s.learnedInProcess;
      const pruned = await this.db.repos.models.prune(this.keep);
      this.log.info(
        { version: row.version, reason, bytes: row.bytes, interactions: row.interactions, pruned, ms: Math.round(performance.now() - t) },
        'model snapshot stored',
      );
      return toInfo(row);
    });
  }

  async list(): Promise<ModelVersionInfo[]> {
    return (await this.db.repos.models.list(LIST_LIMIT)).map(toInfo);
  }

  activate(version: number): Promise<ModelVersionInfo> {
    return this.serial(async () => {
      const stored = await this.db.repos.models.get(version);
      if (!stored) throw new AppError('NOT_FOUND', `no model version ${version}`);
      // The rolled-back learner continues with what arrives from now on.
      const cursor = await this.db.repos.interactions.count();
      await this.ask({ kind: 'restore', version, data: stored.data, cursor });
      const row = await this.db.repos.models.activate(version, cursor);
      if (!row) throw new AppError('NOT_FOUND', `no model version ${version}`);
      this.log.warn({ version }, 'model version activated (rollback)');
      return toInfo(row);
    });
  }

  /**
   * The snapshot schedule both learners follow: every `intervalS` when something was learned, and as soon
   * as `every` interactions were learned since the last snapshot. `learned()` is this process's counter.
   */
  schedule(o: { intervalS: number; every: number; learned: () => number; paused?: () => boolean }): NodeJS.Timeout {
    const tickMs = 1000;
    let sinceInterval = 0;
    const timer = setInterval(() => {
      if (this.busy || o.paused?.()) return;
      sinceInterval += tickMs;
      const learned = this.learnedSinceSnapshot(o.learned());
      const byCount = o.every > 0 && learned >= o.every;
      const byTime = o.intervalS > 0 && sinceInterval >= o.intervalS * 1000 && learned > 0;
      if (!byCount && !byTime) return;
      sinceInterval = 0;
      this.snapshot(byCount ? 'interactions' : 'interval').catch((err: unknown) => this.log.error({ err }, 'model snapshot failed'));
    }, tickMs);
    timer.unref();
    return timer;
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.tail.then(f, f);
    this.tail = run.catch(() => undefined);
    return run.finally(() => this.pending--);
  }
}

function toInfo(r: StoredModelInfo): ModelVersionInfo {
  return {
    version: r.version,
    createdAt: r.createdAt,
    interactions: r.interactions,
    metrics: r.metrics,
    weights: r.weights,
    active: r.active,
    reason: r.reason,
    bytes: r.bytes,
  };
}
