/**
 * `npm run bench:ml [-- --json out.json] [--catalog file.csv] [--users 1000] [--per-user 100] [--iterations 200]`
 *
 * Loads the shared 26k-track catalog, builds a synthetic stream for ~1,000 users, and reports:
 *  - group recommendations for a 10-member room over the whole catalog (p50/p95/p99), through the learner's
 *    ensemble (the server's path) and through per-member scores + group aggregation (ml/group);
 *  - incremental update throughput of every count- and SGD-based model (interactions/s);
 *  - NeuMF's training step per batch, its online update cost and its scoring cost.
 * Progress goes to stderr, the table to stdout.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../backend.ts';
import { FairnessState } from '../group/fairness.ts';
import { recommendForGroup } from '../group/recommend.ts';
import { aggregate, GROUP_STRATEGIES } from '../group/strategies.ts';
import { topK } from '../group/top-k.ts';
import { Learner } from '../learner/learner.ts';
import { NeuMF } from '../models/neumf.ts';
import { buildModel, DEFAULT_MODELS, MODEL_NAMES } from '../models/registry.ts';
import type { ModelName } from '../models/registry.ts';
import type { Interaction, Recommender, ScoringContext } from '../types.ts';
import { readCatalog } from './read-catalog.ts';
import { syntheticStream } from './synthetic-stream.ts';
import { percentiles, sample } from './timing.ts';
import type { Percentiles } from './timing.ts';

interface Args {
  json?: string;
  catalog: string;
  users: number;
  perUser: number;
  iterations: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    catalog: fileURLToPath(new URL('../../../shared/data/catalog/spotify_songs.csv', import.meta.url)),
    users: 1000,
    perUser: 100,
    iterations: 200,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = (): number => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${k} needs a positive number`);
      i++;
      return n;
    };
    if (k === '--json' && v) (a.json = v), i++;
    else if (k === '--catalog' && v) (a.catalog = v), i++;
    else if (k === '--users') a.users = num();
    else if (k === '--per-user') a.perUser = num();
    else if (k === '--iterations') a.iterations = num();
    else if (k === '--help' || k === '-h') {
      process.stdout.write('usage: npm run bench:ml -- [--json file] [--catalog csv] [--users n] [--per-user n] [--iterations n]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const log = (msg: string): void => void process.stderr.write(`[bench:ml] ${msg}\n`);

/** Feed interactions one at a time (the live learner's pattern), with a progress line; returns interactions/s. */
function feed(label: string, m: Recommender, xs: readonly Interaction[]): { perSecond: number; ms: number } {
  const tty = process.stderr.isTTY;
  const step = Math.max(1, Math.floor(xs.length / 10));
  let busy = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as Interaction;
    const t = performance.now();
    m.update([x]);
    busy += performance.now() - t;
    if (tty && (i + 1) % step === 0) process.stderr.write(`\r[bench:ml] ${label}: ${Math.round(((i + 1) / xs.length) * 100)}%`);
  }
  if (tty) process.stderr.write('\r');
  return { perSecond: xs.length / (busy / 1000), ms: busy };
}

const LEARN_BETWEEN = 5;

/** Time `f` with LEARN_BETWEEN interactions (replayed from the stream, untimed) learned before each call. */
function sampleLearning(learner: Learner, xs: readonly Interaction[], f: () => void, n: number): Percentiles {
  let next = 0;
  const learn = (): void => {
    const batch: Interaction[] = [];
    for (let k = 0; k < LEARN_BETWEEN; k++) batch.push(xs[next++ % xs.length] as Interaction);
    learner.ingest(batch, { test: 'none' });
  };
  for (let i = 0; i < 20; i++) (learn(), f());
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    learn();
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return percentiles(out);
}

