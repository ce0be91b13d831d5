/**
 * A client worker thread: drives its share of the rooms (all clients of a room in this thread), posts
 * counters every second, and at the end turns its rooms' records into latency samples.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GENRES } from '../../../server/catalog/genres.ts';
import { TRACK_POOL, type Counters, type FromWorker, type ToWorker, type WorkerConfig, type WorkerResults } from './protocol.ts';
import { firstAtOrAbove, RoomDriver } from './room-driver.ts';
import { wallNow } from './stats.ts';

const config = workerData as WorkerConfig;
const port = parentPort ?? ((): never => {
  throw new Error('client-worker.ts runs as a worker thread');
})();
const send = (m: FromWorker): void => port.postMessage(m);

const counters: Counters = { sent: 0, acked: 0, ackFailed: 0, pushes: 0, queueAdds: 0, queueUpdates: 0 };
const errors: Record<string, number> = {};
const drivers: RoomDriver[] = [];
/** Rooms set up at once: enough to be quick, few enough not to storm the server's start. */
const SETUP_CONCURRENCY = 4;

/**
 * The tracks the rooms draw from: the first catalog page, or, past one page, what browsing the catalog
 * genre by genre finds (100 per genre), interleaved so every slice of the pool mixes genres.
 */
async function trackPool(url: string, size: number): Promise<string[]> {
  const page = async (query: string): Promise<string[]> =>
    ((await (await fetch(`${url}/api/tracks?limit=${TRACK_POOL}${query}`)).json()) as { tracks: { id: string }[] }).tracks.map((t) => t.id);
  if (size <= TRACK_POOL) return (await page('')).slice(0, size);
  const byGenre = await Promise.all(GENRES.map((g) => page(`&genre=${encodeURIComponent(g.genre)}`)));
  const pool = new Set<string>();
  for (let k = 0; k < TRACK_POOL; k++) for (const ids of byGenre) if (ids[k] !== undefined) pool.add(ids[k] as string);
  return [...pool].slice(0, size);
}

async function setup(): Promise<void> {
  const t0 = performance.now();
  const pool = await trackPool(config.urls[0] as string, config.tracks);
  const queue = [...config.rooms];
  const one = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const d = new RoomDriver(
        // Seven apart in the default pool of 100 (neighbouring rooms share most tracks); a bigger pool is
        // spread over the rooms, so each walks tracks of its own.
        { index, urls: config.urls, members: config.members, rate: config.rate, queueEveryS: config.queueEveryS, pool, offset: index * Math.max(7, Math.floor(pool.length / config.roomCount)) },
        counters,
        errors,
      );
      drivers.push(d);
      await d.setup();
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, one));
  send({ type: 'ready', rooms: drivers.length, sockets: drivers.reduce((s, d) => s + d.sockets.length, 0), setupMs: performance.now() - t0 });
}

function results(): WorkerResults {
  const recs: number[] = [];
  const queue: number[] = [];
  let recsMissing = 0;
  let queueMissing = 0;
  let learnedIds = 0;
  const ids: string[] = [];
  let disconnects = 0;
  for (const d of drivers) {
    disconnects += d.disconnects;
    for (const id of d.acks.keys()) {
      ids.push(id);
      if (d.arrivals.has(id)) learnedIds++;
    }
    for (const id of d.measured) {
      const ackAt = d.acks.get(id) ?? NaN;
      const at = d.arrivals.get(id);
      for (let m = 0; m < d.sockets.length; m++) {
        const t = at?.[m];
        if (t === undefined || Number.isNaN(t)) recsMissing++;
        else recs.push(t - ackAt);
      }
    }
    for (const q of d.queueSends) {
      if (q.version === undefined) continue; // failed add: counted in errors
      for (const seen of d.queueSeen) {
        const t = firstAtOrAbove(seen, q.version);
        if (t === undefined) queueMissing++;
        else queue.push(t - q.sendAt);
      }
    }
  }
  return {
    counters,
    ids,
    learnedIds,
    recsPushMs: Float64Array.from(recs),
    recsMissing,
    queueBroadcastMs: Float64Array.from(queue),
    reactAckMs: Float64Array.from(drivers.flatMap((d) => d.reactAckMs)),
    queueMissing,
    errors,
    disconnects,
  };
}

async function run(measureFrom: number, measureUntil: number, drainMs: number): Promise<void> {
  const progress = setInterval(() => send({ type: 'progress', counters }), 1000);
  for (const d of drivers) d.start({ measureFrom, measureUntil });
  await new Promise((r) => setTimeout(r, Math.max(0, measureUntil - wallNow())));
  for (const d of drivers) d.stop();
  // Every ack arrives or times out (ACK_TIMEOUT_MS), so "sent but not acked" means refused or lost,
  // not "still queued on an overloaded server"; then pushes get `drainMs` more.
  while (drivers.some((d) => d.outstanding() > 0)) await new Promise((r) => setTimeout(r, 100));
  const deadline = wallNow() + drainMs;
  while (wallNow() < deadline && !drivers.every((d) => d.settled())) await new Promise((r) => setTimeout(r, 100));
  clearInterval(progress);
  const r = results();
  port.postMessage({ type: 'results', results: r } satisfies FromWorker, [r.recsPushMs.buffer as ArrayBuffer, r.queueBroadcastMs.buffer as ArrayBuffer, r.reactAckMs.buffer as ArrayBuffer]);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    run(m.measureFrom, m.measureUntil, m.drainMs).catch((e: unknown) => send({ type: 'error', message: String(e) }));
  } else if (m.type === 'close') {
    for (const d of drivers) d.close();
    send({ type: 'closed' });
  }
});

setup().catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
