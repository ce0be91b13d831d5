/**
 * Everything the learner thread does, without the thread: learn from interaction batches (test then
 * train), keep room contexts, recompute the recommendations of rooms whose interactions were learned,
 * answer requests, snapshot and restore. learner-worker.ts drives it from messages; tests drive it
 * directly. Deterministic for a seed and an input order.
 */
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { FairnessState } from '../../ml/group/fairness.ts';
import { compatibility } from '../../ml/group/compatibility.ts';
import { topK } from '../../ml/group/top-k.ts';
import type { Learner, LearnerSnapshot, ModelCosts } from '../../ml/learner/learner.ts';
import { SIGNAL, type Interaction, type ScoringContext } from '../../ml/types.ts';
import { CatalogIndex } from './catalog-index.ts';
import { preferenceMatch, preferredTracks, withPrior } from './preferences-prior.ts';
import type { CatalogEntry, RoomContext, SnapshotResult } from './protocol.ts';
import { contextOf, rerankRoom, roomRecs, type Candidates, type RoomRecsInput } from './room-recs.ts';
import type { CompatibilityResult, LearnerStatus, Preferences, RecItem, RecsUpdatedEvent, WireStrategy } from './types.ts';

const SNAPSHOT_FORMAT = 1;
const gzipAsync = promisify(gzip);

/**
 * The live server's retrieval: 30 tracks per retrieving model and 6 exploration draws (the evaluation
 * CLI's defaults are 60 and 12). A push recomputes a room's list for every burst of its interactions,
 * so the shortlist is what a push costs; docs/performance.md has the trade.
 */
export const LIVE_RETRIEVAL = { retrieve: 30, explore: 6 } as const;
/**
 * The live server's NeuMF trains one batch every 256 interactions instead of every 64 (at hundreds of
 * interactions a second a step every 64 took a fifth of the learner thread), and the step is deferred:
 * the learner thread runs it when no message and no push is waiting (learner-worker.ts), so a step
 * (10–30 ms under load) never sits between an interaction and its push. Not architecture keys: snapshots
 * still restore. docs/performance.md has the figures.
 */
export const LIVE_NEUMF = { trainEvery: 256, deferSteps: true } as const;
/** The live server's EASE refresh of item-knn runs when the learner is idle too. */
export const LIVE_ITEM_KNN = { deferRefresh: true } as const;
/**
 * How often a room's candidates are regenerated (retrieval over the catalog, the full shortlist scored,
 * every member re-scored). In between, each push re-ranks the current candidates with the models as they
 * are (room-recs.ts rerankRoom), which costs a fraction; a like still moves the list within milliseconds,
 * new tracks join it within this long (a track plays for minutes). 5 s rather than 2 s: a tenth less
 * learner CPU at the live bench's load. docs/performance.md has the figures.
 */
export const FULL_EVERY_MS = 5000;
const RECENT_PLAYED = 30;
const LEARNED_CAP = 100;
const SEEN_IDS = 20_000;
const HISTORY = 500;

interface RoomState {
  ctx: RoomContext;
  fairness: FairnessState;
  recent: string[];
  /** trackId → display names of members who liked it here. */
  likes: Map<string, Set<string>>;
  /** Interaction ids learned since the last push. */
  learned: string[];
  /** Publish time of the oldest interaction not pushed yet (push latency is measured from it). */
  pendingSince: number | null;
  /** What the last full pass kept for re-ranks (room-recs.ts), and who acted since. */
  candidates?: Candidates | undefined;
  acted: Set<string>;
  /** The next push must run a full pass (members, strategy or preferences changed). */
  needFull: boolean;
  last?: { items: string[]; memberScores: Map<string, number[]> } | undefined;
}

interface HostSnapshot {
  format: number;
  learner: LearnerSnapshot;
  history: Array<[string, Array<[string, number]>]>;
}

export interface Push {
  roomId: string;
  event: RecsUpdatedEvent;
  /** When the oldest interaction it reflects was published (0 when none). */
  publishedAt: number;
}

export class LearnerHost {
  private readonly catalog: CatalogIndex;
  private readonly rooms = new Map<string, RoomState>();
  private readonly prefs = new Map<string, Preferences>();
  private readonly dirty = new Set<string>();
  /** Ids learned recently: a redelivered interaction is not learned twice. */
  private readonly seen = new Set<string>();
  /** Per user: recent positive tracks and their strength (compatibility's input). */
  private history = new Map<string, Map<string, number>>();
  /** Per user: net positive interactions per genre (reasons name the members who favour a genre). */
  private readonly genres = new Map<string, Map<string, number>>();
  /** favouriteGenres per user, until their genre counts move (asked per member for every cited reason). */
  private readonly favourites = new Map<string, string[]>();
  private base = 0;
  private learnedSinceBase = 0;
  /** Learned by this process (counters for /metrics; the models' own count is in their snapshot). */
  private learnedTotal = 0;
  private received = 0;
  /** Redelivered interactions skipped (received = learned + duplicates when caught up). */
  private duplicates = 0;

