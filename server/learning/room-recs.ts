/**
 * A room's group recommendations, computed in the learner thread:
 *  1. shortlist: the learner's two-stage retrieval for the room, plus the members' declared favourites,
 *     minus what is queued, playing or recently played;
 *  2. the room score: every model and the ensemble score the shortlist for the room (its own history and
 *     member-aware models), with the weights the room is served with;
 *  3. a cascade: only the room's best RERANK candidates go on (a few hundred member scorings per push
 *     would cost milliseconds; twenty keep every member's favourites among the room's good picks);
 *  4. member scores of those: each connected member's own ensemble score (without NeuMF, the costliest
 *     model), lifted by declared preferences while they are cold;
 *  5. the room's strategy aggregates the member scores; the list ranks by half room rank, half strategy;
 *     satisfaction and harmony report how it serves each member.
 * That is the full pass (roomRecs). Between full passes a push re-ranks the candidates the last one kept
 * (rerankRoom): stages 2, 4 and 5 on those twenty only, re-scoring only the members who acted. Candidate
 * generation refreshes every few seconds; ranking follows every interaction (learner-host.ts decides).
 */
import { rankScores } from '../../ml/ensemble/normalise.ts';
import { sentenceWithTop, topOfColumns, weightShares, type ExplainInput } from '../../ml/group/explain.ts';
import type { FairnessState } from '../../ml/group/fairness.ts';
import { harmony, satisfactionPrepared } from '../../ml/group/harmony.ts';
import { normalisedAt, prepareMembers } from '../../ml/group/normalise.ts';
import { aggregatePrepared } from '../../ml/group/strategies.ts';
import { topK } from '../../ml/group/top-k.ts';
import type { Learner, ScoreBreakdown } from '../../ml/learner/learner.ts';
import type { ScoringContext } from '../../ml/types.ts';
import type { CatalogIndex } from './catalog-index.ts';
import { preferenceMatch, preferredTracks, withPrior } from './preferences-prior.ts';
import type { RoomContext } from './protocol.ts';
import type { Preferences, RecItem, WireStrategy } from './types.ts';

/** Scoring a member without it keeps a 10-member room around a millisecond (see docs/performance.md). */
export const MEMBER_SKIP: ReadonlySet<string> = new Set(['neumf']);
const ROOM_SHARE = 0.5;
/** A model without ranks (not scored for this list) reads as unknown (NaN counts as 0 in a reason). */
const EMPTY = new Float32Array(0);
/** Candidates the room ranking hands to the member-aware stage. */
export const RERANK = 20;

export interface RoomRecsInput {
  learner: Learner;
  catalog: CatalogIndex;
  room: RoomContext;
  strategy: WireStrategy;
  k: number;
  prefs: (userId: string) => Preferences | undefined;
  fairness: FairnessState;
  /** Recently played tracks of the room (not recommended again soon). */
  recent: ReadonlySet<string>;
  /** Display names of members who liked each track in this room. */
  likedBy: (trackId: string) => string[];
  /** Display names of members whose favourite genres include this one (evidence for a reason). */
  genreFans: (genre: string) => string[];
  now: number;
}

export interface RoomRecs {
  items: RecItem[];
  weights: Record<string, number>;
  harmony: number;
  members: { userId: string; satisfaction: number }[];
  /** Each member's 0..1 score of each listed item (what fairness records once one plays). */
  memberScores: Map<string, number[]>;
}

export function contextOf(room: Pick<RoomContext, 'mood' | 'activity'>, now: number): ScoringContext {
  const at = new Date(now);
  return { hour: at.getHours(), weekday: at.getDay(), mood: room.mood, activity: room.activity, now };
}

