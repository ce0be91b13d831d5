import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** Runs niceThisThread(nice) in a fresh worker thread and returns what it answered. */
function inWorker(nice: number): Promise<number | null> {
  const w = new Worker(new URL('./thread-priority.worker.mjs', import.meta.url), { workerData: nice });
  return new Promise((resolve, reject) => {
    w.once('message', (v: number | null) => {
      resolve(v);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('niceThisThread (server/learning/thread-priority.ts)', () => {
  it.runIf(process.platform === 'linux')('lowers the calling thread only, not the process', async () => {
    const before = getPriority(process.pid);
    expect(await inWorker(7)).toBe(7);
    expect(getPriority(process.pid)).toBe(before);
  });

  it('leaves the thread alone for 0', async () => {
    expect(await inWorker(0)).toBeNull();
  });
});
