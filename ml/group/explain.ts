/**
 * Why an item was recommended: each model's contribution to its ensemble score, and a short human sentence
 * built from the evidence the caller has ("liked by Ana and Bo", "because you played X", "matches the
 * room's energy", "popular right now"). Pure: the caller gathers the evidence, nothing is looked up here.
 */

export interface ExplainInput {
  trackId: string;
  /** Each model's normalised score (0..1) of this item, by model name. */
  modelScores: Readonly<Record<string, number>>;
  /** Ensemble weights by model name (any non-negative scale; normalised here). */
  weights: Readonly<Record<string, number>>;
  /** Display names of members who liked this track (or, with `likedSimilar`, tracks like it). */
  likedBy?: readonly string[] | undefined;
  likedSimilar?: boolean | undefined;
  /** Members who favour the item's genre (evidence when nobody liked the item itself). */
  genreFans?: { names: readonly string[]; genre: string } | undefined;
  /** Title of a track the asker played that this one follows from (item-neighbour evidence). */
  becauseYouPlayed?: string | undefined;
  /** The track's audio features and the room's current profile (mean features of what it plays). */
  features?: Readonly<Record<string, number>> | undefined;
  roomProfile?: Readonly<Record<string, number>> | undefined;
  /** The track's trending percentile right now, 0..1. */
  popularity?: number | undefined;
}

export interface ExplainOptions {
  /** Who is asking, for the wording of model reasons ("your taste" / "the room's taste"). */
  audience?: 'user' | 'room';
  /** Reasons in the sentence (default 2). */
  maxReasons?: number;
  /** Feature closeness that counts as matching the room (default 0.85). */
  energyThreshold?: number;
  /** Trending percentile that counts as popular (default 0.8). */
  popularThreshold?: number;
}

export interface Contribution {
  model: string;
  /** normalised ensemble weight (weights sum to 1) */
  weight: number;
  score: number;
  /** weight × score: this model's part of the ensemble score */
  contribution: number;
  /** contribution ÷ the sum of contributions (0..1) */
  share: number;
}

export type ReasonKind = 'liked-by' | 'liked-similar' | 'because-played' | 'room-energy' | 'popular' | 'model';
export interface Reason {
  kind: ReasonKind;
  text: string;
  strength: number;
}

export interface Explanation {
  trackId: string;
  contributions: Contribution[];
  reasons: Reason[];
  sentence: string;
}

/** Models' contributions, largest first. Models without a weight or a score contribute 0. */
export function contributions(modelScores: Readonly<Record<string, number>>, weights: Readonly<Record<string, number>>): Contribution[] {
  const models = [...new Set([...Object.keys(weights), ...Object.keys(modelScores)])];
  const wsum = models.reduce((s, m) => s + Math.max(0, weights[m] ?? 0), 0);
  const rows = models.map((model) => {
    const weight = wsum > 0 ? Math.max(0, weights[model] ?? 0) / wsum : 0;
    const score = finite(modelScores[model]);
    return { model, weight, score, contribution: weight * score, share: 0 };
  });
  const total = rows.reduce((s, r) => s + r.contribution, 0);
  for (const r of rows) r.share = total > 0 ? r.contribution / total : 0;
  return rows.sort((a, b) => b.contribution - a.contribution || a.model.localeCompare(b.model));
}

/** Spread of each feature, so a tempo gap (BPM) and an energy gap (0..1) weigh alike. */
const FEATURE_RANGE: Readonly<Record<string, number>> = { tempo: 250, loudness: 60 };
const ENERGY_FEATURES = ['energy', 'danceability', 'valence', 'tempo', 'loudness', 'acousticness'];

