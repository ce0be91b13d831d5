/**
 * CPU priority for a background thread. On Linux every thread has its own nice value: setpriority() on
 * the thread's id (which /proc/thread-self names) lowers this thread only, not the process. The learner
 * thread runs at a lower priority so that, when the cores are busy, the socket loop and the database
 * thread (what a member is waiting on) are scheduled first. Elsewhere this is a no-op.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Applies `nice` (0–19) to the calling thread; returns the nice value it now has, or null where it cannot. */
export function niceThisThread(nice: number): number | null {
  if (process.platform !== 'linux' || nice <= 0) return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
