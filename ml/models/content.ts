/**
 * Content-based model: every track is a standardised content vector (audio features, genre, tags); every
 * user and room has a profile, an exponential moving average of the vectors of tracks they liked (negative
 * signals subtract). Scores are profile·track, so it ranks tracks nobody has played yet, and a new member's
 * room is served from the room's profile and the other members' profiles (cold start).
 */
import type { Interaction, ModelSnapshot, Recommender, ScoringContext, TrackFeatures } from '../types.ts';
import { buildContentMatrix } from './content-features.ts';
import type { ContentFeatureOptions } from './content-features.ts';
import { decodeF32, encodeF32 } from './shared/codec.ts';
import { IdIndex } from './shared/id-index.ts';
import { defined } from './shared/options.ts';
import { creditsUser, roomKey, strength, userKey } from './shared/signal.ts';
import { checkSnapshot, makeSnapshot } from './shared/snapshot.ts';
import { topRowsByDot } from './shared/dot-top.ts';
import { RetrievalCache } from './shared/retrieval-cache.ts';

export interface ContentOptions extends Partial<ContentFeatureOptions> {
  name?: string;
  /** EMA rate of a profile per unit of signal. */
  rate?: number;
  /** Interactions after which a room profile outweighs its members' mean profile. */
  roomPrior?: number;
}

interface Profile {
  v: Float32Array;
  n: number;
  /** `v` at unit length (null: zero), kept until the profile learns again: rooms score many times between. */
  unit?: Float32Array | null | undefined;
}

function unit(v: Float32Array): Float32Array | null {
  let s = 0;
  for (const a of v) s += a * a;
  if (s === 0) return null;
  const n = Math.sqrt(s);
  return v.map((a) => a / n);
}

function unitOf(p: Profile): Float32Array | null {
  if (p.unit === undefined) p.unit = unit(p.v);
  return p.unit;
}

const VERSION = 1;

export class Content implements Recommender {
  readonly name: string;
  private readonly o: Required<Omit<ContentOptions, 'name' | 'tagVocabulary'>> & Pick<ContentOptions, 'tagVocabulary'>;
  private items = new IdIndex();
  private dim = 0;
  private x: Float32Array = new Float32Array(0);
  private profiles = new Map<string, Profile>();
  private seen = 0;
  private retrieved = new RetrievalCache();

  constructor(opts: ContentOptions = {}, catalog?: readonly TrackFeatures[]) {
    this.name = opts.name ?? 'content';
    this.o = {
      rate: 0.1,
      roomPrior: 5,
      maxTags: 100,
      genreWeight: 1,
      tagWeight: 1,
      featureWeight: 1,
      ignore: ['popularity', 'duration_ms'],
      ...defined(opts),
    };
    if (catalog !== undefined) this.setCatalog(catalog);
  }

  /**
   * Replace the catalog. Profiles keep their coordinates: columns stay put as long as the numeric keys,
   * genres and tag vocabulary do (pass `tagVocabulary` when tags evolve); a change of dimension resets them.
   */
  setCatalog(tracks: readonly TrackFeatures[]): void {
    const m = buildContentMatrix(tracks, this.o);
    if (m.dim !== this.dim) this.profiles.clear(); // a new feature space makes old profiles meaningless
    this.items = IdIndex.from(m.ids);
    this.retrieved = new RetrievalCache();
    this.dim = m.dim;
    this.x = m.x;
  }

  private vec(i: number): Float32Array {
    return this.x.subarray(i * this.dim, (i + 1) * this.dim);
  }

  update(interactions: readonly Interaction[]): void {
    for (const x of interactions) {
      this.seen++;
      const i = this.items.get(x.trackId);
      if (i === undefined || this.dim === 0) continue;
      const s = strength(x);
      const f = this.vec(i);
      if (creditsUser(x)) this.learn(userKey(x.userId), f, s);
      if (x.roomId !== null) this.learn(roomKey(x.roomId), f, s);
    }
  }