/** 1 − mean range-scaled gap over the energy-like features both sides have; undefined when none. */
export function featureCloseness(
  track: Readonly<Record<string, number>>,
  room: Readonly<Record<string, number>>,
  names: readonly string[] = ENERGY_FEATURES,
): number | undefined {
  let gap = 0;
  let n = 0;
  for (const name of names) {
    const a = track[name];
    const b = room[name];
    if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) continue;
    gap += Math.min(1, Math.abs(a - b) / (FEATURE_RANGE[name] ?? 1));
    n++;
  }
  return n ? 1 - gap / n : undefined;
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo and 3 others". */
export function joinNames(names: readonly string[], max = 3): string {
  const xs = [...new Set(names)];
  if (xs.length <= 1) return xs[0] ?? '';
  if (xs.length > max) return `${xs.slice(0, max - 1).join(', ')} and ${xs.length - (max - 1)} others`;
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] ?? ''}`;
}

function modelPhrase(model: string, audience: 'user' | 'room'): string {
  const taste = audience === 'room' ? "the room's taste" : 'your taste';
  switch (model) {
    case 'popularity':
      return 'popular right now';
    case 'item-knn':
    case 'ease':
      return audience === 'room' ? "goes with what's been playing" : "goes with what you've played";
    case 'mf-bpr':
    case 'neumf':
      return `fits ${taste}`;
    case 'content':
      return audience === 'room' ? 'sounds like what the room likes' : 'sounds like what you like';
    case 'group-room':
      return 'fits this room';
    default:
      return `recommended by ${model}`;
  }
}

export function explain(input: ExplainInput, opts: ExplainOptions = {}): Explanation {
  const contribs = contributions(input.modelScores, input.weights);
  const reasons = reasonsFor(input, contribs[0], opts);
  const picked = reasons.slice(0, Math.max(1, opts.maxReasons ?? 2)).map((r) => r.text);
  return { trackId: input.trackId, contributions: contribs, reasons, sentence: sentenceOf(picked) };
}

/**
 * explain(input, opts).sentence without the rest: only the largest contribution is found (no rows, no
 * sort). For lists computed on every push, where only the sentence is shown.
 */
export function reasonSentence(input: ExplainInput, opts: ExplainOptions = {}): string {
  // The weighted models, then any scored model without a weight (it contributes nothing).
  const { weights, modelScores } = input;
  const models = Object.keys(weights);
  for (const m of Object.keys(modelScores)) if (!Object.hasOwn(weights, m)) models.push(m);
  const cols = models.map((m) => [modelScores[m] ?? Number.NaN]);
  return sentenceWithTop(input, topOfColumns(weightShares(weights, models), cols, 0), opts);
}

/** Ensemble weights normalised to sum to 1 (negatives count as 0), computed once for many items. */
export interface WeightShares {
  models: readonly string[];
  share: Float64Array;
}

/** `models`: the order the shares follow (default: the weights' own); a model without a weight gets 0. */
export function weightShares(weights: Readonly<Record<string, number>>, models: readonly string[] = Object.keys(weights)): WeightShares {
  let wsum = 0;
  for (const m of models) wsum += Math.max(0, weights[m] ?? 0);
  const share = new Float64Array(models.length);
  for (let i = 0; i < models.length; i++) share[i] = wsum > 0 ? Math.max(0, weights[models[i] as string] ?? 0) / wsum : 0;
  return { models, share };
}

type Top = Pick<Contribution, 'model' | 'contribution' | 'share'>;

/**
 * An item's largest model contribution (ties to the model name first in order) and its share of the
 * item's total, for item `i` of a list whose items share their weights: `cols[m][i]` is model
 * `w.models[m]`'s score of the item. contributions(…)[0] without building and sorting every row.
 */
export function topOfColumns(w: WeightShares, cols: readonly ArrayLike<number>[], i: number): Top | undefined {
  let total = 0;
  let top: { model: string; contribution: number } | undefined;
  for (let m = 0; m < w.models.length; m++) {
    const model = w.models[m] as string;
    const contribution = (w.share[m] as number) * finite(cols[m]?.[i]);
    total += contribution;
    if (!top || contribution > top.contribution || (contribution === top.contribution && model.localeCompare(top.model) < 0)) {
      top = { model, contribution };
    }
  }
  if (!top) return undefined;
  return { ...top, share: total > 0 ? top.contribution / total : 0 };
}

/** reasonSentence given the item's largest contribution (topOfColumns): the model scores are not read again. */
export function sentenceWithTop(input: Omit<ExplainInput, 'modelScores' | 'weights'>, top: Top | undefined, opts: ExplainOptions = {}): string {
  const reasons = reasonsFor(input, top, opts);
  return sentenceOf(reasons.slice(0, Math.max(1, opts.maxReasons ?? 2)).map((r) => r.text));
}

/** The reasons for an item, strongest first; `top` is its largest model contribution. */
function reasonsFor(
  input: Omit<ExplainInput, 'modelScores' | 'weights'>,
  top: Top | undefined,
  opts: ExplainOptions,
): Reason[] {
  const reasons: Reason[] = [];
  const liked = input.likedBy ?? [];
  if (liked.length > 0) {
    reasons.push(
      input.likedSimilar
        ? { kind: 'liked-similar', text: `similar to what ${joinNames(liked)} liked`, strength: 0.95 }
        : { kind: 'liked-by', text: `liked by ${joinNames(liked)}`, strength: 1 + Math.min(0.5, 0.1 * liked.length) },
    );
  }
  const fans = input.genreFans;
  if (liked.length === 0 && fans && fans.names.length > 0) {
    const verb = fans.names.length > 1 ? 'are' : 'is';
    reasons.push({ kind: 'liked-similar', text: `${joinNames(fans.names)} ${verb} into ${fans.genre}`, strength: 0.9 });
  }
  if (input.becauseYouPlayed) reasons.push({ kind: 'because-played', text: `because you played ${input.becauseYouPlayed}`, strength: 0.9 });
  if (input.features && input.roomProfile) {
    const c = featureCloseness(input.features, input.roomProfile);
    if (c !== undefined && c >= (opts.energyThreshold ?? 0.85)) {
      reasons.push({ kind: 'room-energy', text: "matches the room's energy", strength: 0.8 * c });
    }
  }
  const pop = input.popularity;
  if (pop !== undefined && pop >= (opts.popularThreshold ?? 0.8)) {
    reasons.push({ kind: 'popular', text: 'popular right now', strength: 0.7 * pop });
  }
  if (top && top.contribution > 0) {
    const text = modelPhrase(top.model, opts.audience ?? 'user');
    if (!reasons.some((r) => r.text === text)) reasons.push({ kind: 'model', text, strength: 0.5 * top.share });
  }
  return reasons.sort((a, b) => b.strength - a.strength);
}

function sentenceOf(parts: readonly string[]): string {
  if (parts.length === 0) return 'Recommended for you.';
  const [first = '', ...rest] = parts;
  const head = first.charAt(0).toUpperCase() + first.slice(1);
  if (rest.length === 0) return `${head}.`;
  return `${head}, ${rest.slice(0, -1).map((r) => `${r}, `).join('')}and ${rest[rest.length - 1] ?? ''}.`;
}

function finite(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) ? x : 0;
}
