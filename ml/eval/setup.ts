/** Model set + learner construction shared by the protocols: the same classes the server will build. */
import { Ensemble } from '../ensemble/ensemble.ts';
import type { HedgeOptions } from '../ensemble/hedge.ts';
import type { Normalisation } from '../ensemble/normalise.ts';
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
  learner?: LearnerOptions;
}

export async function buildLearner(s: LearnerSetup): Promise<Learner> {
  const models = await buildModels(s.models, { seed: s.seed, overrides: s.overrides ?? {} });
  const ensemble = new Ensemble(
    models.map((m) => m.name),
    { normalise: s.normalise ?? 'z', hedge: s.hedge ?? {} },
  );
  return new Learner(models, ensemble, { seed: s.seed, ...s.learner });
}

/** Common flags: --models, --seed, --eta, --gamma, --normalise. */
export function commonSetup(flags: ReadonlyMap<string, string>, defaults: ModelName[] = [...DEFAULT_MODELS]): LearnerSetup {
  const list = flags.get('models');
  const hedge: Partial<HedgeOptions> = {};
  if (flags.has('eta')) hedge.eta = numberFlag(flags, 'eta', 0);
  if (flags.has('gamma')) hedge.gamma = numberFlag(flags, 'gamma', 0);
  const norm = flags.get('normalise');
  if (norm !== undefined && norm !== 'z' && norm !== 'rank') throw new Error('--normalise must be z or rank');
  return {
    models: list === undefined ? defaults : parseModelList(list),
    seed: numberFlag(flags, 'seed', 1),
    hedge,
    ...(norm === undefined ? {} : { normalise: norm }),
  };
}

export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