  constructor(
    private readonly learner: Learner,
    catalog: readonly CatalogEntry[],
    private readonly k: number,
    private readonly backend = 'cpu',
    private readonly now: () => number = Date.now,
  ) {
    this.catalog = new CatalogIndex(catalog);
    learner.setCatalog(this.catalog.features());
  }

  addCatalog(tracks: readonly CatalogEntry[]): void {
    this.catalog.add(tracks);
    this.learner.setCatalog(tracks.map((t) => ({ id: t.id, artist: t.artist, genre: t.genre, features: t.features })));
  }

  setPreferences(userId: string, p: Preferences): void {
    this.prefs.set(userId, p);
    for (const [id, r] of this.rooms) {
      if (!r.ctx.members.some((m) => m.userId === userId)) continue;
      r.needFull = true;
      this.dirty.add(id);
    }
  }

  setRoom(ctx: RoomContext): void {
    const r = this.rooms.get(ctx.roomId);
    if (!r) {
      this.rooms.set(ctx.roomId, {
        ctx,
        fairness: new FairnessState({ decay: 0.9 }),
        recent: [],
        likes: new Map(),
        learned: [],
        pendingSince: null,
        acted: new Set(),
        needFull: true,
      });
      return;
    }
    if (ctx.current !== null && ctx.current !== r.ctx.current) this.played(r, ctx.current);
    const changed = r.ctx.members.map((m) => m.userId).join() !== ctx.members.map((m) => m.userId).join() ||
      r.ctx.strategy !== ctx.strategy || r.ctx.mood !== ctx.mood || r.ctx.activity !== ctx.activity;
    r.ctx = ctx;
    // Who is listening or how the room wants to be served changed: the list must follow, from a full pass.
    if (changed) {
      r.needFull = true;
      this.dirty.add(ctx.roomId);
    }
  }

  closeRoom(roomId: string): void {
    this.rooms.delete(roomId);
    this.dirty.delete(roomId);
  }

  /** Test then train; marks the rooms whose recommendations must be recomputed. */
  ingest(records: readonly Interaction[], publishedAt: number): number {
    const fresh = records.filter((x) => !this.seen.has(x.id));
    this.received += records.length;
    this.duplicates += records.length - fresh.length;
    if (fresh.length === 0) return 0;
    for (const x of fresh) this.remember(x.id);
    this.learner.ingest(fresh);
    for (const x of fresh) {
      this.learnedTotal++;
      this.learnedSinceBase++;
      this.addHistory(x);
      const r = x.roomId === null ? undefined : this.rooms.get(x.roomId);
      if (!r) continue;
      if (x.type === 'like') {
        const name = r.ctx.members.find((m) => m.userId === x.userId)?.displayName;
        if (name) (r.likes.get(x.trackId) ?? r.likes.set(x.trackId, new Set()).get(x.trackId))?.add(name);
      }
      r.acted.add(x.userId);
      if (r.learned.length < LEARNED_CAP) r.learned.push(x.id);
      r.pendingSince ??= publishedAt;
      this.dirty.add(r.ctx.roomId);
    }
    return fresh.length;
  }

  /** Recompute and return the pushes of every room whose recommendations are stale. */
  flush(): Push[] {
    const out: Push[] = [];
    this.flushEach((p) => out.push(p));
    return out;
  }

  /**
   * Recompute stale rooms oldest first, handing each push over as soon as it is computed; stop after
   * `budgetMs` so the caller can take in new interactions (rooms left stay first in line). Returns whether
   * stale rooms remain.
   */
  flushEach(push: (p: Push) => void, budgetMs = Infinity): boolean {
    const start = performance.now();
    for (const roomId of this.dirty) {
      this.dirty.delete(roomId);
      const r = this.rooms.get(roomId);
      if (!r) continue;
      const event = this.compute(r, r.ctx.strategy, this.k, r.learned);
      const publishedAt = r.pendingSince ?? 0;
      r.learned = [];
      r.pendingSince = null;
      push({ roomId, event, publishedAt });
      if (performance.now() - start >= budgetMs) break;
    }
    return this.dirty.size > 0;
  }

  /** Deferred model work (learner.catchUp): the thread runs it when nothing else waits. */
  catchUp(): boolean {
    return this.learner.catchUp();
  }

  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  forRoom(roomId: string, k: number, strategy?: WireStrategy): RecsUpdatedEvent {
    const r = this.rooms.get(roomId);
    if (!r) throw Object.assign(new Error('the learner does not know this room (not open?)'), { code: 'NOT_FOUND' });
    return this.compute(r, strategy ?? r.ctx.strategy, k, [], false);
  }

