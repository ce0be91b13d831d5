/**
 * Builds the model set by name. Every model but NeuMF is plain TypeScript and built synchronously;
 * NeuMF (tfjs) is loaded lazily so that a caller that does not ask for it never loads TensorFlow.js, and
 * its backend is initialised first (ml/backend.ts).
 */
import type { Recommender } from '../types.ts';
import { Content } from './content.ts';
import type { ContentOptions } from './content.ts';
import { GroupRoom } from './group-room.ts';
import type { GroupRoomOptions } from './group-room.ts';
import { ItemKnn } from './item-knn.ts';
import type { ItemKnnOptions } from './item-knn.ts';
import { MfBpr } from './mf-bpr.ts';
import type { MfBprOptions } from './mf-bpr.ts';
import { Popularity } from './popularity.ts';
import type { PopularityOptions } from './popularity.ts';

export const MODEL_NAMES = ['popularity', 'item-knn', 'ease', 'mf-bpr', 'content', 'group-room', 'neumf'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The default set: every model. */
export const DEFAULT_MODELS: readonly ModelName[] = MODEL_NAMES;

export interface ModelOverrides {
  popularity?: PopularityOptions;
  'item-knn'?: ItemKnnOptions;
  ease?: ItemKnnOptions;
  'mf-bpr'?: MfBprOptions;
  content?: ContentOptions;
  'group-room'?: GroupRoomOptions;
  /** Passed to NeuMF.create (see ml/models/neumf-options.ts). */
  neumf?: Record<string, unknown>;
}

export interface BuildOptions {
  /** Base seed; each model derives its own. */
  seed?: number;
  overrides?: ModelOverrides;
}

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/** Parse a `--models a,b,c` list, rejecting unknown names. */
export function parseModelList(list: string): ModelName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) if (!isModelName(n)) throw new Error(`unknown model '${n}' (known: ${MODEL_NAMES.join(', ')})`);
  return names as ModelName[];
}

/** One of the synchronous models. */
export function buildModel(name: Exclude<ModelName, 'neumf'>, opts: BuildOptions = {}): Recommender {
  const seed = opts.seed ?? 1;
  const o = opts.overrides ?? {};
  switch (name) {
    case 'popularity':
      return new Popularity(o.popularity);
    case 'item-knn':
      return new ItemKnn({ mode: 'cosine', ...o['item-knn'] });
    case 'ease':
      return new ItemKnn({ mode: 'ease', name: 'ease', ...o.ease });
    case 'mf-bpr':
      return new MfBpr({ seed: seed * 31 + 7, ...o['mf-bpr'] });
    case 'content':
      return new Content(o.content);
    case 'group-room':
      return new GroupRoom({ seed: seed * 31 + 11, ...o['group-room'] });
  }
}

/** NeuMF, when ml/models/neumf.ts is present; null (with the reason) when it cannot be loaded. */
async function loadNeuMF(opts: BuildOptions): Promise<Recommender> {
  // Specifiers in variables keep this module free of a static dependency on tfjs.
  const backendPath = '../backend.ts';
  const neumfPath = './neumf.ts';
  const backend = (await import(backendPath)) as { initBackend?: () => Promise<unknown> };
  await backend.initBackend?.();
  const mod = (await import(neumfPath)) as {
    NeuMF?: { create(o: Record<string, unknown>): Promise<Recommender> };
  };
  if (mod.NeuMF === undefined) throw new Error('ml/models/neumf.ts does not export NeuMF');
  return mod.NeuMF.create({ seed: (opts.seed ?? 1) * 31 + 13, ...opts.overrides?.neumf });
}

/** Build models by name, in the given order (the ensemble's order). */
export async function buildModels(
  names: readonly ModelName[] = DEFAULT_MODELS,
  opts: BuildOptions = {},
): Promise<Recommender[]> {
  const out: Recommender[] = [];
  for (const name of names) out.push(name === 'neumf' ? await loadNeuMF(opts) : buildModel(name, opts));
  return out;
}
