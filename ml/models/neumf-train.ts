/**
 * One NeuMF optimisation step: weighted binary cross-entropy through the head, Adam on the dense layers,
 * sparse Adagrad on the embedding rows the batch looked up (why sparse: see neumf-network.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Network } from './neumf-network.ts';
import type { SampleBatch } from './neumf-replay.ts';
import { gatherRows, sparseAdagrad } from './neumf-sparse.ts';
import type { SparseTable } from './neumf-sparse.ts';

export interface StepOptions {
  embeddingLr: number;
  l2: number;
}

/** Train on the first `b.length` samples; returns the batch's mean loss. */
export function trainStep(
  net: Network,
  tables: readonly [SparseTable, SparseTable, SparseTable, SparseTable],
  optimizer: tf.Optimizer,
  b: SampleBatch,
  opts: StepOptions,
): number {
  const n = b.length;
  const eIdx = b.entity.subarray(0, n);
  const iIdx = b.item.subarray(0, n);
  let sumW = 0;
  for (let i = 0; i < n; i++) sumW += b.weight[i] ?? 0;
  if (n === 0 || !(sumW > 0)) return 0;
  let loss = 0;
  tf.tidy(() => {
    const inputs = tables.map((t, k) => tf.tensor2d(gatherRows(t, k % 2 === 0 ? eIdx : iIdx, n), [n, t.dim]));
    const y = tf.tensor2d(b.label.subarray(0, n), [n, 1]);
    const w = tf.tensor2d(b.weight.subarray(0, n), [n, 1]);
    const f = (): tf.Scalar => {
      const p = tf.clipByValue(net.head.apply(inputs, { training: true }) as tf.Tensor, 1e-7, 1 - 1e-7);
      const bce = tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
      return tf.div(tf.sum(tf.mul(bce, w)), sumW);
    };
    // One backward pass gives both the dense weights' and the looked-up rows' gradients.
    const { value, grads } = tf.engine().gradients(f, [...net.headVars, ...inputs]);
    loss = value.dataSync()[0] ?? 0;
    const h = net.headVars.length;
    optimizer.applyGradients(net.headVars.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })));
    // Rows learn from the summed (not averaged) per-example gradient: Adagrad rescales it anyway, and a row's
    // step should not shrink because the batch it landed in was large.
    tables.forEach((t, k) => {
      const g = tf.mul(grads[h + k] as tf.Tensor, sumW).dataSync() as Float32Array;
      sparseAdagrad(t, k % 2 === 0 ? eIdx : iIdx, g, n, opts.embeddingLr, opts.l2);
    });
  });
  return loss;
}
