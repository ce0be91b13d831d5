/**
 * The one way to build a Learner with the registry's models: the live server and the evaluation CLI both
 * call this, so they run the same models with the same defaults.
 */
import { Ensemble } from '../ensemble/ensemble.ts';
import type { EnsembleOptions } from '../ensemble/ensemble.ts';
import { buildModels, DEFAULT_MODELS } from '../models/registry.ts';
import type { ModelName, ModelOverrides } from '../models/registry.ts';
import { Learner } from './learner.ts';
import type { LearnerOptions } from './learner-types.ts';

export interface CreateLearnerOptions {
  /** Models by name, in ensemble order (default: DEFAULT_MODELS, NeuMF included). */
  models?: readonly ModelName[];
  seed?: number;
  overrides?: ModelOverrides;
  ensemble?: EnsembleOptions;
  learner?: LearnerOptions;
}

export async function createLearner(o: CreateLearnerOptions = {}): Promise<Learner> {
  const seed = o.seed ?? 1;
  const models = await buildModels(o.models ?? DEFAULT_MODELS, { seed, overrides: o.overrides ?? {} });
  const ensemble = new Ensemble(
    models.map((m) => m.name),
    o.ensemble,
  );
  return new Learner(models, ensemble, { seed, ...o.learner });
}
