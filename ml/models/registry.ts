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

export const MODEL_NAMES = ['popularity', 'item-knn', 'item-cosine', 'mf-bpr', 'content', 'group-room', 'neumf'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * The default set. 'item-knn' is the item model with its EASE refresh (cosine only past easeMaxItems);
 * 'item-cosine' (the same model without EASE) is left out because it would be a near-copy of it.
 */
export const DEFAULT_MODELS: readonly ModelName[] = MODEL_NAMES.filter((n) => n !== 'item-cosine');

export interface ModelOverrides {
  popularity?: PopularityOptions;
  'item-knn'?: ItemKnnOptions;
  'item-cosine'?: ItemKnnOptions;
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
      return new ItemKnn({ mode: 'ease', name: 'item-knn', ...o['item-knn'] });
    case 'item-cosine':
      return new ItemKnn({ mode: 'cosine', name: 'item-cosine', ...o['item-cosine'] });
    case 'mf-bpr':
      return new MfBpr({ seed: seed * 31 + 7, ...o['mf-bpr'] });
    case 'content':
      return new Content(o.content);
    case 'group-room':
      return new GroupRoom({ seed: seed * 31 + 11, ...o['group-room'] });
  }
}

/** NeuMF via ml/models/neumf-factory.ts, which initialises the tfjs backend once (ml/backend.ts). */
async function loadNeuMF(opts: BuildOptions): Promise<Recommender> {
  // A specifier in a variable keeps this module free of a static dependency on tfjs: callers that do not
  // ask for NeuMF never load TensorFlow.js.
  const factoryPath = './neumf-factory.ts';
  const mod = (await import(factoryPath)) as {
    createNeuMF?: (o: Record<string, unknown>) => Promise<Recommender>;
  };
  if (mod.createNeuMF === undefined) throw new Error('ml/models/neumf-factory.ts does not export createNeuMF');
  return mod.createNeuMF({ seed: (opts.seed ?? 1) * 31 + 13, ...opts.overrides?.neumf });
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
