/**
 * NeuMF's head evaluated in plain TypeScript, for one entity against a few hundred candidates (the live
 * server's shortlists). There a tfjs `predict` costs far more in graph bookkeeping than in arithmetic, and
 * the entity's half of the first MLP layer is the same for every candidate, so it is computed once. Large
 * candidate sets (whole-catalog scoring) stay on tfjs, whose wasm matmuls win there. Same function as
 * neumf-network.ts's head; a test holds the two together.
 */
import type * as tf from '@tensorflow/tfjs';

interface Dense {
  /** in × out, row-major; held as float64 (reads of a Float64Array skip a float32 conversion each). */
  kernel: Float64Array;
  /** Zeros when the layer has none. */
  bias: Float64Array;
  in: number;
  out: number;
}

export interface HeadLayers {
  mlpE: tf.layers.Layer;
  mlpI: tf.layers.Layer;
  mlp: readonly tf.layers.Layer[];
  outG: tf.layers.Layer;
  outH: tf.layers.Layer;
}

function read(layer: tf.layers.Layer): Dense {
  const [k, b] = layer.getWeights();
  if (!k) throw new Error(`layer ${layer.name} has no kernel`);
  const [inDim = 0, outDim = 0] = k.shape;
  return {
    kernel: Float64Array.from(k.dataSync() as Float32Array),
    bias: b ? Float64Array.from(b.dataSync() as Float32Array) : new Float64Array(outDim),
    in: inDim,
    out: outDim,
  };
}

/** y = x·K + b, x of length d.in from `x[off..]`. */
function affine(d: Dense, x: Float32Array | Float64Array, off: number, y: Float32Array | Float64Array): void {
  const out = d.out;
  const kernel = d.kernel;
  y.set(d.bias);
  for (let i = 0; i < d.in; i++) {
    const xi = x[off + i] as number;
    if (xi === 0) continue;
    const row = i * out;
    for (let j = 0; j < out; j++) y[j] = (y[j] as number) + xi * (kernel[row + j] as number);
  }
}

export class HeadForward {
  /**
   * Item row → the item's half of the first MLP layer. It depends only on the item's embedding and the
   * layer's weights, which change only in a training step, after which the model builds a new HeadForward;
   * so between steps every room and member scoring the same track reuses it.
   */
  private readonly itemFirst = new Map<number, Float64Array>();
  private readonly mlpE: Dense;
  private readonly mlpI: Dense;
  private readonly mlp: Dense[];
  private readonly outG: Dense;
  private readonly outH: Dense;
  /** Scratch: the entity's half of the first layer, and two hidden-layer buffers (scoring is synchronous). */
  private readonly e1: Float64Array;
  private readonly bufA: Float64Array;
  private readonly bufB: Float64Array;

  /** Reads the layers' current weights (call again after a training step). */
  constructor(layers: HeadLayers) {
    this.mlpE = read(layers.mlpE);
    this.mlpI = read(layers.mlpI);
    this.mlp = layers.mlp.map(read);
    this.outG = read(layers.outG);
    this.outH = read(layers.outH);
    this.e1 = new Float64Array(this.mlpE.out);
    const widest = Math.max(this.mlpE.out, ...this.mlp.map((d) => d.out));
    this.bufA = new Float64Array(widest);
    this.bufB = new Float64Array(widest);
  }

  /**
   * Scores of one entity (GMF vector `eg`, MLP vector `em`) against the n items at table rows `rows`,
   * read straight from the item GMF and MLP tables (`ig`, `im`: row-major, one row per item); the rows
   * also key the per-item cache.
   */
  score(eg: Float32Array, em: Float32Array, ig: Float32Array, im: Float32Array, rows: Int32Array, n: number, out: Float32Array): void {
    const e1 = this.e1;
    affine(this.mlpE, em, 0, e1);
    const width = this.mlpE.out;
    const gDim = this.outG.in;
    const mDim = this.mlpI.in;
    const kg = this.outG.kernel;
    const bg = this.outG.bias[0] ?? 0;
    const kh = this.outH.kernel;
    for (let c = 0; c < n; c++) {
      const row = rows[c] as number;
      let first = this.itemFirst.get(row);
      if (!first) {
        first = new Float64Array(this.mlpI.out);
        affine(this.mlpI, im, row * mDim, first);
        this.itemFirst.set(row, first);
      }
      let h = this.bufA;
      let next = this.bufB;
      for (let j = 0; j < width; j++) {
        const v = (first[j] as number) + (e1[j] as number);
        h[j] = v > 0 ? v : 0;
      }
      for (const d of this.mlp) {
        affine(d, h, 0, next);
        for (let j = 0; j < d.out; j++) if ((next[j] as number) < 0) next[j] = 0;
        const t = h;
        h = next;
        next = t;
      }
      let z = bg;
      const go = row * gDim;
      for (let k = 0; k < gDim; k++) z += (eg[k] as number) * (ig[go + k] as number) * (kg[k] as number);
      for (let j = 0; j < this.outH.in; j++) z += (h[j] as number) * (kh[j] as number);
      out[c] = 1 / (1 + Math.exp(-z));
    }
  }
}
