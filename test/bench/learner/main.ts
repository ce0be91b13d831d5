/**
 * `npm run bench:learner [-- --rooms 100 --members 10 --rate 0.5 --seconds 30 --seed 7]`
 *
 * What the learner thread costs per interaction, without threads, sockets or a database: the live
 * LearnerHost (buildHost: the live models and settings, the generated catalog) is driven on simulated
 * time with the live bench's pattern (every member reacts at `--rate`, like 75 %, on the current track
 * 70 % of the time, else a queued one; each room's queue moves every 3 s), and after every interaction
 * the host learns it and computes the room's push, as the learner thread does when it keeps up. Deferred
 * model work (NeuMF steps, EASE refresh slices) runs after each push, as the thread runs it when idle;
 * "one deferred piece" is how long one of those holds the thread (a push arriving meanwhile waits for it).
 * The tracks are drawn from the whole generated catalog (the live bench's clients share a pool of 100),
 * so the item model's EASE refresh works on a realistic item count here.
 *
 * Timings are this thread's own, one thing at a time, so the figure is stable where the live bench's
 * latencies are not: "learner share" is the CPU the thread needs at the simulated load (% of one core).
 * A first simulated second warms the models up and is not measured. A second table splits the models'
 * part by model (scoring: pushes and prequential tests; learning: updates and deferred steps). Progress on
 * stderr, tables on stdout. `--against <checkout>` measures another checkout at the same time (against.ts).
 */
import { generateCatalog } from '../../../server/catalog/generate.ts';
import { buildHost } from '../../../server/learning/build-host.ts';
import { toCatalogEntry } from '../../../server/learning/catalog-load.ts';
import type { RoomContext } from '../../../server/learning/protocol.ts';
import type { ModelCosts } from '../../../ml/learner/learner.ts';
import { uniform } from '../../../ml/models/shared/rng.ts';
import type { Interaction } from '../../../ml/types.ts';
import { distribution, poissonDelayMs, type Dist } from '../live/stats.ts';

interface Args {
  rooms: number;
  members: number;
  rate: number;
  seconds: number;
  seed: number;
  catalog: number;
}

function parse(argv: readonly string[]): Args {
  const a: Args = { rooms: 100, members: 10, rate: 0.5, seconds: 30, seed: 7, catalog: 5000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '') as keyof Args;
    const v = Number(argv[i + 1]);
    if (!(key in a) || !Number.isFinite(v) || v <= 0) throw new Error(`bad option ${argv[i]} ${argv[i + 1] ?? ''}`);
    a[key] = v;
  }
  return a;
}