  private learn(key: string, f: Float32Array, s: number): void {
    let p = this.profiles.get(key);
    if (p === undefined) this.profiles.set(key, (p = { v: new Float32Array(this.dim), n: 0 }));
    const a = Math.min(0.5, this.o.rate * Math.abs(s));
    const v = p.v;
    if (s > 0) {
      // The first liked track sets the profile outright; later ones move it by the EMA rate.
      const r = p.n === 0 ? 1 : a;
      for (let k = 0; k < this.dim; k++) v[k] = (1 - r) * (v[k] as number) + r * (f[k] as number);
    } else if (s < 0) {
      for (let k = 0; k < this.dim; k++) v[k] = (v[k] as number) - a * (f[k] as number);
    }
    p.n++;
    p.unit = undefined;
  }

  /** Unit-length profile of a context: room profile blended with its members' mean, or the user's. */
  private profileFor(context: ScoringContext): Float32Array | null {
    if (context.roomId === undefined) {
      const p = context.userId === undefined ? undefined : this.profiles.get(userKey(context.userId));
      return p === undefined ? null : unitOf(p);
    }
    const room = this.profiles.get(roomKey(context.roomId));
    const acc = new Float32Array(this.dim);
    const members: Float32Array[] = [];
    for (const m of context.members ?? []) {
      const p = this.profiles.get(userKey(m));
      const u = p === undefined ? null : unitOf(p);
      if (u !== null) members.push(u);
    }
    const roomShare = room === undefined ? 0 : members.length === 0 ? 1 : room.n / (room.n + this.o.roomPrior);
    const ru = room === undefined ? null : unitOf(room);
    if (ru !== null) for (let k = 0; k < this.dim; k++) acc[k] = roomShare * (ru[k] as number);
    for (const m of members) {
      for (let k = 0; k < this.dim; k++) acc[k] = (acc[k] as number) + ((1 - roomShare) * (m[k] as number)) / members.length;
    }
    return unit(acc);
  }

  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    const out = new Float32Array(candidates.length);
    const p = this.dim === 0 ? null : this.profileFor(context);
    if (p === null) return out;
    const d = this.dim;
    for (let c = 0; c < candidates.length; c++) {
      const i = this.items.get(candidates[c] as string);
      if (i === undefined) continue;
      let s = 0;
      const o = i * d;
      for (let k = 0; k < d; k++) s += (p[k] as number) * (this.x[o + k] as number);
      out[c] = s;
    }
    return out;
  }

  /**
   * Retrieval: the tracks nearest the context's profile (cosine), including tracks nobody has played;
   * reused for a few hundred updates (see RetrievalCache). A new catalog starts a new cache.
   */
  retrieve(context: ScoringContext, n: number): readonly string[] {
    return this.retrieved.get(context, n, this.seen, () => {
      const p = this.dim === 0 ? null : this.profileFor(context);
      if (p === null) return [];
      return topRowsByDot(p, this.x, this.items.size, this.dim, n).map((i) => this.items.id(i));
    });
  }

  snapshot(): ModelSnapshot {
    return makeSnapshot(this.name, VERSION, this.seen, {
      items: this.items.toJSON(),
      dim: this.dim,
      x: encodeF32(this.x),
      profiles: [...this.profiles].map(([k, p]) => [k, encodeF32(p.v), p.n]),
    });
  }

  restore(snapshot: ModelSnapshot): void {
    checkSnapshot(snapshot, this.name, VERSION);
    const d = snapshot.data as { items: string[]; dim: number; x: string; profiles: Array<[string, string, number]> };
    this.items = IdIndex.from(d.items);
    this.dim = d.dim;
    this.x = decodeF32(d.x);
    this.profiles = new Map(d.profiles.map(([k, v, n]) => [k, { v: decodeF32(v), n }]));
    this.seen = snapshot.header.interactions;
    this.retrieved = new RetrievalCache();
  }
}
