/**
 * The PGlite thread: the embedded database and its repositories run here, off the socket event loop.
 * PGlite executes every statement synchronously inside its WASM engine, so on the event loop each room
 * save stalled every socket for its duration; here the loop only posts the call and awaits the answer.
 * Calls are answered in the order PGlite runs them (it has one connection and queues them itself).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../client.ts';
import type { Database } from '../repositories/types.ts';
import { toWire, type FromThread, type ThreadInit, type ToThread } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread');
const post = (m: FromThread): void => port.postMessage(m);
const init = workerData as ThreadInit;

let db: Database;
try {
  db = await openDb({ dataDir: init.dataDir });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'failed', error: toWire(e) });
  process.exit(1);
}

port.on('message', (m: ToThread) => {
  void answer(m);
});

async function answer(m: ToThread): Promise<void> {
  try {
    let value: unknown;
    if (m.type === 'ping') value = await db.ping();
    else if (m.type === 'close') value = await db.close();
    else {
      const repo = db.repos[m.repo] as unknown as Record<string, unknown>;
      const fn = repo[m.method];
      if (typeof fn !== 'function') throw new Error(`no repository method ${m.repo}.${m.method}`);
      value = await (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, m.args);
    }
    post({ type: 'result', id: m.id, ok: true, value });
  } catch (e) {
    post({ type: 'result', id: m.id, ok: false, error: toWire(e) });
  }
  if (m.type === 'close') port?.close();
}