  private compute(r: RoomState, strategy: WireStrategy, k: number, learned: string[], remember = true): RecsUpdatedEvent {
    const now = this.now();
    const input: RoomRecsInput = {
      learner: this.learner,
      catalog: this.catalog,
      room: r.ctx,
      strategy,
      k,
      prefs: (u) => this.prefs.get(u),
      fairness: r.fairness,
      recent: new Set(r.recent),
      likedBy: (id) => [...(r.likes.get(id) ?? [])],
      genreFans: this.genreFans(r.ctx),
      now,
    };
    // A push re-ranks the last full pass's candidates unless that pass is due again (FULL_EVERY_MS), the
    // room changed shape, or too few candidates are left. REST answers (remember = false) are full passes.
    const c = r.candidates;
    const rerank = remember && c !== undefined && !r.needFull && now - c.at < FULL_EVERY_MS ? rerankRoom(input, c, r.acted) : null;
    const recs = rerank ?? roomRecs(input);
    if (remember) {
      r.candidates = recs.candidates;
      r.acted.clear();
      r.needFull = false;
    }
    if (remember) r.last = { items: recs.items.map((i) => i.trackId), memberScores: recs.memberScores };
    return {
      version: r.ctx.version,
      modelVersion: this.modelVersion(),
      strategy,
      items: recs.items,
      weights: recs.weights,
      harmony: recs.harmony,
      members: recs.members,
      learned: [...learned],
      at: now,
    };
  }

  /** A track started in a room: remember it, and credit members with how much they liked it (fairness). */
  private played(r: RoomState, trackId: string): void {
    r.recent.push(trackId);
    if (r.recent.length > RECENT_PLAYED) r.recent.shift();
    const i = r.last?.items.indexOf(trackId) ?? -1;
    if (!r.last || i < 0) return;
    const ids = [...r.last.memberScores.keys()];
    r.fairness.record(ids, ids.map((u) => r.last?.memberScores.get(u)?.[i] ?? 0));
  }

  forUser(userId: string, k: number): RecItem[] {
    const ctx: ScoringContext = { ...contextOf(this.prefs.get(userId) ?? {}, this.now()), userId };
    // No exploration draws: one user's list is a stable answer (the same before and after a restart).
    const cands = [...new Set([...this.learner.retrieve(ctx, 0), ...preferredTracks(this.prefs.get(userId), this.catalog)])].filter(
      (id) => this.catalog.get(id) !== undefined,
    );
    if (cands.length === 0) return [];
    const b = this.learner.score(ctx, cands);
    const p = this.prefs.get(userId);
    const s = p ? withPrior(b.ensemble, preferenceMatch(p, this.catalog, cands), this.learner.positivesOf(ctx)) : b.ensemble;
    return topK(s, k).map((i) => {
      const t = this.catalog.get(cands[i] as string);
      const contributions = Object.fromEntries(Object.entries(b.contributions).map(([n, c]) => [n, round(c[i] as number)]));
      return {
        trackId: cands[i] as string,
        title: t?.title ?? '',
        artist: t?.artist ?? '',
        genre: t?.genre ?? '',
        durationMs: t?.durationMs ?? 0,
        score: round(s[i] as number),
        reason: topReason(contributions),
        contributions,
      };
    });
  }

  compatibility(a: string, b: string): CompatibilityResult {
    const hist = (u: string) => [...(this.history.get(u) ?? [])].map(([trackId, weight]) => ({ trackId, weight }));
    const c = compatibility(hist(a), hist(b), (id) => {
      const t = this.catalog.get(id);
      return t && { id: t.id, artist: t.artist, genre: t.genre, features: t.features };
    });
    return { a, b, ...c };
  }

  status(): LearnerStatus {
    const m = this.learner.metrics();
    const hitRate: Record<string, number | null> = {};
    for (const name of this.learner.names()) hitRate[name] = hitOf(m, name);
    return {
      received: this.received,
      learned: this.learnedTotal,
      lag: this.received - this.learnedTotal - this.duplicates,
      lagMs: 0,
      hitRate,
      weights: roundAll(this.learner.weights({ userId: '' })),
      modelVersion: this.modelVersion(),
      backend: this.backend,
    };
  }

  /** Time spent in each model so far (ms), scoring and learning (benchmarks read it). */
  modelCosts(): ModelCosts {
    return this.learner.costs();
  }

  modelVersion(): string {
    return `${this.base}.${this.learnedSinceBase}`;
  }