/** The shortlist against exhaustive scoring, averaged over the stream's rooms (each with its members). */
function retrievalQuality(
  learner: Learner,
  rooms: readonly { id: string; members: string[] }[],
  catalog: readonly string[],
  k: number,
): { rooms: number; size: number; recall: number; overlap: number; sameTop: number } {
  let size = 0;
  let recall = 0;
  let overlap = 0;
  let sameTop = 0;
  for (const r of rooms) {
    const ctx: ScoringContext = { roomId: r.id, members: r.members };
    const short = new Set(learner.retrieve(ctx));
    const full = learner.recommend(ctx, k, catalog).map((x) => x.trackId);
    const twoStage = learner.recommend(ctx, k).map((x) => x.trackId);
    const two = new Set(twoStage);
    size += short.size;
    recall += full.filter((id) => short.has(id)).length / Math.max(1, full.length);
    overlap += full.filter((id) => two.has(id)).length / Math.max(1, full.length);
    if (full[0] !== undefined && twoStage[0] === full[0]) sameTop++;
  }
  const n = Math.max(1, rooms.length);
  return { rooms: rooms.length, size: size / n, recall: recall / n, overlap: overlap / n, sameTop: sameTop / n };
}

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const pRow = (name: string, p: Percentiles): string[] => [name, fmt(p.p50), fmt(p.p95), fmt(p.p99)];

