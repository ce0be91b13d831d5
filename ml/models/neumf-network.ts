/**
 * The NeuMF network (He et al. 2017) in the tfjs layers API: GMF (elementwise product of entity and item
 * embeddings) and an MLP over their concatenation, fused by a dense sigmoid over both branches.
 *
 * Two functional models share every layer:
 *  - `model`: (entity row, item row) → p, the textbook NeuMF with Embedding layers, used to score one entity;
 *  - `head`: (entity GMF vec, item GMF vec, entity MLP vec, item MLP vec) → p, everything after the lookups.
 *    Training runs through the head: tfjs differentiates an embedding lookup into a dense gradient of the whole
 *    table via UnsortedSegmentSum, which the wasm backend lacks and the cpu backend runs in O(rows × batch), so
 *    NeuMF updates only the looked-up rows itself (sparse Adagrad). Scoring a room by its averaged members also
 *    needs the head, since an averaged embedding has no row.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeadLayers } from './neumf-forward.ts';

export interface NetworkShape {
  gmfDim: number;
  mlpDim: number;
  layers: readonly number[];
  entityCapacity: number;
  itemCapacity: number;
  seed: number;
}

export interface Network {
  model: tf.LayersModel;
  head: tf.LayersModel;
  /** Embedding variables, in the order entityGmf, itemGmf, entityMlp, itemMlp. */
  tables: [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  /** Trainable variables of the head (dense kernels and biases). */
  headVars: tf.Variable[];
  /** The head's dense layers, for the plain-TypeScript forward pass (neumf-forward.ts). */
  layers: HeadLayers;
}

export function buildNetwork(s: NetworkShape): Network {
  const glorot = (k: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: s.seed + k });
  // Values are written from NeuMF's seeded host copy right after construction (zeros avoid a wasted draw);
  // not trainable because NeuMF updates the rows itself, outside autograd.
  const emb = (rows: number, dim: number): tf.layers.Layer =>
    tf.layers.embedding({ inputDim: rows, outputDim: dim, inputLength: 1, embeddingsInitializer: 'zeros', trainable: false });
  const eGmf = emb(s.entityCapacity, s.gmfDim);
  const iGmf = emb(s.itemCapacity, s.gmfDim);
  const eMlp = emb(s.entityCapacity, s.mlpDim);
  const iMlp = emb(s.itemCapacity, s.mlpDim);

  // NeuMF concatenates before two dense layers (the first MLP layer and the output). A dense layer over
  // [a; b] equals dense_a(a) + dense_b(b), so the network adds two dense branches instead: same function,
  // but no Concat kernel, which the wasm backend runs as a JS row loop (~25 ms for 26k candidates here).
  const [first = 8, ...rest] = s.layers;
  const mlpE = tf.layers.dense({ units: first, kernelInitializer: glorot(1) });
  const mlpI = tf.layers.dense({ units: first, useBias: false, kernelInitializer: glorot(2) });
  const mlpAdd = tf.layers.add();
  const mlpAct = tf.layers.activation({ activation: 'relu' });
  const mlp = rest.map((units, k) => tf.layers.dense({ units, activation: 'relu', kernelInitializer: glorot(k + 3) }));
  const outG = tf.layers.dense({ units: 1, kernelInitializer: glorot(0) });
  const outH = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: glorot(100) });
  const outAdd = tf.layers.add();
  const outAct = tf.layers.activation({ activation: 'sigmoid' });
  const multiply = tf.layers.multiply();

  const headOutput = (eg: tf.SymbolicTensor, ig: tf.SymbolicTensor, em: tf.SymbolicTensor, im: tf.SymbolicTensor): tf.SymbolicTensor => {
    const gmf = multiply.apply([eg, ig]) as tf.SymbolicTensor;
    let h = mlpAct.apply(mlpAdd.apply([mlpE.apply(em), mlpI.apply(im)] as tf.SymbolicTensor[])) as tf.SymbolicTensor;
    for (const d of mlp) h = d.apply(h) as tf.SymbolicTensor;
    return outAct.apply(outAdd.apply([outG.apply(gmf), outH.apply(h)] as tf.SymbolicTensor[])) as tf.SymbolicTensor;
  };

  const eIn = tf.input({ shape: [1], dtype: 'int32' });
  const iIn = tf.input({ shape: [1], dtype: 'int32' });
  const flat = (layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor =>
    tf.layers.flatten().apply(layer.apply(x)) as tf.SymbolicTensor;
  const model = tf.model({
    inputs: [eIn, iIn],
    outputs: headOutput(flat(eGmf, eIn), flat(iGmf, iIn), flat(eMlp, eIn), flat(iMlp, iIn)),
  });

  const hIn = [s.gmfDim, s.gmfDim, s.mlpDim, s.mlpDim].map((d) => tf.input({ shape: [d] })) as [
    tf.SymbolicTensor,
    tf.SymbolicTensor,
    tf.SymbolicTensor,
    tf.SymbolicTensor,
  ];
  const head = tf.model({ inputs: hIn, outputs: headOutput(...hIn) });

  const variable = (layer: tf.layers.Layer): tf.Variable => {
    const w = layer.weights[0];
    if (!w) throw new Error('embedding layer has no weights');
    return w.read() as tf.Variable;
  };
  return {
    model,
    head,
    tables: [variable(eGmf), variable(iGmf), variable(eMlp), variable(iMlp)],
    headVars: head.trainableWeights.map((w) => w.read() as tf.Variable),
    layers: { mlpE, mlpI, mlp, outG, outH },
  };
}
