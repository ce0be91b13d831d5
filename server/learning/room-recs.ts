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
 */
import { rankScores } from '../../ml/ensemble/normalise.ts';
import { explain, type ExplainInput } from '../../ml/group/explain.ts';
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

export function roomRecs(o: RoomRecsInput): RoomRecs {
  const { learner, catalog, room } = o;
  const memberIds = room.members.map((m) => m.userId);
  const ctx: ScoringContext = { ...contextOf(room, o.now), roomId: room.roomId, members: memberIds };
  const skip = new Set([...room.queued, ...(room.current ? [room.current] : []), ...o.recent]);
  const pool = new Set(learner.retrieve(ctx));
  for (const u of memberIds) for (const id of preferredTracks(o.prefs(u), catalog)) pool.add(id);
  const cands = [...pool].filter((id) => !skip.has(id) && catalog.get(id) !== undefined);
  if (cands.length === 0) return { items: [], weights: learner.weights(ctx), harmony: 1, members: [], memberScores: new Map() };

  const all = learner.score(ctx, cands);
  // Stage 3: the room's best RERANK go on; their room rank is kept from the full shortlist.
  const fullRank = rankScores(all.ensemble);
  const keep = topK(all.ensemble, Math.max(o.k, RERANK));
  const roomScore = pick(all, keep);
  const roomRank = Float32Array.from(keep, (i) => fullRank[i] as number);
  const shortlisted = keep.map((i) => cands[i] as string);
  const member = memberIds.map((u) => {
    const mctx: ScoringContext = { ...contextOf(room, o.now), userId: u };
    const s = learner.score(mctx, shortlisted, MEMBER_SKIP).ensemble;
    const p = o.prefs(u);
    return p ? withPrior(s, preferenceMatch(p, catalog, shortlisted), learner.positivesOf(mctx)) : s;
  });
  const prepared = prepareMembers(member, 'minmax');
  const agg =
    member.length > 0 ? aggregatePrepared(o.strategy, prepared, { fairness: o.fairness, memberIds }) : new Float32Array(keep.length);
  const share = member.length > 0 ? ROOM_SHARE : 1;
  const final = new Float32Array(keep.length);
  for (let i = 0; i < keep.length; i++) final[i] = share * (roomRank[i] as number) + (1 - share) * (agg[i] as number);
  const chosen = topK(final, o.k);
  const satisfaction = member.length > 0 ? satisfactionPrepared(prepared, chosen) : [];

  const names = Object.keys(roomScore.models);
  const modelRanks = Object.fromEntries(names.map((n) => [n, pickArr(rankScores(all.models[n] as Float32Array), keep)]));
  const items = chosen.map((i): RecItem => {
    const id = shortlisted[i] as string;
    const t = catalog.get(id);
    const contrib = Object.fromEntries(names.map((n) => [n, (roomScore.contributions[n] as Float32Array)[i] as number]));
    const total = Object.values(contrib).reduce((a, b) => a + Math.max(0, b), 0);
    const score = final[i] as number;
    const reason = explain(
      {
        trackId: id,
        modelScores: Object.fromEntries(names.map((n) => [n, (modelRanks[n] as Float32Array)[i] as number])),
        weights: roomScore.weights,
        ...evidence(o, id, t?.genre),
        popularity: modelRanks['popularity']?.[i],
      },
      { audience: 'room' },
    ).sentence;
    return {
      trackId: id,
      title: t?.title ?? id,
      artist: t?.artist ?? '',
      genre: t?.genre ?? '',
      durationMs: t?.durationMs ?? 0,
      score: round(score),
      reason,
      // Each model's share of the item's score (positive parts, scaled to sum to the score).
      contributions: Object.fromEntries(
        Object.entries(contrib).map(([n, c]) => [n, round(total > 0 ? (Math.max(0, c) / total) * score : 0)]),
      ),
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

const pickArr = (a: Float32Array, idx: readonly number[]): Float32Array => Float32Array.from(idx, (i) => a[i] as number);

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
const roundAll = (r: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