export function roomRecs(o: RoomRecsInput): RoomRecs & { candidates: Candidates } {
  const { learner, catalog, room } = o;
  const memberIds = room.members.map((m) => m.userId);
  const ctx: ScoringContext = { ...contextOf(room, o.now), roomId: room.roomId, members: memberIds };
  const skip = skipped(o);
  const pool = new Set(learner.retrieve(ctx));
  for (const u of memberIds) for (const id of preferredTracks(o.prefs(u), catalog)) pool.add(id);
  const cands = [...pool].filter((id) => !skip.has(id) && catalog.get(id) !== undefined);
  if (cands.length === 0) {
    return {
      items: [],
      weights: learner.weights(ctx),
      harmony: 1,
      members: [],
      memberScores: new Map(),
      candidates: { tracks: [], rankLo: 0, rankHi: 1, members: new Map(), at: o.now },
    };
  }

  const all = learner.score(ctx, cands);
  // Stage 3: the room's best RERANK go on; their room rank is kept from the full shortlist.
  const fullRank = rankScores(all.ensemble);
  const keep = topK(all.ensemble, Math.max(o.k, RERANK));
  const roomScore = pick(all, keep);
  const roomRank = pickArr(fullRank, keep);
  const shortlisted = keep.map((i) => cands[i] as string);
  const member = memberIds.map((u) => memberScore(o, u, shortlisted));
  const modelRanks = Object.fromEntries(Object.entries(all.models).map(([m, a]) => [m, pickArr(rankOf(all, m, a), keep)]));
  const recs = rank(o, shortlisted, roomScore, roomRank, member, modelRanks);
  let rankLo = 1;
  let rankHi = 0;
  for (const r of roomRank) {
    rankLo = Math.min(rankLo, r);
    rankHi = Math.max(rankHi, r);
  }
  const candidates: Candidates = {
    tracks: shortlisted,
    rankLo,
    rankHi,
    members: new Map(memberIds.map((u, m) => [u, member[m] as Float32Array])),
    at: o.now,
  };
  return { ...recs, candidates };
}

/**
 * The cheap push: re-rank the candidates the last full pass kept, with the models as they are now. The
 * room's ensemble re-scores them (every model, current weights), the members in `fresh` (who acted since)
 * are re-scored on them, the others keep their vectors from the last pass. No retrieval, no scoring of a
 * hundred-odd shortlist, no scoring of members who did nothing. Returns null when too few candidates are
 * left (played or queued since): the caller then runs a full pass.
 */
export function rerankRoom(o: RoomRecsInput, c: Candidates, fresh: ReadonlySet<string>): (RoomRecs & { candidates: Candidates }) | null {
  const { learner, room } = o;
  const skip = skipped(o);
  const keep: number[] = [];
  c.tracks.forEach((id, i) => {
    if (!skip.has(id) && o.catalog.get(id) !== undefined) keep.push(i);
  });
  if (keep.length < o.k || keep.length === 0) return null;
  const tracks = keep.map((i) => c.tracks[i] as string);
  const memberIds = room.members.map((m) => m.userId);
  const ctx: ScoringContext = { ...contextOf(room, o.now), roomId: room.roomId, members: memberIds };
  const roomScore = learner.score(ctx, tracks);
  // Ranks among the kept candidates, placed in the band their ranks held in the full shortlist, so the
  // room's share of the blend stays on the scale the full pass gave it.
  const local = rankScores(roomScore.ensemble);
  const roomRank = local.map((r) => c.rankLo + (c.rankHi - c.rankLo) * r);
  const member = memberIds.map((u) => {
    const kept = c.members.get(u);
    return kept && !fresh.has(u) ? pickArr(kept, keep) : memberScore(o, u, tracks);
  });
  const modelRanks = Object.fromEntries(Object.entries(roomScore.models).map(([m, a]) => [m, rankOf(roomScore, m, a)]));
  const recs = rank(o, tracks, roomScore, roomRank, member, modelRanks);
  return {
    ...recs,
    candidates: { ...c, tracks, members: new Map(memberIds.map((u, m) => [u, member[m] as Float32Array])) },
  };
}

/** What a full pass leaves for the re-ranks that follow it. */
export interface Candidates {
  /** The room's best RERANK tracks of the full shortlist. */
  tracks: string[];
  /** The band of their room ranks within the full shortlist. */
  rankLo: number;
  rankHi: number;
  /** Each member's scores of `tracks`. */
  members: Map<string, Float32Array>;
  /** When the full pass ran. */
  at: number;
}

const skipped = (o: RoomRecsInput): Set<string> =>
  new Set([...o.room.queued, ...(o.room.current ? [o.room.current] : []), ...o.recent]);

/** A member's own ensemble score of `tracks` (without NeuMF), lifted by declared preferences while cold. */
function memberScore(o: RoomRecsInput, userId: string, tracks: readonly string[]): Float32Array {
  const mctx: ScoringContext = { ...contextOf(o.room, o.now), userId };
  const s = o.learner.scoreEnsemble(mctx, tracks, MEMBER_SKIP);
  const p = o.prefs(userId);
  return p ? withPrior(s, preferenceMatch(p, o.catalog, tracks), o.learner.positivesOf(mctx)) : s;
}

