/**
 * The PGlite thread: the embedded database and its repositories run here, off the socket event loop.
 * PGlite executes every statement synchronously inside its WASM engine, so on the event loop each room
 * save stalled every socket for its duration; here the loop only posts the call and awaits the answer.
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

/**
 * Calls run one at a time (PGlite has one connection; it would queue them anyway), room calls first: a
 * room edit holds up everyone in the room, while a reaction's append holds up only its sender and is
 * group-committed with the others. After URGENT_RUN room calls in a row a waiting call goes next, so
 * nothing waits for ever.
 */
const URGENT_RUN = 8;
const urgent: ToThread[] = [];
const normal: ToThread[] = [];
let running = false;
let run = 0;

port.on('message', (m: ToThread) => {
  (m.type === 'call' && m.repo === 'rooms' ? urgent : normal).push(m);
  if (!running) void drain();
});

async function drain(): Promise<void> {
  running = true;
  for (;;) {
    const takeUrgent = urgent.length > 0 && (run < URGENT_RUN || normal.length === 0);
    const next = takeUrgent ? urgent.shift() : normal.shift();
    if (!next) break;
    run = takeUrgent ? run + 1 : 0;
    await answer(next);
  }
  running = false;
}

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
