/**
 * The embedded database, off the event loop: a Database whose repositories forward every call to the
 * PGlite thread (pglite-thread.ts) and resolve with its answer. Arguments and results cross by structured
 * clone (plain rows, RoomState, Uint8Array snapshots); errors come back as AppError with their code, or
 * as an Error that keeps its SQLSTATE.
 *
 * Should the thread die (a WASM abort), the calls in flight fail with UNAVAILABLE (their outcome is
 * unknown, as with a dropped Postgres connection: room saves are versioned, appends idempotent) and the
 * next call opens the data dir again in a new thread, so the server carries on by itself.
 */
import { Worker } from 'node:worker_threads';
import { AppError, isErrorCode } from '../../server/errors.ts';
import type { Database, Repositories } from '../repositories/types.ts';
import type { FromThread, RepoName, ThreadInit, ToThread, WireError } from './protocol.ts';

const THREAD_URL = new URL('./pglite-thread.mjs', import.meta.url);
const REPOS: readonly RepoName[] = ['users', 'tracks', 'rooms', 'interactions', 'models', 'outbox'];

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Call = { type: 'call'; repo: RepoName; method: string; args: unknown[] } | { type: 'ping' } | { type: 'close' };

export function fromWire(w: WireError): Error {
  if (w.name === 'AppError' && w.code && isErrorCode(w.code)) return new AppError(w.code, w.message);
  const e = new Error(w.message) as Error & { code?: string };
  e.name = w.name;
  if (w.code) e.code = w.code;
  return e;
}

class PgliteThread {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private idleWaiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly init: ThreadInit) {}

  /** Starts the thread if none runs; resolves once its database is open. */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(THREAD_URL, { workerData: this.init });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromThread) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(fromWire(m.error));
        else this.settle(m);
      });
      // `on`, not `once`: a listener must stay, or a later 'error' event would be thrown in this thread.
      worker.on('error', (err) => reject(err));
      worker.once('exit', (code) => {
        reject(new Error(`the database thread exited (code ${code}) before it opened`));
        this.lost(worker, code);
      });
    });
    // A failed start is not cached: the next call tries again.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  async call(c: Call): Promise<unknown> {
    if (this.closed && c.type !== 'close') throw new AppError('UNAVAILABLE', 'the database is closed');
    // A thread that cannot be restarted (the data dir gone, say): the caller sees the database as away.
    await this.start().catch((e: unknown) => {
      throw new AppError('UNAVAILABLE', 'the database thread could not be started', { cause: e });
    });
    const worker = this.worker as Worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ ...c, id } satisfies ToThread);
      } catch (e) {
        // An argument that cannot cross (a callback): a programming error, reported as such.
        this.pending.delete(id);
        reject(new AppError('INTERNAL', `database call ${c.type === 'call' ? `${c.repo}.${c.method}` : c.type} cannot cross to the database thread`, { cause: e }));
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.worker) {
      this.closed = true;
      return;
    }
    try {
      await this.call({ type: 'close' });
    } finally {
      this.closed = true;
      await this.worker?.terminate();
    }
  }

  /** Resolves once no call is in flight. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIfIdle(): void {
    if (this.pending.size > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Ends the thread as a crash would (tests): calls in flight fail, the next call starts a new one. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  private settle(m: Extract<FromThread, { type: 'result' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(fromWire(m.error));
    this.wakeIfIdle();
  }

  private lost(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    for (const p of this.pending.values()) {
      p.reject(new AppError('UNAVAILABLE', `the database thread stopped (code ${code}); the outcome of this call is unknown`));
    }
    this.pending.clear();
    this.wakeIfIdle();
  }
}

export interface ThreadDatabase extends Database {
  /** Ends the thread as a crash would (tests): calls in flight fail, the next call starts a new one. */
  kill(): Promise<void>;
}

/** Opens PGlite at `dataDir` in its own thread (migrated, as openDb does in-process). */
export async function openPgliteThread(dataDir: string): Promise<ThreadDatabase> {
  const thread = new PgliteThread({ dataDir });
  await thread.start();
  const repo = (name: RepoName): unknown =>
    new Proxy(
      {},
      {
        // Not `then`: a repository is not a promise (awaiting one must not turn into a call).
        get: (_target, method) =>
          typeof method === 'string' && method !== 'then'
            ? (...args: unknown[]) => thread.call({ type: 'call', repo: name, method, args })
            : undefined,
      },
    );
  const repos = Object.fromEntries(REPOS.map((name) => [name, repo(name)])) as unknown as Repositories;
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    repos,
    ping: () => thread.call({ type: 'ping' }).then((ok) => ok === true, () => false),
    close: () => (closing ??= thread.close()),
    idle: () => thread.idle(),
    kill: () => thread.kill(),
  };
}