/**
 * Stages 5 and on: the strategy over member scores, the blend with the room rank, the top k and their
 * reasons (`modelRanks`: each model's rank of each candidate, what a reason cites).
 */
function rank(
  o: RoomRecsInput,
  shortlisted: readonly string[],
  roomScore: ScoreBreakdown,
  roomRank: Float32Array,
  member: Float32Array[],
  modelRanks: Record<string, Float32Array>,
): RoomRecs {
  const memberIds = o.room.members.map((m) => m.userId);
  const n = shortlisted.length;
  const prepared = prepareMembers(member, 'minmax');
  const agg = member.length > 0 ? aggregatePrepared(o.strategy, prepared, { fairness: o.fairness, memberIds }) : new Float32Array(n);
  const share = member.length > 0 ? ROOM_SHARE : 1;
  const final = new Float32Array(n);
  for (let i = 0; i < n; i++) final[i] = share * (roomRank[i] as number) + (1 - share) * (agg[i] as number);
  const chosen = topK(final, o.k);
  const satisfaction = member.length > 0 ? satisfactionPrepared(prepared, chosen) : [];

  const names = Object.keys(roomScore.models);
  const contribCols = names.map((m) => roomScore.contributions[m] as Float32Array);
  // What a reason weighs: each model's rank of the item under the list's weights (normalised once).
  const shares = weightShares(roomScore.weights);
  const rankCols = shares.models.map((m) => modelRanks[m] ?? EMPTY);
  // Plain loops: this runs for every listed item of every push.
  const items = chosen.map((i): RecItem => {
    const id = shortlisted[i] as string;
    const t = o.catalog.get(id);
    let total = 0;
    for (const col of contribCols) total += Math.max(0, col[i] as number);
    const score = final[i] as number;
    // Each model's share of the item's score (positive parts, scaled to sum to the score).
    const contributions: Record<string, number> = {};
    for (let n = 0; n < names.length; n++) {
      const c = Math.max(0, (contribCols[n] as Float32Array)[i] as number);
      contributions[names[n] as string] = round(total > 0 ? (c / total) * score : 0);
    }
    const reason = sentenceWithTop(
      { trackId: id, ...evidence(o, id, t?.genre), popularity: modelRanks['popularity']?.[i] },
      topOfColumns(shares, rankCols, i),
      { audience: 'room' },
    );
    return {
      trackId: id,
      title: t?.title ?? id,
      artist: t?.artist ?? '',
      genre: t?.genre ?? '',
      durationMs: t?.durationMs ?? 0,
      score: round(score),
      reason,
      contributions,
    };
  });
  const memberScores = new Map(memberIds.map((u, m) => [u, chosen.map((i) => normalisedAt(prepared, m, i))]));
  return {
    items,
    weights: roundAll(roomScore.weights),
    harmony: round(harmony(satisfaction)),
    members: memberIds.map((userId, m) => ({ userId, satisfaction: round(satisfaction[m] ?? 0) })),
    memberScores,
  };
}

/** Who in the room vouches for a track: members who liked it, else members who favour its genre. */
function evidence(o: RoomRecsInput, id: string, genre: string | undefined): Pick<ExplainInput, 'likedBy' | 'genreFans'> {
  const liked = o.likedBy(id);
  if (liked.length > 0 || !genre) return { likedBy: liked };
  return { likedBy: [], genreFans: { names: o.genreFans(genre), genre } };
}

/** Model `m`'s rank percentiles of the candidates: the ensemble's own when it ranked them, else sorted here. */
function rankOf(b: ScoreBreakdown, m: string, scores: Float32Array): Float32Array {
  return b.ranks?.[m] ?? rankScores(scores);
}

/** The breakdown restricted to the candidates at `idx`. */
function pick(b: ScoreBreakdown, idx: readonly number[]): ScoreBreakdown {
  const map = (r: Record<string, Float32Array>) => Object.fromEntries(Object.entries(r).map(([n, a]) => [n, pickArr(a, idx)]));
  return {
    candidates: idx.map((i) => b.candidates[i] as string),
    models: map(b.models),
    ensemble: pickArr(b.ensemble, idx),
    weights: b.weights,
    contributions: map(b.contributions),
  };
}

/** `a` at `idx`. A plain loop: Float32Array.from with a map function is ~5× slower, and this runs per member per push. */
function pickArr(a: Float32Array, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j] as number] as number;
  return out;
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
const roundAll = (r: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
