/**
 * The group model. A room is an entity with its own embedding, learned by BPR-SGD from room-level
 * interactions in the same item space as its members' embeddings (a new room starts at its members'
 * mean, so it is useful from its first song). A room is scored as a mix of its own embedding and the mean
 * of its members' scores; the mixing weight is learned online, globally and per room, by exponentiated
 * gradient on which of the two ranked each room interaction better before learning from it.
 */
import type { Interaction, ModelSnapshot, Recommender, ScoringContext } from '../types.ts';
import { dotScores, meanRows } from './shared/bpr.ts';
import { BprCore } from './shared/bpr-core.ts';
import type { BprCoreJSON, BprOptions } from './shared/bpr-core.ts';
import { defined } from './shared/options.ts';
import { creditsUser, roomKey, strength, userKey } from './shared/signal.ts';
import { checkSnapshot, makeSnapshot } from './shared/snapshot.ts';
import { zNormalise } from './shared/znorm.ts';

export interface GroupRoomOptions extends Partial<BprOptions> {
  name?: string;
  /** Learning rate of the room-vs-members mixing weight. */
  mixRate?: number;
  /** Negatives sampled to judge the two components on each room interaction. */
  mixNegatives?: number;
  /** Judged room interactions before a room's own mixing weight outweighs the global one. */
  mixPrior?: number;
}

/** Log-weights of the two components and how many judgements made them. */
interface Mix {
  room: number;
  members: number;
  n: number;
}

const VERSION = 1;

export class GroupRoom implements Recommender {
  readonly name: string;
  private readonly core: BprCore;
  private readonly mix: { rate: number; negatives: number; prior: number };
  private globalMix: Mix = { room: 0, members: 0, n: 0 };
  private mixes = new Map<string, Mix>();
  private seen = 0;

  constructor(opts: GroupRoomOptions = {}) {
    const { name, mixRate, mixNegatives, mixPrior, ...rest } = opts;
    this.name = name ?? 'group-room';
    this.core = new BprCore({ dim: 32, lr: 0.05, reg: 0.01, initStd: 0.1, replay: 16, replayCapacity: 500_000, seed: 11, ...defined(rest) });
    this.mix = { rate: mixRate ?? 0.5, negatives: mixNegatives ?? 20, prior: mixPrior ?? 5 };
  }

  private memberRows(members: readonly string[] | undefined): number[] {
    return (members ?? []).map((m) => this.core.ents.get(userKey(m))).filter((r) => r !== undefined);
  }

  update(interactions: readonly Interaction[]): void {
    const c = this.core;
    for (const x of interactions) {
      this.seen++;
      const s = strength(x);
      const i = c.item(x.trackId);
      if (creditsUser(x)) c.learn(c.entity(userKey(x.userId)), i, s);
      if (x.roomId !== null) {
        const rows = this.memberRows(x.members);
        const e = c.entity(roomKey(x.roomId), rows);
        if (s > 0) this.judge(x.roomId, e, rows, i);
        c.learn(e, i, s);
      }
      c.replay();
    }
  }

  /** Test-then-train for the mixing weight: which component ranked this room's true item higher? */
  private judge(roomId: string, e: number, rows: readonly number[], i: number): void {
    const c = this.core;
    if (rows.length === 0 || c.items.size < 2) return;
    const cand = new Int32Array(this.mix.negatives + 1);
    cand[0] = i;
    for (let k = 1; k < cand.length; k++) cand[k] = c.negative(i);
    const own = new Float32Array(cand.length);
    dotScores(c.vector(e), c.q, c.bias, cand, own);
    const mem = this.memberScores(rows, cand);
    const loss = (s: Float32Array): number => {
      let r = 0;
      for (let k = 1; k < s.length; k++) if ((s[k] as number) >= (s[0] as number)) r++;
      return r / (s.length - 1);
    };
    const lo = loss(own);
    const lm = loss(mem);
    for (const m of [this.globalMix, this.mixFor(roomId)]) {
      m.room -= this.mix.rate * lo;
      m.members -= this.mix.rate * lm;
      m.n++;
    }
  }

  private mixFor(roomId: string): Mix {
    let m = this.mixes.get(roomId);
    if (m === undefined) this.mixes.set(roomId, (m = { room: 0, members: 0, n: 0 }));
    return m;
  }

  /** Weight of the room's own embedding: the room's learned mix backed off to the global one. */
  roomShare(roomId: string): number {
    const g = share(this.globalMix);
    const m = this.mixes.get(roomId);
    if (m === undefined) return g;
    const t = m.n / (m.n + this.mix.prior);
    return t * share(m) + (1 - t) * g;
  }

  /**
   * The members' mean score. A dot product is linear, so the mean of the members' scores is the score of
   * their mean vector: one pass over the candidates instead of one per member (10× less work for a room).
   */
  private memberScores(rows: readonly number[], cand: Int32Array): Float32Array {
    const c = this.core;
    const out = new Float32Array(cand.length);
    dotScores(meanRows(c.p, rows), c.q, c.bias, cand, out);
    return out;
  }

  score(context: ScoringContext, candidates: readonly string[]): Float32Array {
    const c = this.core;
    const cand = c.candidates(candidates);
    const out = new Float32Array(candidates.length);
    if (context.roomId === undefined) {
      const e = context.userId === undefined ? undefined : c.ents.get(userKey(context.userId));
      dotScores(c.vector(e), c.q, c.bias, cand, out);
      return out;
    }
    const e = c.ents.get(roomKey(context.roomId));
    const rows = this.memberRows(context.members);
    if (rows.length === 0 || e === undefined) {
      if (e === undefined && rows.length > 0) return this.memberScores(rows, cand);
      dotScores(c.vector(e), c.q, c.bias, cand, out);
      return out;
    }
    dotScores(c.vector(e), c.q, c.bias, cand, out);
    const own = zNormalise(out);
    const mem = zNormalise(this.memberScores(rows, cand));
    const a = this.roomShare(context.roomId);
    for (let k = 0; k < out.length; k++) out[k] = a * (own[k] as number) + (1 - a) * (mem[k] as number);
    return out;
  }

  snapshot(): ModelSnapshot {
    return makeSnapshot(this.name, VERSION, this.seen, {
      core: this.core.toJSON(),
      globalMix: this.globalMix,
      mixes: [...this.mixes],
    });
  }

  restore(snapshot: ModelSnapshot): void {
    checkSnapshot(snapshot, this.name, VERSION);
    const d = snapshot.data as { core: BprCoreJSON; globalMix: Mix; mixes: Array<[string, Mix]> };
    this.core.load(d.core);
    this.globalMix = { ...d.globalMix };
    this.mixes = new Map(d.mixes.map(([k, m]) => [k, { ...m }]));
    this.seen = snapshot.header.interactions;
  }
}

/** A mix's room share: the logistic of its room-vs-members evidence. */
function share(m: Mix): number {
  return 1 / (1 + Math.exp(m.members - m.room));
}