const log = (m: string): void => void process.stderr.write(`[bench:learner] ${m}\n`);
const T0 = Date.UTC(2026, 10, 20, 20, 0, 0);
const WARMUP_S = 1;
const QUEUE_EVERY_MS = 3000;
const QUEUE_LEN = 4;

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const rnd = uniform(args.seed);
  const catalog = generateCatalog(args.catalog, 42).map(toCatalogEntry);
  let now = T0;
  const built = await buildHost({ seed: args.seed, catalog, preferences: [], k: 10, testEvery: 4 }, { now: () => now });
  const host = built.host;
  log(`${catalog.length} tracks, backend ${built.backend}; ${args.rooms} rooms × ${args.members} members at ${args.rate}/s each, ${args.seconds} s simulated`);

  const pick = (): string => (catalog[Math.floor(rnd() * catalog.length)] as (typeof catalog)[number]).id;
  const rooms: RoomContext[] = Array.from({ length: args.rooms }, (_, r) => ({
    roomId: `room${r}`,
    version: 1,
    members: Array.from({ length: args.members }, (_, m) => ({ userId: `u${r}-${m}`, displayName: `User ${r}-${m}` })),
    strategy: 'fair',
    queued: Array.from({ length: QUEUE_LEN }, pick),
    current: pick(),
  }));
  for (const r of rooms) host.setRoom(r);
  const queueDue = rooms.map(() => T0 + rnd() * QUEUE_EVERY_MS);

  let costsAtWarm: ModelCosts = {};
  const ingestMs: number[] = [];
  const pushMs: number[] = [];
  let catchUpMs = 0;
  /** Each deferred piece that ran (a push arriving meanwhile waits for all of it). */
  const pieceMs: number[] = [];
  let measured = 0;
  let pushes = 0;
  const rate = args.rooms * args.members * args.rate;
  const end = T0 + args.seconds * 1000;
  let id = 0;
  let lastReport = performance.now();
  for (let t = T0 + poissonDelayMs(rate, rnd); t < end; t += poissonDelayMs(rate, rnd)) {
    now = t;
    const r = Math.floor(rnd() * rooms.length);
    let room = rooms[r] as RoomContext;
    if (t >= (queueDue[r] as number)) {
      // A member queues a track; the host removes the oldest (the live bench keeps four queued).
      room = { ...room, version: room.version + 1, queued: [...room.queued.slice(1), pick()] };
      rooms[r] = room;
      host.setRoom(room);
      queueDue[r] = t + QUEUE_EVERY_MS * (0.75 + rnd() / 2);
    }
    const member = room.members[Math.floor(rnd() * room.members.length)] as RoomContext['members'][number];
    const trackId = rnd() < 0.7 ? (room.current as string) : (room.queued[Math.floor(rnd() * room.queued.length)] as string);
    const x: Interaction = {
      id: `x${id++}`,
      userId: member.userId,
      roomId: room.roomId,
      trackId,
      type: rnd() < 0.75 ? 'like' : 'dislike',
      context: { hour: 20, weekday: 5 },
      createdAt: t,
    };
    const warm = t - T0 >= WARMUP_S * 1000;
    if (warm && measured === 0) costsAtWarm = host.modelCosts();
    const a = performance.now();
    host.ingest([x], t);
    const b = performance.now();
    host.flushEach(() => void pushes++);
    const c = performance.now();
    const ran = host.catchUp();
    const d = performance.now();
    if (warm) {
      measured++;
      ingestMs.push(b - a);
      pushMs.push(c - b);
      catchUpMs += d - c;
      if (ran) pieceMs.push(d - c);
    }
    if (d - lastReport > 5000) {
      lastReport = d;
      log(`simulated ${((t - T0) / 1000).toFixed(1)} of ${args.seconds} s: ${id} interactions, ${pushes} pushes`);
    }
  }

  const ingest = distribution([ingestMs]);
  const push = distribution([pushMs]);
  const perInteraction = ingest.mean + push.mean + catchUpMs / Math.max(1, measured);
  const row = (name: string, d: Dist): string =>
    `| ${name.padEnd(22)} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${fmt(d.mean)} |`;
  const fmt = (ms: number): string => (ms * 1000).toFixed(0).padStart(7);
  console.log(`\nLearner cost: ${args.rooms} rooms × ${args.members} members, ${rate} interactions/s simulated, ${measured} measured (${new Date().toISOString().slice(0, 10)})\n`);
  console.log('| µs per interaction     |     p50 |     p95 |     p99 |     max |    mean |');
  console.log('|:-----------------------|--------:|--------:|--------:|--------:|--------:|');
  console.log(row('learn (test + train)', ingest));
  console.log(row('push (room recs)', push));
  console.log(`| deferred model work    |         |         |         |         | ${fmt(catchUpMs / Math.max(1, measured))} |`);
  if (pieceMs.length > 0) console.log(row('one deferred piece', distribution([pieceMs])));
  console.log(`| total                  |         |         |         |         | ${fmt(perInteraction)} |`);
  const costs = host.modelCosts();
  console.log('\n| µs per interaction, by model | scoring | learning |');
  console.log('|:-----------------------------|--------:|---------:|');
  for (const [name, c] of Object.entries(costs)) {
    const before = costsAtWarm[name] ?? { scoreMs: 0, updateMs: 0 };
    const per = (ms: number): string => fmt(ms / Math.max(1, measured));
    console.log(`| ${name.padEnd(28)} | ${per(c.scoreMs - before.scoreMs)} | ${per(c.updateMs - before.updateMs).padStart(8)} |`);
  }
  // What a periodic snapshot costs the thread at this point (the live learner takes one every
  // CHORUS_SNAPSHOT_EVERY interactions / CHORUS_SNAPSHOT_INTERVAL_S).
  // The learner thread holds only while it serialises; gzip runs on libuv's pool.
  const snapStart = performance.now();
  const pending = host.snapshotAsync(0);
  const held = performance.now() - snapStart;
  const snap = await pending;
  console.log(
    `\nsnapshot: ${held.toFixed(0)} ms on this thread (${(performance.now() - snapStart).toFixed(0)} ms until compressed), ${(snap.data.byteLength / 1e6).toFixed(1)} MB gzipped`,
  );
  console.log(`learner share at ${rate}/s: ${((perInteraction * rate) / 10).toFixed(1)} % of one core (${pushes} pushes for ${id} interactions)`);
}

const argv = process.argv.slice(2);
const against = argv.indexOf('--against');
const started =
  against >= 0
    ? import('./against.ts').then(({ runAgainst }) => {
        const dir = argv[against + 1];
        if (!dir) throw new Error('--against needs a checkout directory');
        return runAgainst(dir, [...argv.slice(0, against), ...argv.slice(against + 2)]);
      })
    : main();
started.catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