function table(title: string, head: string[], rows: string[][]): string {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((x, c) => (c === 0 ? x.padEnd(w[c] ?? 0) : x.padStart(w[c] ?? 0))).join(' | ')} |`;
  const rule = `|${w.map((n, c) => (c === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`;
  return [`\n${title}\n`, line(head), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = await initBackend({ log });
  log(`reading ${args.catalog}`);
  const tracks = readCatalog(args.catalog);
  const catalog = tracks.map((t) => t.id);
  const { interactions, rooms } = syntheticStream(tracks, { users: args.users, perUser: args.perUser });
  log(`${tracks.length} tracks, ${interactions.length} synthetic interactions, ${rooms.length} rooms`);

  // ---- incremental update throughput (and warm models for the group benchmark) ------------------------------
  const fastNames = MODEL_NAMES.filter((n): n is Exclude<ModelName, 'neumf'> => n !== 'neumf');
  const models: Recommender[] = [];
  const updates: { model: string; perSecond: number; refreshMs: number | null }[] = [];
  for (const name of fastNames) {
    const m = buildModel(name, { seed: 1 });
    m.setCatalog?.(tracks);
    const r = feed(`update ${name}`, m, interactions);
    let refreshMs: number | null = null;
    if (m.refresh) {
      const t = performance.now();
      m.refresh();
      refreshMs = performance.now() - t;
    }
    updates.push({ model: name, perSecond: r.perSecond, refreshMs });
    log(`update ${name}: ${Math.round(r.perSecond).toLocaleString('en')} interactions/s`);
    models.push(m);
  }

  // ---- NeuMF -------------------------------------------------------------------------------------------------
  const neumf = await NeuMF.create({ seed: 1 });
  const cfg = neumf.config;
  const fitSlice = interactions.slice(0, Math.min(40_000, Math.floor(interactions.length / 2)));
  log(`NeuMF fit: ${fitSlice.length} interactions, 1 epoch`);
  let t = performance.now();
  await neumf.fit(fitSlice, 1);
  const fitMs = performance.now() - t;
  const batches = neumf.stats().steps;
  const onlineSlice = interactions.slice(fitSlice.length, fitSlice.length + 20_000);
  const stepsBefore = neumf.stats().steps;
  const online = feed('NeuMF online update', neumf, onlineSlice);
  const onlineSteps = neumf.stats().steps - stepsBefore;
  const room = rooms.find((r) => r.members.length === 10) ?? rooms[0] ?? { id: 'room0', members: [] };
  const roomCtx: ScoringContext = { roomId: room.id, members: room.members };
  const neumfWarm = sample(() => void neumf.score(roomCtx, catalog), args.iterations);
  const neumfCold = sample(() => void neumf.score(roomCtx, [...catalog]), Math.min(50, args.iterations), 3);
  const neumfFig = {
    batchRows: cfg.batchSize * (1 + cfg.negatives),
    msPerBatch: fitMs / Math.max(1, batches),
    onlinePerSecond: online.perSecond,
    onlineMsPerInteraction: online.ms / onlineSlice.length,
    onlineSteps,
    trainEvery: cfg.trainEvery,
    scoreWarm: neumfWarm,
    scoreCold: neumfCold,
  };
  log(`NeuMF: ${fmt(neumfFig.msPerBatch)} ms per batch of ${neumfFig.batchRows} rows`);

  // ---- group recommendations for a 10-member room over the whole catalog ----------------------------------------
  log(`group recommendations: room ${room.id} with ${room.members.length} members, ${catalog.length} candidates`);
  // The server's model set (registry DEFAULT_MODELS): 'item-cosine' is timed above but not served.
  const served = models.filter((m) => (DEFAULT_MODELS as readonly string[]).includes(m.name));
  const learner = new Learner(served);
  const learnerAll = new Learner([...served, neumf]);
  // The models learned the stream directly; the learners' candidate pools are the catalog.
  learner.addCandidates(catalog);
  learnerAll.addCandidates(catalog);
  const K = 10;
  const group: Record<string, Percentiles> = {};
  // The server's path: no candidate list, so retrieval picks a shortlist and the ensemble ranks it.
  const n = served.length;
  group[`two-stage learner.recommend (server path, ${n} models)`] = sample(() => void learner.recommend(roomCtx, K), args.iterations);
  group[`two-stage, ${n} models + NeuMF`] = sample(() => void learnerAll.recommend(roomCtx, K), args.iterations);
  group[`  of which stage 1, retrieval (${n} models)`] = sample(() => void learner.retrieve(roomCtx), args.iterations);
  // Between two requests of a live room the models learn: caches keyed on model state go stale.
  group[`two-stage, ${LEARN_BETWEEN} interactions learned between requests`] = sampleLearning(
    learner,
    interactions,
    () => void learner.recommend(roomCtx, K),
    args.iterations,
  );
  // For comparison: every model scores every track (what the eval protocols do with explicit candidates).
  group[`exhaustive: learner.recommend(…, whole catalog), ${n} models`] = sample(
    () => void learner.recommend(roomCtx, K, catalog),
    Math.min(50, args.iterations),
    5,
  );
  group[`exhaustive: ensemble score + top-${K}, ${n} models + NeuMF`] = sample(
    () => void topK(learnerAll.score(roomCtx, catalog).ensemble, K),
    Math.min(50, args.iterations),
    5,
  );
  // How much of the exhaustive top-k the shortlist keeps, over the rooms of the stream.
  const quality = retrievalQuality(learner, rooms, catalog, K);
  log(
    `shortlist: ${fmt(quality.size, 0)} tracks on average; holds ${fmt(quality.recall * 100, 1)} % of the exhaustive ` +
      `top-${K}; two-stage top-${K} overlaps it by ${fmt(quality.overlap * 100, 1)} %`,
  );
  // Members' own ensemble scores, computed once: the rows below time the group layer alone.
  const memberScores = room.members.map((u) => learner.score({ userId: u }, catalog).ensemble);
  const fairness = new FairnessState();
  fairness.record(room.members, room.members.map((_, i) => (i === 0 ? 0.1 : 0.8)));
  for (const s of GROUP_STRATEGIES) {
    group[`${s}: normalise + aggregate + top-${K}`] = sample(
      () => void recommendForGroup(s, memberScores, K, { fairness, memberIds: room.members, report: false }),
      args.iterations,
    );
  }
  group[`fair + per-member satisfaction + harmony`] = sample(
    () => void recommendForGroup('fair', memberScores, K, { fairness, memberIds: room.members }),
    args.iterations,
  );
  group['per-member ensemble ×10 + fair'] = sample(() => {
    const ms = room.members.map((u) => learner.score({ userId: u }, catalog).ensemble);
    topK(aggregate('fair', ms, { fairness, memberIds: room.members }), K);
  }, Math.min(10, args.iterations), 2);
  // Where the room-context time goes: each model scoring the whole catalog once.
  const perModel: Record<string, Percentiles> = {};
  for (const m of [...models, neumf]) perModel[m.name] = sample(() => void m.score(roomCtx, catalog), Math.min(50, args.iterations), 5);
  const perRetrieve: Record<string, Percentiles> = {};
  for (const m of served) {
    const r = m.retrieve?.bind(m);
    if (r === undefined) continue;
    perRetrieve[m.name] = sample(() => void r(roomCtx, 100), args.iterations);
    // A new n each call defeats every per-request cache: the cost of a miss.
    let miss = 0;
    perRetrieve[`${m.name}, cache miss`] = sample(() => void r(roomCtx, 100 + (++miss % 10_000)), args.iterations);
  }

  // ---- report ------------------------------------------------------------------------------------------------
  const out: string[] = [];
  out.push(
    `ML benchmark — tfjs backend: ${backend.name}; ${tracks.length} tracks; ` +
      `${interactions.length} interactions; Node ${process.version}`,
  );
  out.push(
    table(
      `Group recommendations, ${room.members.length}-member room × ${catalog.length} candidates, top-${K} (ms, target p50 ≤ 2)`,
      ['path', 'p50', 'p95', 'p99'],
      Object.entries(group).map(([k, p]) => pRow(k, p)),
    ),
  );
  out.push(
    table(
      `Per model: score(room context, ${catalog.length} candidates) (ms)`,
      ['model', 'p50', 'p95', 'p99'],
      Object.entries(perModel).map(([k, p]) => pRow(k, p)),
    ),
  );
  out.push(
    table(
      `Per model: retrieve(room context, 100) over ${catalog.length} tracks (ms)`,
      ['model', 'p50', 'p95', 'p99'],
      Object.entries(perRetrieve).map(([k, p]) => pRow(k, p)),
    ),
  );
  out.push(
    `\nShortlist (stage 1, ${served.length} models) over ${quality.rooms} rooms: ${fmt(quality.size, 0)} tracks on average; ` +
      `it holds ${fmt(quality.recall * 100, 1)} % of the exhaustive top-${K}; the two-stage top-${K} shares ` +
      `${fmt(quality.overlap * 100, 1)} % of it and has the same first track in ${fmt(quality.sameTop * 100, 1)} % of rooms.`,
  );
  out.push(
    table(
      'Incremental updates, one interaction per update() call (target ≥ 20,000/s)',
      ['model', 'interactions/s', 'refresh ms', 'target'],
      updates.map((u) => [
        u.model,
        Math.round(u.perSecond).toLocaleString('en'),
        u.refreshMs === null ? '—' : fmt(u.refreshMs, 1),
        u.perSecond >= 20_000 ? 'ok' : 'below',
      ]),
    ),
  );
  out.push(
    table(
      `NeuMF (gmf ${cfg.gmfDim}, mlp ${cfg.mlpDim}, layers ${cfg.layers.join('-')}, ` +
        `batch ${cfg.batchSize} + ${cfg.negatives} negatives each)`,
      ['measure', 'value'],
      [
        [`training step, batch of ${neumfFig.batchRows} rows`, `${fmt(neumfFig.msPerBatch)} ms`],
        [
          `online update (a step every ${cfg.trainEvery} interactions)`,
          `${Math.round(online.perSecond).toLocaleString('en')} interactions/s ` +
            `(${fmt(neumfFig.onlineMsPerInteraction, 3)} ms each)`,
        ],
        [`score ${catalog.length} candidates, p50 (cached item inputs)`, `${fmt(neumfWarm.p50)} ms`],
        [`score ${catalog.length} candidates, p50 (cold: new candidate array)`, `${fmt(neumfCold.p50)} ms`],
      ],
    ),
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (args.json) {
    const figures = {
      backend: backend.name,
      node: process.version,
      tracks: tracks.length,
      interactions: interactions.length,
      roomSize: room.members.length,
      group,
      perModel,
      perRetrieve,
      shortlist: quality,
      updates,
      neumf: neumfFig,
    };
    writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
  neumf.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench:ml] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
