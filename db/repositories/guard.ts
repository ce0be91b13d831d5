/**
 * Postgres failure behaviour (postgres.js only; PGlite is in-process): a repository call that cannot
 * reach the database fails with AppError('UNAVAILABLE') — a dropped or refused connection at once, an
 * unanswered one after `timeoutMs` (hot-path methods only: bulk imports and snapshots may take long).
 * postgres.js reconnects by itself on the next query, so service resumes as soon as Postgres answers.
 *
 * A call abandoned at its deadline may still commit later. Callers treat UNAVAILABLE as "outcome
 * unknown": room saves are versioned, so a late commit shows up as a CONFLICT and a reload.
 */
import { AppError, isAppError } from '../../server/errors.ts';
import type { Repositories } from './types.ts';

/** postgres.js connection codes and Node socket errors that mean "the database is not reachable now". */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** SQLSTATEs: class 08 (connection), admin/crash shutdown, cannot connect now, too many connections. */
const unavailableState = (code: string): boolean =>
  code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);

export function isDbUnavailable(err: unknown): boolean {
  for (let cur: unknown = err, depth = 0; cur && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState(code)))) {
      return true;
    }
    const errors = (cur as { errors?: unknown }).errors; // AggregateError (e.g. ECONNREFUSED on ::1 and 127.0.0.1)
    if (Array.isArray(errors) && errors.some((e) => isDbUnavailable(e))) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export function mapDbError(err: unknown, what: string): unknown {
  if (isAppError(err) || !isDbUnavailable(err)) return err;
  return new AppError('UNAVAILABLE', `${what}: database temporarily unavailable`, { cause: err });
}

/** Rejects with UNAVAILABLE after `ms`; the operation itself keeps running (see the note above). */
export function withDeadline<T>(op: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('UNAVAILABLE', `${what}: database did not answer in time`)), ms);
  });
  return Promise.race([op, deadline]).finally(() => clearTimeout(timer));
}

/** Methods on the hot path (a socket command waits on them): these get the deadline. */
const DEADLINED: Record<string, readonly string[]> = {
  rooms: ['create', 'save', 'load', 'loadByCode'],
  tracks: ['get', 'getMany', 'search', 'count'],
  users: ['create', 'get', 'setPreferences'],
  interactions: ['append', 'count'],
  outbox: ['remove', 'count'],
};

export interface GuardOptions {
  /** Deadline of hot-path calls (below the 2 s a client may wait for an edit's refusal). */
  timeoutMs: number;
}

/** Wraps every repository method: connection errors → UNAVAILABLE, hot-path calls bounded in time. */
export function guardRepositories(repos: Repositories, opts: GuardOptions): Repositories {
  const out: Record<string, unknown> = {};
  for (const [area, repo] of Object.entries(repos) as [string, Record<string, unknown>][]) {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(repo)) {
      if (typeof fn !== 'function') {
        wrapped[name] = fn;
        continue;
      }
      const what = `${area}.${name}`;
      const bounded = DEADLINED[area]?.includes(name) ?? false;
      wrapped[name] = async (...args: unknown[]) => {
        try {
          const op = (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
          if (!bounded) return await op;
          // A late rejection of an abandoned call must not become an unhandled rejection.
          op.catch(() => undefined);
          return await withDeadline(op, opts.timeoutMs, what);
        } catch (err) {
          throw mapDbError(err, what);
        }
      };
    }
    out[area] = wrapped;
  }
  return out as unknown as Repositories;
}