  /** A snapshot of everything learned, compressed on this thread (tests, and callers that can wait). */
  snapshot(cursor: number): SnapshotResult {
    const { json, result } = this.snapshotParts(cursor);
    return { ...result, data: gzipSync(json) };
  }

  /**
   * The same snapshot, compressed on libuv's thread pool: only serialising it holds this thread. gzip is
   * four fifths of a snapshot's time (~0.6 s of 0.76 s at 1.8k items in bench:learner), and the live
   * learner takes one every few minutes; the content is fixed when this is called.
   */
  async snapshotAsync(cursor: number): Promise<SnapshotResult> {
    const { json, result } = this.snapshotParts(cursor);
    return { ...result, data: await gzipAsync(json) };
  }

  private snapshotParts(cursor: number): { json: string; result: Omit<SnapshotResult, 'data'> } {
    const s: HostSnapshot = {
      format: SNAPSHOT_FORMAT,
      learner: this.learner.snapshot(),
      history: [...this.history].map(([u, h]) => [u, [...h]]),
    };
    const status = this.status();
    const metrics: Record<string, number> = {};
    for (const [n, v] of Object.entries(status.hitRate)) if (v !== null) metrics[n] = v;
    return {
      json: JSON.stringify(s),
      result: {
        interactions: s.learner.header.interactions,
        learnedInProcess: this.learnedTotal,
        cursor,
        metrics,
        weights: status.weights,
      },
    };
  }

  restore(version: number, data: Uint8Array): void {
    const s = JSON.parse(gunzipSync(data).toString('utf8')) as HostSnapshot;
    if (s.format !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${s.format} is not ${SNAPSHOT_FORMAT}`);
    this.learner.restore(s.learner);
    this.history = new Map(s.history.map(([u, h]) => [u, new Map(h)]));
    this.base = version;
    this.learnedSinceBase = 0;
    // Other models: every room's kept candidates and member scores are theirs no more.
    for (const [id, r] of this.rooms) {
      r.needFull = true;
      this.dirty.add(id);
    }
  }

  /** After a snapshot is stored: it is now the version the live models descend from. */
  rebase(version: number): void {
    this.base = version;
    this.learnedSinceBase = 0;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS) {
      // Sets iterate in insertion order: drop the oldest.
      const first = this.seen.values().next().value;
      if (first !== undefined) this.seen.delete(first);
    }
  }

  /**
   * genre → display names of the room's members who favour it, asked per item of a push; built on the
   * first question only (most pushes cite members' likes and never ask).
   */
  private genreFans(ctx: RoomContext): (genre: string) => string[] {
    let fans: Map<string, string[]> | undefined;
    return (genre) => {
      if (!fans) {
        fans = new Map();
        for (const m of ctx.members) {
          for (const g of this.favouriteGenres(m.userId)) (fans.get(g) ?? fans.set(g, []).get(g))?.push(m.displayName);
        }
      }
      return fans.get(genre) ?? [];
    };
  }

  /** A user's two most liked genres (from their positive history). */
  private favouriteGenres(userId: string): string[] {
    const kept = this.favourites.get(userId);
    if (kept) return kept;
    const g = this.genres.get(userId);
    if (!g) return [];
    const top = [...g].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([name]) => name);
    this.favourites.set(userId, top);
    return top;
  }

  private addHistory(x: Interaction): void {
    // The negative kinds (dislike, skip, skip vote, down vote) are those whose model signal is negative.
    const negative = SIGNAL[x.type] < 0;
    const genre = this.catalog.get(x.trackId)?.genre;
    if (genre) {
      let g = this.genres.get(x.userId);
      if (!g) this.genres.set(x.userId, (g = new Map()));
      g.set(genre, (g.get(genre) ?? 0) + (negative ? -1 : 1));
      this.favourites.delete(x.userId);
    }
    const w = x.type === 'like' ? 2 : negative ? -1 : 1;
    let h = this.history.get(x.userId);
    if (!h) this.history.set(x.userId, (h = new Map()));
    const v = (h.get(x.trackId) ?? 0) + w;
    h.delete(x.trackId);
    if (v > 0) h.set(x.trackId, v);
    if (h.size > HISTORY) {
      const first = h.keys().next().value;
      if (first !== undefined) h.delete(first);
    }
  }
}

function hitOf(m: ReturnType<Learner['metrics']>, name: string): number | null {
  const t = m.overall[name];
  return t && t.tests > 0 ? round(t.hits / t.tests) : null;
}

function topReason(contributions: Record<string, number>): string {
  const top = Object.entries(contributions).sort((a, b) => b[1] - a[1])[0];
  return top ? `Mostly from ${top[0]}.` : 'Recommended for you.';
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
const roundAll = (r: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
