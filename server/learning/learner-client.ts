/**
 * The event-loop side of the learner thread: starts the worker, forwards interactions and room contexts,
 * turns requests into promises (with a deadline, so a busy or dead learner yields UNAVAILABLE rather
 * than a hung request) and hands recommendation pushes and status to listeners.
 */
import { Worker } from 'node:worker_threads';
import type { Interaction } from '../../ml/types.ts';
import { AppError, isErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { FromWorker, LearnerInit, Request, ResponseData, RoomContext, ToWorker } from './protocol.ts';
import type { LearnerStatus, RecsUpdatedEvent } from './types.ts';

const WORKER_URL = new URL('./learner-worker.mjs', import.meta.url);

export interface LearnerClientEvents {
  /** `json`: the push as the learner thread serialised it (a RecsUpdatedEvent). */
  recs(roomId: string, json: string, publishedAt: number): void;
  /** `at`: the thread's wall clock when it took the figures. */
  status(status: LearnerStatus, at: number): void;
  /** The thread ended without close() (it crashed or was killed). */
  crashed?(code: number): void;
}

interface Pending {
  resolve: (d: ResponseData) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class LearnerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private alive = true;
  private closing = false;
  private started = false;
  backend = 'unknown';
  /** The learner thread's nice value (null: unchanged or not supported here). */
  nice: number | null = null;

  private constructor(
    private readonly log: Logger,
    private readonly on: LearnerClientEvents,
  ) {
    this.worker = new Worker(WORKER_URL);
    this.worker.on('error', (err) => this.log.error({ err }, 'learner thread failed'));
    this.worker.on('exit', (code) => {
      this.alive = false;
      if (!this.closing) this.log.error({ code }, 'learner thread exited');
      if (!this.closing && this.started) this.on.crashed?.(code);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new AppError('UNAVAILABLE', 'the learner is not running'));
      }
      this.pending.clear();
    });
  }

  /** Start the thread and wait until its models are built (and restored). */
  static start(init: LearnerInit, log: Logger, on: LearnerClientEvents, timeoutMs = 120_000): Promise<LearnerClient> {
    const c = new LearnerClient(log, on);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void c.worker.terminate();
        reject(new Error(`the learner thread did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      c.worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          c.started = true;
          c.backend = m.backend;
          c.nice = m.nice;
          resolve(c);
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          void c.worker.terminate();
          reject(new Error(`the learner thread failed to start: ${m.message}`));
        } else c.dispatch(m);
      });
      c.worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the learner thread exited with code ${code} while starting`));
      });
      const transfer = init.snapshot ? [init.snapshot.data.buffer as ArrayBuffer] : [];
      c.worker.postMessage({ type: 'init', init } satisfies ToWorker, transfer);
    });
  }

  get running(): boolean {
    return this.alive;
  }

  interactions(records: Interaction[], publishedAt: number): void {
    this.send({ type: 'interactions', records, publishedAt });
  }

  room(room: RoomContext): void {
    this.send({ type: 'room', room });
  }

  roomClosed(roomId: string): void {
    this.send({ type: 'room:closed', roomId });
  }

  request<T extends ResponseData>(request: Request, timeoutMs = 5000): Promise<T> {
    if (!this.alive) return Promise.reject(new AppError('UNAVAILABLE', 'the learner is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError('UNAVAILABLE', `the learner did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (d: ResponseData) => void, reject, timer });
      const transfer = request.kind === 'restore' ? [request.data.buffer as ArrayBuffer] : [];
      this.worker.postMessage({ type: 'request', id, request } satisfies ToWorker, transfer);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.alive) return;
    await this.worker.terminate();
  }

  /** Ends the thread as a crash would (tests of the restart path). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  private send(m: ToWorker): void {
    if (this.alive) this.worker.postMessage(m);
  }

  private dispatch(m: FromWorker): void {
    switch (m.type) {
      case 'recs':
        this.on.recs(m.roomId, m.event, m.publishedAt);
        return;
      case 'status':
        this.on.status(m.status, m.at);
        return;
      case 'response': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.ok) p.resolve(m.data);
        else p.reject(new AppError(isErrorCode(m.error.code) ? m.error.code : 'INTERNAL', m.error.message));
        return;
      }
      default:
        return;
    }
  }
}
