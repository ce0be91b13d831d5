/**
 * Replay buffer for NeuMF's online fine-tuning: a fixed-size ring of (entity row, item row, label, weight)
 * samples. Plain typed arrays, so pushing an interaction costs a few stores and no allocation.
 */

/** Standard normal draws from a uniform source (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function shuffle(a: Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i] ?? 0;
    a[i] = a[j] ?? 0;
    a[j] = t;
  }
}

export interface SampleBatch {
  entity: Int32Array;
  item: Int32Array;
  label: Float32Array;
  weight: Float32Array;
  length: number;
}

export function allocBatch(n: number): SampleBatch {
  return { entity: new Int32Array(n), item: new Int32Array(n), label: new Float32Array(n), weight: new Float32Array(n), length: 0 };
}

export function pushSample(b: SampleBatch, entity: number, item: number, label: number, weight: number): void {
  const i = b.length++;
  b.entity[i] = entity;
  b.item[i] = item;
  b.label[i] = label;
  b.weight[i] = weight;
}

export class ReplayBuffer {
  private readonly buf: SampleBatch;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`replay buffer size must be a positive integer, got ${capacity}`);
    this.buf = allocBatch(capacity);
  }

  get size(): number {
    return this.filled;
  }

  push(entity: number, item: number, label: number, weight: number): void {
    const i = this.next;
    this.buf.entity[i] = entity;
    this.buf.item[i] = item;
    this.buf.label[i] = label;
    this.buf.weight[i] = weight;
    this.next = (i + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Copy the `recent` newest samples, then `random` uniformly drawn ones, into `out`. */
  sampleInto(out: SampleBatch, recent: number, random: number, rand: () => number): void {
    const n = this.filled;
    if (n === 0) return;
    const r = Math.min(recent, n);
    for (let k = 1; k <= r; k++) this.copy(out, (this.next - k + this.capacity) % this.capacity);
    for (let k = 0; k < random; k++) this.copy(out, Math.floor(rand() * n) % n);
  }

  private copy(out: SampleBatch, i: number): void {
    pushSample(out, this.buf.entity[i] ?? 0, this.buf.item[i] ?? 0, this.buf.label[i] ?? 0, this.buf.weight[i] ?? 0);
  }
}
