/**
 * Popularity / trending: time-decayed counts of positive signals, kept globally and per context (room vs
 * solo listening, hour band, room mood). A context's distribution is shrunk toward the global one so a
 * context with little data still ranks sensibly; the score is a weighted blend of the distributions.
 */
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../types.ts';
import { decodeF64, encodeF64 } from './shared/codec.ts';
import { ensureF64 } from './shared/factors.ts';
import { IdIndex } from './shared/id-index.ts';
import { strength } from './shared/signal.ts';
import { checkSnapshot, makeSnapshot } from './shared/snapshot.ts';
import { TopSet } from './shared/top-set.ts';

export interface PopularityOptions {
  name?: string;
  /** Half-life of a count in ms (default 14 days; Infinity = no decay). */
  halfLifeMs?: number;
  /** Hour bands per day (default 4: night, morning, afternoon, evening). */
  hourBands?: number;
  /** Pseudo-count shrinking a context's distribution toward the global one. */
  prior?: number;
  /** Blend weights of the global, scope (room vs solo), hour-band and mood distributions. */
  blend?: { global?: number; scope?: number; hour?: number; mood?: number };
}

interface Counter {
  c: Float64Array;
  total: number;
  /** This distribution's most popular items, for retrieve(). */
  top: TopSet;
}

const newCounter = (): Counter => ({ c: new Float64Array(64), total: 0, top: new TopSet() });
const VERSION = 1;
const DAY = 86_400_000;
/** Rescale stored counts before 2^exponent overflows float64 precision usefully. */
const MAX_EXPONENT = 40;

export class Popularity implements Recommender {
  readonly name: string;
  private readonly halfLife: number;
  private readonly bands: number;
  private readonly prior: number;
  private readonly w: { global: number; scope: number; hour: number; mood: number };
  private items = new IdIndex();
  private global = newCounter();
  private scopes = [newCounter(), newCounter()]; // 0 = solo, 1 = room
  private hours: Counter[];
  private moods = new Map<string, Counter>();
  /** Counts are stored as w·2^((t − t0)/halfLife); t0 moves forward when the exponent grows large. */
  private t0 = 0;
  private lastTime = 0;
  private seen = 0;

  constructor(opts: PopularityOptions = {}) {
    this.name = opts.name ?? 'popularity';
    this.halfLife = opts.halfLifeMs ?? 14 * DAY;
    this.bands = opts.hourBands ?? 4;
    this.prior = opts.prior ?? 10;
    this.w = { global: 0.1, scope: 1, hour: 0.2, mood: 0.5, ...opts.blend };
    this.hours = Array.from({ length: this.bands }, newCounter);
  }

  private band(hour: number | undefined): number {
    const h = (((hour ?? 12) % 24) + 24) % 24;
    return Math.min(this.bands - 1, Math.floor((h * this.bands) / 24));
  }

  private exponent(t: number): number {
    return Number.isFinite(this.halfLife) ? (t - this.t0) / this.halfLife : 0;
  }

  private rescale(t: number): void {
    const f = Math.pow(2, -this.exponent(t));
    for (const k of this.allCounters()) {
      for (let i = 0; i < k.c.length; i++) k.c[i] = (k.c[i] ?? 0) * f;
      k.total *= f;
      k.top.invalidate(); // its floor is in the old scale
    }
    this.t0 = t;
  }

  private *allCounters(): Iterable<Counter> {
    yield this.global;
    yield* this.scopes;
    yield* this.hours;
    yield* this.moods.values();
  }

