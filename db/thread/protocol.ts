/** Messages between the event loop and the PGlite thread (thread-database.ts ↔ pglite-thread.ts). */
import type { Repositories } from '../repositories/types.ts';

export interface ThreadInit {
  dataDir: string;
}

export type RepoName = keyof Repositories;

export type ToThread =
  | { type: 'call'; id: number; repo: RepoName; method: string; args: unknown[] }
  | { type: 'ping'; id: number }
  | { type: 'close'; id: number };

/** An error as it crosses the thread: enough to rebuild an AppError or keep a SQLSTATE. */
export interface WireError {
  name: string;
  message: string;
  code?: string | undefined;
}

export type FromThread =
  | { type: 'ready' }
  | { type: 'failed'; error: WireError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError };

export function toWire(e: unknown): WireError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: String(e) };
}
