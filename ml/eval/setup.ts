/** Model set + learner construction shared by the protocols: the same classes the server will build. */
import { Ensemble } from '../ensemble/ensemble.ts';
import type { HedgeOptions } from '../ensemble/hedge.ts';
import type { Normalisation } from '../ensemble/normalise.ts';
import type { WeightRule } from '../ensemble/ensemble.ts';
import { Learner } from '../learner/learner.ts';
import type { LearnerOptions } from '../learner/learner.ts';
import { buildModels, DEFAULT_MODELS, parseModelList } from '../models/registry.ts';
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

export async function buildLearner(s: LearnerSetup): Promise<Learner> {
  const models = await buildModels(s.models, { seed: s.seed, overrides: s.overrides ?? {} });
  const ensemble = new Ensemble(
    models.map((m) => m.name),
    { normalise: s.normalise ?? 'z', hedge: s.hedge ?? {}, rule: s.rule ?? 'hedge', sharpness: s.sharpness ?? 1 },
  );
  return new Learner(models, ensemble, { seed: s.seed, ...s.learner });
}

/** `--set ease.lambda=300,mf-bpr.dim=64` → per-model option overrides (numbers, booleans or strings). */
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

/** Common flags: --models, --seed, --eta, --gamma, --normalise, --set. */
export function commonSetup(flags: ReadonlyMap<string, string>, defaults: ModelName[] = [...DEFAULT_MODELS]): LearnerSetup {
  const list = flags.get('models');
  const hedge: Partial<HedgeOptions> = {};
  if (flags.has('eta')) hedge.eta = numberFlag(flags, 'eta', 0);
  if (flags.has('gamma')) hedge.gamma = numberFlag(flags, 'gamma', 0);
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