  update(interactions: readonly Interaction[]): void {
    for (const x of interactions) {
      this.seen++;
      const s = strength(x);
      const i = this.items.add(x.trackId);
      const t = x.createdAt;
      this.lastTime = Math.max(this.lastTime, t);
      if (this.exponent(t) > MAX_EXPONENT) this.rescale(t);
      const v = s * Math.pow(2, this.exponent(t));
      const add = (k: Counter): void => {
        k.c = ensureF64(k.c, i + 1);
        const old = k.c[i] ?? 0;
        const next = Math.max(0, old + v); // negatives pull a track down but never below zero
        k.c[i] = next;
        k.total += next - old;
        k.top.touched(i, old, next);
      };
      add(this.global);
      add(this.scopes[x.roomId === null ? 0 : 1] as Counter);
      add(this.hours[this.band(x.context.hour)] as Counter);
      const mood = x.context.mood;
      if (mood !== undefined) {
        let k = this.moods.get(mood);
        if (k === undefined) this.moods.set(mood, (k = newCounter()));
        add(k);
      }
    }
  }

  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    const out = new Float32Array(candidates.length);
    const f = Math.pow(2, -this.exponent(context.now ?? this.lastTime));
    const g = this.global;
    const parts: Array<[Counter, number]> = [
      [this.scopes[context.roomId === undefined ? 0 : 1] as Counter, this.w.scope],
      [this.hours[this.band(context.hour)] as Counter, context.hour === undefined ? 0 : this.w.hour],
    ];
    const mood = context.mood === undefined ? undefined : this.moods.get(context.mood);
    if (mood !== undefined) parts.push([mood, this.w.mood]);
    const wsum = this.w.global + parts.reduce((a, [, w]) => a + w, 0);
    const gTotal = g.total * f;
    for (let n = 0; n < candidates.length; n++) {
      const i = this.items.get(candidates[n] as string);
      if (i === undefined) continue;
      const pg = gTotal > 0 ? ((g.c[i] ?? 0) * f) / gTotal : 0;
      let s = this.w.global * pg;
      for (const [k, w] of parts) {
        if (w === 0) continue;
        s += (w * ((k.c[i] ?? 0) * f + this.prior * pg)) / (k.total * f + this.prior);
      }
      out[n] = s / wsum;
    }
    return out;
  }

  /**
   * Retrieval: the most popular tracks of the context's scope (room vs solo) and, when it has one, of its
   * mood — maintained top sets, so this costs no scan unless the top changed since the last request.
   */
  retrieve(context: ScoringContext, n: number): readonly string[] {
    const size = this.items.size;
    const scope = this.scopes[context.roomId === undefined ? 0 : 1] as Counter;
    const idx = [...scope.top.top(scope.c, size, n)];
    const mood = context.mood === undefined ? undefined : this.moods.get(context.mood);
    if (mood !== undefined) idx.push(...mood.top.top(mood.c, size, Math.ceil(n / 2)));
    return idx.map((i) => this.items.id(i));
  }

  snapshot(): ModelSnapshot {
    const enc = (k: Counter): { c: string; total: number } => ({
      c: encodeF64(k.c.subarray(0, this.items.size)),
      total: k.total,
    });
    return makeSnapshot(this.name, VERSION, this.seen, {
      items: this.items.toJSON(),
      t0: this.t0,
      lastTime: this.lastTime,
      global: enc(this.global),
      scopes: this.scopes.map(enc),
      hours: this.hours.map(enc),
      moods: [...this.moods].map(([m, k]) => [m, enc(k)]),
    });
  }

  restore(snapshot: ModelSnapshot): void {
    checkSnapshot(snapshot, this.name, VERSION);
    type Enc = { c: string; total: number };
    const d = snapshot.data as {
      items: string[];
      t0: number;
      lastTime: number;
      global: Enc;
      scopes: Enc[];
      hours: Enc[];
      moods: Array<[string, Enc]>;
    };
    const dec = (e: Enc): Counter => ({ c: decodeF64(e.c), total: e.total, top: new TopSet() });
    this.items = IdIndex.from(d.items);
    this.t0 = d.t0;
    this.lastTime = d.lastTime;
    this.global = dec(d.global);
    this.scopes = d.scopes.map(dec);
    this.hours = d.hours.map(dec);
    if (this.hours.length !== this.bands) throw new Error('snapshot hour bands differ from the options');
    this.moods = new Map(d.moods.map(([m, e]) => [m, dec(e)]));
    this.seen = snapshot.header.interactions;
  }
}
