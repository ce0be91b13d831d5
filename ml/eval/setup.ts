/** Model set + learner construction shared by the protocols: the same classes the server will build. */
import type { HedgeOptions } from '../ensemble/hedge.ts';
import type { Normalisation } from '../ensemble/normalise.ts';
import type { EnsembleOptions, WeightRule } from '../ensemble/ensemble.ts';
import { createLearner } from '../learner/create-learner.ts';
import type { Learner, LearnerOptions } from '../learner/learner.ts';
import { DEFAULT_MODELS, parseModelList } from '../models/registry.ts';
import type { ModelName, ModelOverrides } from '../models/registry.ts';
import { numberFlag } from './args.ts';

export interface LearnerSetup {
  models: ModelName[];
  seed: number;
  overrides?: ModelOverrides;
  hedge?: Partial<HedgeOptions>;
  normalise?: Normalisation;
  rule?: WeightRule;
  sharpness?: number;
  learner?: LearnerOptions;
}

export function buildLearner(s: LearnerSetup): Promise<Learner> {
  const ensemble: EnsembleOptions = { hedge: s.hedge ?? {} };
  if (s.normalise !== undefined) ensemble.normalise = s.normalise;
  if (s.rule !== undefined) ensemble.rule = s.rule;
  if (s.sharpness !== undefined) ensemble.sharpness = s.sharpness;
  return createLearner({ models: s.models, seed: s.seed, overrides: s.overrides ?? {}, ensemble, learner: s.learner ?? {} });
}

/** `--set item-knn.lambda=300,mf-bpr.dim=64` → per-model option overrides (numbers, booleans or strings). */
export function parseOverrides(spec: string | undefined): ModelOverrides {
  const out: Record<string, Record<string, unknown>> = {};
  if (spec === undefined) return out;
  for (const part of spec.split(',')) {
    const m = /^([\w-]+)\.(\w+)=(.*)$/.exec(part.trim());
    if (m === null) throw new Error(`--set expects model.option=value, got '${part}'`);
    const [, model, key, raw] = m as unknown as [string, string, string, string];
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) && raw !== '' ? Number(raw) : raw;
    (out[model] ??= {})[key] = value;
  }
  return out as ModelOverrides;
}

/** Common flags: --models, --seed, --eta, --gamma, --decay, --rule, --sharpness, --normalise, --set. */
export function commonSetup(flags: ReadonlyMap<string, string>, defaults: ModelName[] = [...DEFAULT_MODELS]): LearnerSetup {
  const list = flags.get('models');
  const hedge: Partial<HedgeOptions> = {};
  if (flags.has('eta')) hedge.eta = numberFlag(flags, 'eta', 0);
  if (flags.has('gamma')) hedge.gamma = numberFlag(flags, 'gamma', 0);
  if (flags.has('decay')) hedge.decay = numberFlag(flags, 'decay', 1);
  const norm = flags.get('normalise');
  if (norm !== undefined && norm !== 'z' && norm !== 'rank') throw new Error('--normalise must be z or rank');
  const rule = flags.get('rule');
  if (rule !== undefined && rule !== 'hedge' && rule !== 'eg') throw new Error('--rule must be hedge or eg');
  return {
    ...(rule === undefined ? {} : { rule }),
    ...(flags.has('sharpness') ? { sharpness: numberFlag(flags, 'sharpness', 1) } : {}),
    models: list === undefined ? defaults : parseModelList(list),
    seed: numberFlag(flags, 'seed', 1),
    overrides: parseOverrides(flags.get('set')),
    hedge,
    ...(norm === undefined ? {} : { normalise: norm }),
  };
}

export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
