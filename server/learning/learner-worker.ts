/**
 * The learner thread. Messages are handled in arrival order, so a room's context always precedes the
 * interactions that follow it; after each slice of messages the rooms whose interactions were learned get
 * their recommendations recomputed and posted (one push per room per slice: bursts coalesce by themselves
 * when the thread is busy). Nothing here touches sockets or the database.
 */
import { parentPort } from 'node:worker_threads';
import { buildHost } from './build-host.ts';
import { niceThisThread } from './thread-priority.ts';
import { wallNow } from './wall-clock.ts';
import type { LearnerHost } from './learner-host.ts';
import type { FromWorker, LearnerInit, Request, ResponseData, ToWorker } from './protocol.ts';

const STATUS_EVERY_MS = 250;
/** Room recomputations per slice before new messages are read. */
const SLICE_MS = 4;

if (!parentPort) throw new Error('learner-worker must run in a worker thread');
const port = parentPort;
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

let host: LearnerHost | undefined;
let cursor = 0;
const queue: ToWorker[] = [];
let scheduled = false;
let lastStatus = 0;
let statusTimer: NodeJS.Timeout | undefined;

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    void start(m.init);
    return;
  }
  queue.push(m);
  schedule();
});

async function start(init: LearnerInit): Promise<void> {
  try {
    const built = await buildHost(init);
    host = built.host;
    cursor = built.cursor;
    post({ type: 'ready', backend: built.backend, nice: niceThisThread(init.nice ?? 0) });
    schedule();
  } catch (err) {
    post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

function schedule(): void {
  if (scheduled || !host) return;
  scheduled = true;
  setImmediate(run);
}

function run(): void {
  scheduled = false;
  const h = host;
  if (!h) return;
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) handle(h, m);
  // Pushes leave as they are computed; after a slice the thread takes in what arrived meanwhile (those
  // interactions join their room's next push) before going on with the rooms still waiting.
  const more = h.flushEach((p) => post({ type: 'recs', roomId: p.roomId, event: JSON.stringify(p.event), publishedAt: p.publishedAt }), SLICE_MS);
  // Nothing waits: deferred model work (a NeuMF step, an EASE refresh) runs now, one piece per turn, so
  // it never holds up a push and messages that arrive meanwhile are read before the next piece.
  if (more || (queue.length === 0 && h.catchUp())) schedule();
  reportSoon();
}

/** Status after activity, at most every STATUS_EVERY_MS (it walks the metrics book), and once after a burst. */
function reportSoon(): void {
  if (statusTimer) return;
  const wait = Math.max(0, lastStatus + STATUS_EVERY_MS - Date.now());
  statusTimer = setTimeout(() => {
    statusTimer = undefined;
    lastStatus = Date.now();
    if (host) post({ type: 'status', status: host.status(), at: wallNow() });
  }, wait);
}

function handle(h: LearnerHost, m: ToWorker): void {
  switch (m.type) {
    case 'interactions':
      cursor += h.ingest(m.records, m.publishedAt);
      return;
    case 'room':
      h.setRoom(m.room);
      return;
    case 'room:closed':
      h.closeRoom(m.roomId);
      return;
    case 'request':
      answer(h, m.id, m.request);
      return;
    case 'init':
      return;
  }
}

function answer(h: LearnerHost, id: number, r: Request): void {
  const ok = (data: ResponseData): void => {
    // A snapshot's bytes move instead of being copied, unless they are a view into a larger buffer (a
    // small Buffer can sit in Node's shared pool, which must not be detached).
    const bytes = data !== null && 'data' in data && data.data instanceof Uint8Array ? data.data : undefined;
    const transfer = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : undefined;
    post({ type: 'response', id, ok: true, data }, transfer);
  };
  const failed = (err: unknown): void => {
    const code = (err as { code?: unknown }).code;
    post({
      type: 'response',
      id,
      ok: false,
      error: { code: typeof code === 'string' ? code : 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
    });
  };
  try {
    const data = respond(h, r);
    if (data instanceof Promise) void data.then(ok).catch(failed);
    else ok(data);
  } catch (err) {
    failed(err);
  }
}

function respond(h: LearnerHost, r: Request): ResponseData | Promise<ResponseData> {
  switch (r.kind) {
    case 'forRoom':
      return h.forRoom(r.roomId, r.k, r.strategy);
    case 'forUser':
      return h.forUser(r.userId, r.k);
    case 'compatibility':
      return h.compatibility(r.a, r.b);
    case 'preferences':
      h.setPreferences(r.userId, r.preferences);
      return null;
    case 'snapshot':
      // Taken now, compressed off this thread: messages that arrive meanwhile are handled.
      return h.snapshotAsync(cursor);
    case 'restore':
      h.restore(r.version, r.data);
      cursor = r.cursor;
      return null;
    case 'rebase':
      h.rebase(r.version);
      return null;
    case 'catalog':
      h.addCatalog(r.tracks);
      return null;
    case 'drain':
      post({ type: 'status', status: h.status(), at: wallNow() });
      return null;
  }
}
