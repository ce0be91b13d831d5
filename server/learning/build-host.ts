/**
 * The one way to stand up a live LearnerHost: the registry's models with the live learner options, the
 * catalog, declared preferences, and the active snapshot restored. The learner thread and the learner
 * process both call it, so they learn with the same models and settings.
 */
import { activeBackend } from '../../ml/backend.ts';
import { createLearner } from '../../ml/learner/create-learner.ts';
import { isModelName, type ModelName } from '../../ml/models/registry.ts';
import { LIVE_ITEM_KNN, LIVE_NEUMF, LIVE_RETRIEVAL, LearnerHost } from './learner-host.ts';
import type { LearnerInit } from './protocol.ts';

/** The host, and the stored-stream position its snapshot had consumed through (0 without one). */
export async function buildHost(
  init: LearnerInit,
  /** `now`: the host's clock (a benchmark runs on simulated time). */
  opts: { now?: () => number } = {},
): Promise<{ host: LearnerHost; cursor: number; backend: string }> {
  const models = (init.models ?? []).filter(isModelName) as ModelName[];
  const learner = await createLearner({
    seed: init.seed,
    ...(models.length > 0 ? { models } : {}),
    learner: { testEvery: init.testEvery, ...LIVE_RETRIEVAL },
    overrides: { neumf: LIVE_NEUMF, 'item-knn': LIVE_ITEM_KNN },
  });
  const backend = activeBackend()?.name ?? 'cpu';
  const host = new LearnerHost(learner, init.catalog, init.k, backend, opts.now);
  for (const p of init.preferences) host.setPreferences(p.userId, p.preferences);
  if (init.snapshot) host.restore(init.snapshot.version, init.snapshot.data);
  return { host, cursor: init.snapshot?.cursor ?? 0, backend };
}
