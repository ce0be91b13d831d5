/** NeuMF hyper-parameters, their defaults, and the checks that turn a typo into an error at create(). */

export interface NeuMFOptions {
  /** GMF embedding size. */
  gmfDim?: number;
  /** MLP embedding size (per side; the first MLP layer sees twice this). */
  mlpDim?: number;
  /** MLP hidden layer sizes. */
  layers?: readonly number[];
  /** Adam learning rate of the dense layers. */
  lr?: number;
  /** Adagrad learning rate of the embedding rows. */
  embeddingLr?: number;
  /** L2 penalty on the embedding rows a batch touches. */
  l2?: number;
  /** Observed samples per training batch (each adds `negatives` sampled ones). */
  batchSize?: number;
  /** Online: train one batch every this many interactions (amortises a step over many cheap updates). */
  trainEvery?: number;
  /**
   * Online: leave a due step to catchUp() (the live learner runs it when idle, so a step never delays a
   * push); update() still trains once DEFER_LIMIT steps are due. Not an architecture key.
   */
  deferSteps?: boolean;
  replaySize?: number;
  negatives?: number;
  entityCapacity?: number;
  itemCapacity?: number;
  seed?: number;
}
export type NeuMFConfig = Required<NeuMFOptions>;

export const NEUMF_DEFAULTS: NeuMFConfig = {
  gmfDim: 16,
  mlpDim: 16,
  layers: [32, 16, 8],
  lr: 0.005,
  embeddingLr: 0.05,
  l2: 1e-3,
  batchSize: 256,
  trainEvery: 64,
  deferSteps: false,
  replaySize: 50_000,
  negatives: 4,
  entityCapacity: 8192,
  itemCapacity: 32768,
  seed: 42,
};

/** Options that shape the network and its tables: a snapshot only restores into a model that agrees on them. */
export const ARCH_KEYS = ['gmfDim', 'mlpDim', 'layers', 'entityCapacity', 'itemCapacity'] as const;

export function resolveConfig(opts: NeuMFOptions): NeuMFConfig {
  const c: NeuMFConfig = { ...NEUMF_DEFAULTS, ...opts, layers: [...(opts.layers ?? NEUMF_DEFAULTS.layers)] };
  for (const k of ['gmfDim', 'mlpDim', 'batchSize', 'trainEvery', 'replaySize', 'entityCapacity', 'itemCapacity'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`NeuMF: ${k} must be a positive integer, got ${c[k]}`);
  }
  if (!Number.isInteger(c.negatives) || c.negatives < 0) throw new Error(`NeuMF: negatives must be an integer ≥ 0, got ${c.negatives}`);
  if (c.layers.length === 0 || c.layers.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new Error('NeuMF: layers must be positive integers');
  }
  for (const k of ['lr', 'embeddingLr'] as const) if (!(c[k] > 0)) throw new Error(`NeuMF: ${k} must be > 0`);
  if (!(c.l2 >= 0)) throw new Error('NeuMF: l2 must be ≥ 0');
  return c;
}
